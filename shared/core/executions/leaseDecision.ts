/** A lease as stored: who holds it and until when. */
export interface LeaseState {
  holder: string;
  expiresAtMs: number;
}

export type LeaseDecision =
  /** Free, expired (a crashed holder), or already ours: write it with a fresh expiry. */
  | { kind: 'take'; expiresAtMs: number }
  /** Ours with plenty of time left: nothing to write. */
  | { kind: 'keep' }
  /** Someone else holds it. */
  | { kind: 'busy'; holder: string; freeInMs: number };

/**
 * Whether `me` may hold a lease now. A holder's own lease is only rewritten once half its time
 * is gone, so renewing on every batch costs a read, rarely a write.
 */
export function decideLease(existing: LeaseState | undefined, me: string, nowMs: number, durationMs: number): LeaseDecision {
  if (existing && existing.holder !== me && existing.expiresAtMs > nowMs) {
    return { kind: 'busy', holder: existing.holder, freeInMs: existing.expiresAtMs - nowMs };
  }
  if (existing && existing.holder === me && existing.expiresAtMs - nowMs > durationMs / 2) return { kind: 'keep' };
  return { kind: 'take', expiresAtMs: nowMs + durationMs };
}
