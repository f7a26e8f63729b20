import { setTimeout as sleep } from 'node:timers/promises';
import { cosmosStatus } from './cosmosErrors.js';

/**
 * Our back-off for 429s that outlive the SDK's own retries (connectionPolicy.retryOptions): a
 * throttled request was not executed, so repeating any call — writes included — is safe.
 */
export interface BackoffPolicy {
  /** Retries after the first attempt. */
  maxRetries: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { maxRetries: 4, baseDelayMs: 200, maxDelayMs: 10_000 };

/**
 * Delay before retry number `retry` (0-based), or undefined to give up. Exponential with full
 * jitter (uniform in [0, min(max, base·2^retry))), so throttled callers spread out instead of
 * retrying in step; never shorter than the service's retry-after hint, never longer than maxDelayMs.
 */
export function backoffDelayMs(
  retry: number,
  policy: BackoffPolicy,
  random: () => number = Math.random,
  retryAfterMs = 0,
): number | undefined {
  if (retry >= policy.maxRetries) return undefined;
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** retry);
  return Math.min(policy.maxDelayMs, Math.max(retryAfterMs, Math.floor(random() * ceiling)));
}

export async function withThrottleRetry<T>(call: () => Promise<T>, policy: BackoffPolicy = DEFAULT_BACKOFF): Promise<T> {
  for (let retry = 0; ; retry++) {
    try {
      return await call();
    } catch (error) {
      if (cosmosStatus(error) !== 429) throw error;
      const delay = backoffDelayMs(retry, policy, Math.random, retryAfterOf(error));
      if (delay === undefined) throw error;
      await sleep(delay);
    }
  }
}

function retryAfterOf(error: unknown): number {
  const hint = (error as { retryAfterInMs?: unknown }).retryAfterInMs;
  return typeof hint === 'number' ? hint : 0;
}
