import { describe, expect, it } from 'vitest';
import { decideRetry } from '../../../../shared/core/retry/retryDecision.js';

const policy = { maxRetries: 3, baseDelayMs: 1000, maxDelayMs: 5000 };
const recoverable = { kind: 'recoverable' as const, name: 'ProviderUnavailableError' };

describe('retry decision', () => {
  it('backs off exponentially with full jitter under a cap', () => {
    expect(decideRetry(recoverable, 0, policy, () => 0.5)).toEqual({ kind: 'retry', attempt: 1, delayMs: 500 });
    expect(decideRetry(recoverable, 1, policy, () => 0.5)).toEqual({ kind: 'retry', attempt: 2, delayMs: 1000 });
    expect(decideRetry(recoverable, 2, policy, () => 0.999)).toEqual({ kind: 'retry', attempt: 3, delayMs: 3996 });
    expect(decideRetry(recoverable, 2, { ...policy, maxDelayMs: 2500 }, () => 0.999)).toMatchObject({ delayMs: 2497 });
    expect(decideRetry(recoverable, 0, policy, () => 0)).toMatchObject({ delayMs: 0 });
  });

  it('never retries sooner than the provider asked', () => {
    expect(decideRetry({ ...recoverable, retryAfterMs: 30_000 }, 0, policy, () => 0.5)).toMatchObject({ kind: 'retry', delayMs: 30_000 });
  });

  it('gives up on a Retry-After longer than the policy waits for, naming the error', () => {
    const patient = { ...policy, maxRetryAfterMs: 60_000 };
    expect(decideRetry({ ...recoverable, retryAfterMs: 60_000 }, 0, patient, () => 0.5)).toMatchObject({ kind: 'retry', delayMs: 60_000 });
    expect(decideRetry({ ...recoverable, retryAfterMs: 60_001 }, 0, patient, () => 0.5)).toEqual({ kind: 'give-up', errorClass: 'ProviderUnavailableError', attempts: 1 });
  });

  it('gives up after maxRetries with RetryExhausted', () => {
    expect(decideRetry(recoverable, 3, policy, () => 0.5)).toEqual({ kind: 'give-up', errorClass: 'RetryExhausted', attempts: 4 });
    expect(decideRetry(recoverable, 0, { ...policy, maxRetries: 0 }, () => 0.5)).toMatchObject({ kind: 'give-up' });
  });

  it('pauses for credentials on auth errors and gives up at once on permanent ones', () => {
    expect(decideRetry({ kind: 'auth', name: 'AuthError' }, 0, policy, () => 0.5)).toEqual({ kind: 'pause-auth' });
    expect(decideRetry({ kind: 'permanent', name: 'ProviderError' }, 0, policy, () => 0.5)).toEqual({ kind: 'give-up', errorClass: 'ProviderError', attempts: 1 });
  });

  it("pauses until the quota is back when the provider's quota is spent, whatever the attempt", () => {
    expect(decideRetry({ kind: 'quota', name: 'QuotaExhaustedError' }, 0, policy, () => 0.5)).toEqual({ kind: 'pause-quota' });
    expect(decideRetry({ kind: 'quota', name: 'QuotaExhaustedError' }, 99, policy, () => 0.5)).toEqual({ kind: 'pause-quota' });
  });
});
