import { setTimeout as sleep } from 'node:timers/promises';
import { cosmosStatus } from './cosmosErrors.js';
import { fullJitterDelayMs } from '../../core/retry/backoff.js';
import type { RetryPolicy } from '../../core/retry/retryDecision.js';

/**
 * Our back-off for 429s that outlive the SDK's own retries (connectionPolicy.retryOptions): a
 * throttled request was not executed, so repeating any call — writes included — is safe.
 */
export const DEFAULT_BACKOFF: RetryPolicy = { maxRetries: 4, baseDelayMs: 200, maxDelayMs: 10_000 };

/**
 * Delay before retry number `retry` (0-based), or undefined to give up. Exponential with full
 * jitter (fullJitterDelayMs), so throttled callers spread out instead of retrying in step; never
 * shorter than the service's retry-after hint, never longer than maxDelayMs.
 */
export function backoffDelayMs(
  retry: number,
  policy: RetryPolicy,
  random: () => number = Math.random,
  retryAfterMs = 0,
): number | undefined {
  if (retry >= policy.maxRetries) return undefined;
  return Math.min(policy.maxDelayMs, Math.max(retryAfterMs, fullJitterDelayMs(retry, policy, random)));
}

export async function withThrottleRetry<T>(call: () => Promise<T>, policy: RetryPolicy = DEFAULT_BACKOFF): Promise<T> {
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
