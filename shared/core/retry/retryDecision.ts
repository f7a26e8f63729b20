import { fullJitterDelayMs, type BackoffPolicy } from './backoff.js';

/** An error as the retry decision needs to see it (the caller classifies concrete errors). */
export type ErrorClass =
  /** Network, timeout, 429, 5xx, our own throttle or open circuit: worth trying again later. */
  | { kind: 'recoverable'; name: string; retryAfterMs?: number }
  /** The provider refused the credentials: retrying cannot help until someone fixes them. */
  | { kind: 'auth'; name: string }
  /** The provider's quota for the period is spent: retrying before it resets cannot help. */
  | { kind: 'quota'; name: string }
  /** Validation or another 4xx: the same request will fail the same way. */
  | { kind: 'permanent'; name: string };

export interface RetryPolicy extends BackoffPolicy {
  /** Retries after the first attempt. */
  maxRetries: number;
  /**
   * A Retry-After longer than this is not waited for (give-up): a call that sleeps between its
   * tries hands the error up instead, to be rescheduled without holding a worker. Absent: any is.
   */
  maxRetryAfterMs?: number;
}

export const defaultPageRetryPolicy: Omit<RetryPolicy, 'maxRetries'> = { baseDelayMs: 1_000, maxDelayMs: 60_000 };

export type RetryOutcome =
  | { kind: 'retry'; attempt: number; delayMs: number }
  | { kind: 'pause-auth' }
  | { kind: 'pause-quota' }
  | { kind: 'give-up'; errorClass: string; attempts: number };

/**
 * What to do after attempt `attempt` (0 = the first) failed: retry later with exponential
 * back-off and full jitter (fullJitterDelayMs), but never sooner than the other side asked
 * (Retry-After) — pause for new credentials or until the quota is back, or give up.
 */
export function decideRetry(error: ErrorClass, attempt: number, policy: RetryPolicy, random: () => number): RetryOutcome {
  if (error.kind === 'auth') return { kind: 'pause-auth' };
  if (error.kind === 'quota') return { kind: 'pause-quota' };
  if (error.kind === 'permanent') return { kind: 'give-up', errorClass: error.name, attempts: attempt + 1 };
  if (attempt >= policy.maxRetries) return { kind: 'give-up', errorClass: 'RetryExhausted', attempts: attempt + 1 };
  if (error.retryAfterMs !== undefined && policy.maxRetryAfterMs !== undefined && error.retryAfterMs > policy.maxRetryAfterMs) {
    return { kind: 'give-up', errorClass: error.name, attempts: attempt + 1 };
  }
  const delayMs = Math.max(fullJitterDelayMs(attempt, policy, random), error.retryAfterMs ?? 0);
  return { kind: 'retry', attempt: attempt + 1, delayMs };
}
