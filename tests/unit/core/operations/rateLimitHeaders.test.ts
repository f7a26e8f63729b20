import { describe, expect, it } from 'vitest';
import { parseRateLimitHeaders } from '../../../../shared/core/operations/rateLimitHeaders.js';
import { dailyQuotaSpent, holdUntilMs, observeBudget } from '../../../../shared/core/operations/providerBudget.js';

const nowMs = Date.parse('2026-12-07T03:00:00.000Z');
const at = (secondsFromNow: number) => new Date(nowMs + secondsFromNow * 1_000).toISOString();

describe('parseRateLimitHeaders', () => {
  it('reads the IETF draft headers, reset in seconds from now', () => {
    expect(parseRateLimitHeaders({ 'ratelimit-limit': '100', 'ratelimit-remaining': '0', 'ratelimit-reset': '30' }, nowMs)).toEqual({ remaining: 0, resetAt: at(30) });
  });

  it('reads the structured IETF header (r remaining, t seconds)', () => {
    expect(parseRateLimitHeaders({ RateLimit: '"default";r=7;t=12' }, nowMs)).toEqual({ remaining: 7, resetAt: at(12) });
  });

  it('reads X-RateLimit-* with the reset as a delay or as epoch seconds, names in any case', () => {
    expect(parseRateLimitHeaders({ 'X-RateLimit-Remaining': '3', 'X-RateLimit-Reset': '60' }, nowMs)).toEqual({ remaining: 3, resetAt: at(60) });
    const epoch = String(nowMs / 1_000 + 90);
    expect(parseRateLimitHeaders({ 'x-ratelimit-remaining': ['0'], 'x-ratelimit-reset': epoch }, nowMs)).toEqual({ remaining: 0, resetAt: at(90) });
  });

  it("reads HubSpot's remaining calls with the window's length as the latest reset", () => {
    const headers = { 'X-HubSpot-RateLimit-Max': '100', 'X-HubSpot-RateLimit-Remaining': '1', 'X-HubSpot-RateLimit-Interval-Milliseconds': '10000' };
    expect(parseRateLimitHeaders(headers, nowMs)).toEqual({ remaining: 1, resetAt: at(10) });
  });

  it("reads HubSpot's daily allowance once it is the tighter, back at the next midnight (UTC: the account's zone is not sent)", () => {
    const headers = { 'X-HubSpot-RateLimit-Remaining': '90', 'X-HubSpot-RateLimit-Interval-Milliseconds': '10000', 'X-HubSpot-RateLimit-Daily': '250000', 'X-HubSpot-RateLimit-Daily-Remaining': '0' };
    expect(parseRateLimitHeaders(headers, nowMs)).toEqual({ remaining: 0, resetAt: '2026-12-08T00:00:00.000Z', daily: true });
    expect(parseRateLimitHeaders({ ...headers, 'X-HubSpot-RateLimit-Daily-Remaining': '5000' }, nowMs)).toEqual({ remaining: 90, resetAt: at(10) });
  });

  it("reads Salesforce's daily usage as calls remaining, with no reset instant", () => {
    expect(parseRateLimitHeaders({ 'Sforce-Limit-Info': 'api-usage=25/15000' }, nowMs)).toEqual({ remaining: 14_975, daily: true });
  });

  it('takes the tightest when several styles are present, and the remaining alone when the reset is unreadable', () => {
    expect(parseRateLimitHeaders({ 'x-ratelimit-remaining': '40', 'ratelimit-remaining': '2', 'ratelimit-reset': 'soon' }, nowMs)).toEqual({ remaining: 2 });
  });

  it('says nothing when no header or no readable count is there', () => {
    expect(parseRateLimitHeaders({ 'x-wp-total': '10' }, nowMs)).toBeUndefined();
    expect(parseRateLimitHeaders({ 'x-ratelimit-remaining': 'many', 'x-ratelimit-reset': '10' }, nowMs)).toBeUndefined();
  });
});

describe('observeBudget and holdUntilMs', () => {
  it('hold calls until the reset only when nothing is left and the reset is known and ahead', () => {
    expect(holdUntilMs(observeBudget(undefined, { remaining: 0, resetAt: at(30) }, nowMs), nowMs)).toBe(nowMs + 30_000);
    expect(holdUntilMs(observeBudget(undefined, { remaining: 1, resetAt: at(30) }, nowMs), nowMs)).toBeUndefined();
    expect(holdUntilMs(observeBudget(undefined, { remaining: 0 }, nowMs), nowMs)).toBeUndefined();
    expect(holdUntilMs(observeBudget(undefined, { remaining: 0, resetAt: at(30) }, nowMs), nowMs + 30_000)).toBeUndefined();
  });

  it('are monotone: a late report of the same window never raises the budget, one of an earlier window is ignored', () => {
    const kept = observeBudget(undefined, { remaining: 0, resetAt: at(30) }, nowMs);
    expect(observeBudget(kept, { remaining: 5, resetAt: at(30) }, nowMs + 10)).toEqual(kept);
    expect(observeBudget(kept, { remaining: 50, resetAt: at(10) }, nowMs + 10)).toEqual(kept);
    expect(observeBudget(kept, { remaining: 0, resetAt: at(30) }, nowMs)).toEqual(kept);
    expect(observeBudget(kept, { remaining: 99, resetAt: at(90) }, nowMs + 31_000)).toEqual({ remaining: 99, resetAtMs: nowMs + 90_000, observedAtMs: nowMs + 31_000 });
  });
});

describe('dailyQuotaSpent', () => {
  it('stands for a spent daily quota without a reset, until an hour later lets one call find out; never for a short window', () => {
    const hour = 3_600_000;
    const spent = observeBudget(undefined, { remaining: 0, daily: true }, nowMs);
    expect(dailyQuotaSpent(spent, nowMs + 1_000, hour)).toBe(true);
    expect(dailyQuotaSpent(spent, nowMs + hour, hour)).toBe(false);
    expect(dailyQuotaSpent(observeBudget(undefined, { remaining: 3, daily: true }, nowMs), nowMs, hour)).toBe(false);
    expect(dailyQuotaSpent(observeBudget(undefined, { remaining: 0 }, nowMs), nowMs, hour)).toBe(false);
    expect(dailyQuotaSpent(undefined, nowMs, hour)).toBe(false);
  });
});
