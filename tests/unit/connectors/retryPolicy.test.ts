import { describe, expect, it } from 'vitest';
import { AuthError } from '../../../shared/connectors/authError.js';
import { ProviderError } from '../../../shared/connectors/providerError.js';
import { ProviderUnavailableError } from '../../../shared/connectors/providerUnavailableError.js';
import { RateLimitError } from '../../../shared/connectors/rateLimitError.js';
import { defaultRetryPolicy, retryClassOf } from '../../../shared/connectors/retryPolicy.js';
import { decideRetry, type RetryPolicy } from '../../../shared/core/retry/retryDecision.js';

const unavailable = new ProviderUnavailableError({ status: 503, code: 'http_503', message: 'down' });
const policy = { ...defaultRetryPolicy, maxRetries: 9 };

/** Whether a connector tries a call again after its error, and after how long. */
function retryCall(error: unknown, attempt: number, retryPolicy: RetryPolicy, random: () => number) {
  const outcome = decideRetry(retryClassOf(error), attempt, retryPolicy, random);
  return outcome.kind === 'retry' ? { retry: true, delayMs: outcome.delayMs } : { retry: false };
}

describe('a connector call retried', () => {
  it('retries only retriable provider errors', () => {
    expect(retryCall(new Error('bug'), 0, policy, () => 0.5)).toEqual({ retry: false });
    expect(retryCall(new AuthError({ status: 401, code: 'x', message: 'no' }), 0, policy, () => 0.5)).toEqual({ retry: false });
    expect(retryCall(new ProviderError({ status: 400, code: 'x', message: 'bad', retriable: false }), 0, policy, () => 0.5)).toEqual({ retry: false });
    expect(retryCall(unavailable, 0, policy, () => 0.5)).toEqual({ retry: true, delayMs: 125 });
  });

  it('draws the delay from [0, min(cap, base·2^attempt)) (full jitter)', () => {
    const windows = [250, 500, 1000, 2000, 4000, 5000, 5000];
    windows.forEach((window, attempt) => {
      expect(retryCall(unavailable, attempt, policy, () => 0)).toEqual({ retry: true, delayMs: 0 });
      expect(retryCall(unavailable, attempt, policy, () => 0.999999)).toEqual({ retry: true, delayMs: window - 1 });
    });
  });

  it('stops after maxRetries retries, maxRetries + 1 tries in all', () => {
    const fourTries = { ...defaultRetryPolicy, maxRetries: 3 };
    expect(retryCall(unavailable, 2, fourTries, () => 0.5)).toMatchObject({ retry: true });
    expect(retryCall(unavailable, 3, fourTries, () => 0.5)).toEqual({ retry: false });
  });

  it('waits Retry-After when the server sent one, even beyond the cap', () => {
    const limited = new RateLimitError({ code: 'too_many_requests', message: 'slow down', retryAfterMs: 7000 });
    expect(retryCall(limited, 0, policy, () => 0.5)).toEqual({ retry: true, delayMs: 7000 });
    const unavailableLater = new ProviderUnavailableError({ status: 503, code: 'x', message: 'maintenance', retryAfterMs: 1500 });
    expect(retryCall(unavailableLater, 0, policy, () => 0.5)).toEqual({ retry: true, delayMs: 1500 });
  });

  it('does not sleep through a Retry-After longer than maxRetryAfterMs', () => {
    const limited = new RateLimitError({ code: 'too_many_requests', message: 'tomorrow', retryAfterMs: 61_000 });
    expect(retryCall(limited, 0, policy, () => 0.5)).toEqual({ retry: false });
  });
});
