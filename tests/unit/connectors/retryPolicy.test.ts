import { describe, expect, it } from 'vitest';
import { AuthError, ProviderError, ProviderUnavailableError, RateLimitError } from '../../../shared/connectors/providerErrors.js';
import { decideRetry, defaultRetryPolicy, parseRetryAfter } from '../../../shared/connectors/retryPolicy.js';

const unavailable = new ProviderUnavailableError({ status: 503, code: 'http_503', message: 'down' });
const policy = { ...defaultRetryPolicy, maxAttempts: 10 };

describe('decideRetry', () => {
  it('retries only retriable provider errors', () => {
    expect(decideRetry(new Error('bug'), 0, policy, () => 0.5)).toEqual({ retry: false });
    expect(decideRetry(new AuthError({ status: 401, code: 'x', message: 'no' }), 0, policy, () => 0.5)).toEqual({ retry: false });
    expect(decideRetry(new ProviderError({ status: 400, code: 'x', message: 'bad', retriable: false }), 0, policy, () => 0.5)).toEqual({ retry: false });
    expect(decideRetry(unavailable, 0, policy, () => 0.5)).toEqual({ retry: true, delayMs: 125 });
  });

  it('draws the delay from [0, min(cap, base·2^attempt)) (full jitter)', () => {
    const windows = [250, 500, 1000, 2000, 4000, 5000, 5000];
    windows.forEach((window, attempt) => {
      expect(decideRetry(unavailable, attempt, policy, () => 0)).toEqual({ retry: true, delayMs: 0 });
      expect(decideRetry(unavailable, attempt, policy, () => 0.999999)).toEqual({ retry: true, delayMs: window - 1 });
    });
  });

  it('stops after maxAttempts tries in all', () => {
    const fourTries = { ...defaultRetryPolicy, maxAttempts: 4 };
    expect(decideRetry(unavailable, 2, fourTries, () => 0.5)).toMatchObject({ retry: true });
    expect(decideRetry(unavailable, 3, fourTries, () => 0.5)).toEqual({ retry: false });
  });

  it('waits exactly Retry-After when the server sent one, even beyond the cap', () => {
    const limited = new RateLimitError({ code: 'too_many_requests', message: 'slow down', retryAfterMs: 7000 });
    expect(decideRetry(limited, 0, policy, () => 0.5)).toEqual({ retry: true, delayMs: 7000 });
    const unavailableLater = new ProviderUnavailableError({ status: 503, code: 'x', message: 'maintenance', retryAfterMs: 1500 });
    expect(decideRetry(unavailableLater, 0, policy, () => 0.5)).toEqual({ retry: true, delayMs: 1500 });
  });

  it('does not sleep through a Retry-After longer than maxRetryAfterMs', () => {
    const limited = new RateLimitError({ code: 'too_many_requests', message: 'tomorrow', retryAfterMs: 61_000 });
    expect(decideRetry(limited, 0, policy, () => 0.5)).toEqual({ retry: false });
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2025-03-01T12:00:00Z');

  it('reads delta-seconds and HTTP-dates', () => {
    expect(parseRetryAfter('3', now)).toBe(3000);
    expect(parseRetryAfter('Sat, 01 Mar 2025 12:00:10 GMT', now)).toBe(10_000);
  });

  it('ignores absent or unparseable values and never goes negative', () => {
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter('-5', now)).toBeUndefined();
    expect(parseRetryAfter('Sat, 01 Mar 2025 11:00:00 GMT', now)).toBe(0);
  });
});
