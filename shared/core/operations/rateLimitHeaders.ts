import type { ProviderBudget } from './providerBudget.js';

export type ResponseHeaders = Record<string, string | string[] | undefined>;

/** Reset values above this are instants in epoch seconds (GitHub-style), below it delays in seconds. */
const EPOCH_SECONDS_FLOOR = 1_000_000_000;

/**
 * What a response's rate-limit headers say is left of the provider's budget, in every style we
 * meet: the IETF draft (`RateLimit-Remaining`/`RateLimit-Reset`, or the structured
 * `RateLimit: "policy";r=0;t=30`), the common `X-RateLimit-Remaining`/`X-RateLimit-Reset`
 * (delay or epoch seconds), HubSpot's `X-HubSpot-RateLimit-Remaining` with its window
 * `-Interval-Milliseconds`, and Salesforce's `Sforce-Limit-Info: api-usage=25/15000`. When several
 * are present the tightest wins. Undefined when none is, or none parses: no news, nothing to hold.
 *
 * Sources: draft-ietf-httpapi-ratelimit-headers (RateLimit, RateLimit-Remaining/-Reset); HubSpot's
 * API usage guidelines (X-HubSpot-RateLimit-Max/-Remaining/-Interval-Milliseconds, per 10 s window);
 * Salesforce REST API developer guide, "Limit Info Header" (Sforce-Limit-Info: api-usage=used/limit,
 * per org and 24 h, no reset given); the X-RateLimit-* family as GitHub documents it (reset in
 * epoch seconds) and as proxies in front of stores send it.
 */
export function parseRateLimitHeaders(headers: ResponseHeaders, nowMs: number): ProviderBudget | undefined {
  const lower = new Map(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), Array.isArray(value) ? value[0] : value]));
  const header = (name: string) => lower.get(name)?.trim();
  const found = [
    remainingWithReset(header('ratelimit-remaining'), header('ratelimit-reset'), nowMs),
    structuredRateLimit(header('ratelimit'), nowMs),
    remainingWithReset(header('x-ratelimit-remaining'), header('x-ratelimit-reset'), nowMs),
    hubSpotWindow(header('x-hubspot-ratelimit-remaining'), header('x-hubspot-ratelimit-interval-milliseconds'), nowMs),
    hubSpotDaily(header('x-hubspot-ratelimit-daily-remaining'), nowMs),
    salesforceUsage(header('sforce-limit-info')),
  ].filter((budget): budget is ProviderBudget => budget !== undefined);
  if (found.length === 0) return undefined;
  return found.reduce((tightest, budget) => (budget.remaining < tightest.remaining ? budget : tightest));
}

function count(value: string | undefined): number | undefined {
  if (value === undefined || !/^\d+$/.test(value)) return undefined;
  return Number(value);
}

function resetAt(value: string | undefined, nowMs: number): string | undefined {
  const seconds = count(value);
  if (seconds === undefined) return undefined;
  return new Date(seconds >= EPOCH_SECONDS_FLOOR ? seconds * 1_000 : nowMs + seconds * 1_000).toISOString();
}

function budgetOf(remaining: number | undefined, reset: string | undefined): ProviderBudget | undefined {
  if (remaining === undefined) return undefined;
  return reset === undefined ? { remaining } : { remaining, resetAt: reset };
}

function remainingWithReset(remaining: string | undefined, reset: string | undefined, nowMs: number): ProviderBudget | undefined {
  return budgetOf(count(remaining), resetAt(reset, nowMs));
}

/** draft-ietf-httpapi-ratelimit-headers-07 and later: `RateLimit: "default";r=50;t=30` (r remaining, t seconds to reset). */
function structuredRateLimit(value: string | undefined, nowMs: number): ProviderBudget | undefined {
  if (value === undefined) return undefined;
  // Several policies may be listed; the first (the tightest the server chose to name first) is read.
  const params = new Map(
    (value.split(',')[0] ?? '')
      .split(';')
      .slice(1)
      .map((part) => part.split('=').map((side) => side.trim()) as [string, string | undefined]),
  );
  const seconds = count(params.get('t'));
  return budgetOf(count(params.get('r')), seconds === undefined ? undefined : new Date(nowMs + seconds * 1_000).toISOString());
}

/** HubSpot names the window, not its end: the budget comes back within one interval at the latest. */
function hubSpotWindow(remaining: string | undefined, intervalMs: string | undefined, nowMs: number): ProviderBudget | undefined {
  const interval = count(intervalMs);
  return budgetOf(count(remaining), interval === undefined ? undefined : new Date(nowMs + interval).toISOString());
}

/**
 * HubSpot's daily allowance (`X-HubSpot-RateLimit-Daily-Remaining`) comes back at midnight in the
 * account's time zone, which no header names: the next UTC midnight is taken, and a run resumed
 * too early finds it still spent and waits again.
 */
function hubSpotDaily(remaining: string | undefined, nowMs: number): ProviderBudget | undefined {
  const midnight = new Date(nowMs);
  midnight.setUTCHours(24, 0, 0, 0);
  const budget = budgetOf(count(remaining), midnight.toISOString());
  return budget && { ...budget, daily: true };
}

/** A rolling 24-hour allowance: `api-usage=used/limit`, with no reset instant. */
function salesforceUsage(value: string | undefined): ProviderBudget | undefined {
  const match = value && /api-usage=(\d+)\/(\d+)/.exec(value);
  if (!match) return undefined;
  return { remaining: Math.max(0, Number(match[2]) - Number(match[1])), daily: true };
}
