import type { LinkWait } from '../conversion/schema.js';

export type LinkWaitDecision =
  /** Process the batch again later, when the parents may have arrived. */
  | { kind: 'wait'; waits: number; delayMs: number }
  /** Write now; links to parents still missing stay pending until they arrive. */
  | { kind: 'link' };

/**
 * A batch whose records name parents that are not stored yet waits, re-tried with exponential
 * back-off (equal jitter: never less than half the step, so a wait is a real wait), `retries`
 * times at most; after that it is written with pending links.
 */
export function decideLinkWait(missingParents: number, waitsSoFar: number, policy: LinkWait, random: () => number): LinkWaitDecision {
  if (missingParents === 0 || waitsSoFar >= policy.retries) return { kind: 'link' };
  const step = policy.baseDelayMs * 2 ** waitsSoFar;
  return { kind: 'wait', waits: waitsSoFar + 1, delayMs: Math.floor(step / 2 + (random() * step) / 2) };
}
