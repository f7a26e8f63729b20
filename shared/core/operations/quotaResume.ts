import type { QuotaExhaustion } from '../schemas/execution.js';

/** How long a run waits for a quota whose provider did not say when it comes back. */
export const QUOTA_RESUME_WITHOUT_RESET_MS = 60 * 60_000;

/**
 * Pure: when a run paused for `quota` may try again: when the provider said the quota comes back,
 * else an hour after it ran out. A run that finds it still spent pauses again.
 */
export function quotaResumeAtMs(exhaustion: QuotaExhaustion | undefined, pausedAtMs: number): number {
  const reset = exhaustion?.resetAt === undefined ? Number.NaN : Date.parse(exhaustion.resetAt);
  if (!Number.isNaN(reset)) return reset;
  const at = exhaustion === undefined ? Number.NaN : Date.parse(exhaustion.at);
  return (Number.isNaN(at) ? pausedAtMs : at) + QUOTA_RESUME_WITHOUT_RESET_MS;
}
