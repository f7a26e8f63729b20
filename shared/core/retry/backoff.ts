/** The window an exponential back-off draws its delay from. */
export interface BackoffPolicy {
  baseDelayMs: number;
  /** Cap of the window. */
  maxDelayMs: number;
}

/**
 * Exponential back-off with full jitter: uniform in [0, min(cap, base·2^attempt)), which spreads
 * clients that failed together further apart than equal or no jitter
 * (https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/).
 *
 * @param attempt 0 after the first try failed, 1 after the first retry, …
 * @param random uniform in [0, 1), like Math.random.
 */
export function fullJitterDelayMs(attempt: number, policy: BackoffPolicy, random: () => number): number {
  return Math.floor(random() * Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt));
}
