import { ProviderError } from './providerErrors.js';

export interface RetryPolicy {
  /** Total tries including the first one. */
  maxAttempts: number;
  baseDelayMs: number;
  /** Cap of the exponential back-off window. */
  maxDelayMs: number;
  /**
   * A Retry-After longer than this is not slept through inside one call: the error surfaces so
   * the caller can reschedule instead of holding a worker.
   */
  maxRetryAfterMs: number;
}

export const defaultRetryPolicy: RetryPolicy = {
  maxAttempts: 4,
  baseDelayMs: 250,
  maxDelayMs: 5_000,
  maxRetryAfterMs: 60_000,
};

export type RetryDecision = { retry: true; delayMs: number } | { retry: false };

/**
 * Exponential back-off with full jitter: delay = random(0, min(cap, base·2^attempt)), which
 * spreads synchronized clients apart better than equal or no jitter
 * (https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/).
 * A server-sent Retry-After wins over the computed delay.
 *
 * @param attempt 0 for the first try that just failed, 1 for the first retry, ...
 * @param random returns a number in [0, 1), like Math.random.
 */
export function decideRetry(error: unknown, attempt: number, policy: RetryPolicy, random: () => number): RetryDecision {
  if (!(error instanceof ProviderError) || !error.retriable) return { retry: false };
  if (attempt + 1 >= policy.maxAttempts) return { retry: false };
  if (error.retryAfterMs !== undefined) {
    return error.retryAfterMs <= policy.maxRetryAfterMs ? { retry: true, delayMs: error.retryAfterMs } : { retry: false };
  }
  const window = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
  return { retry: true, delayMs: Math.floor(random() * window) };
}

/**
 * Parses a Retry-After header: delta-seconds or an HTTP-date (RFC 9110 §10.2.3).
 * Returns undefined when absent or unparseable; never negative.
 */
export function parseRetryAfter(value: string | undefined, nowMs: number): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  // HTTP-dates name the weekday and month; without letters Date.parse would take "-5" as a year.
  if (!/[a-z]/i.test(trimmed)) return undefined;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}
