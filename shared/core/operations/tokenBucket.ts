/**
 * Token bucket: up to `capacity` calls at once, then `refillPerMinute` a minute. In any window of
 * W ms it grants at most capacity + refillPerMinute·W/60 000 calls. Pure: the caller keeps the
 * state (in a shared document) and passes the time.
 */
export interface TokenBucketState {
  /** Tokens at `updatedAtMs`; fractional, refilled lazily. */
  tokens: number;
  updatedAtMs: number;
  /** The provider asked us to wait (Retry-After, rate-limit reset): nothing is granted before. */
  blockedUntilMs?: number;
}

export interface TokenBucketConfig {
  capacity: number;
  refillPerMinute: number;
}

export type TakeTokenResult =
  | { granted: true; state: TokenBucketState }
  | { granted: false; state: TokenBucketState; waitMs: number };

const MINUTE_MS = 60_000;

export function fullBucket(config: TokenBucketConfig, nowMs: number): TokenBucketState {
  return { tokens: config.capacity, updatedAtMs: nowMs };
}

/** The state refilled up to `nowMs`. Time never runs backwards: workers' clocks may differ a little. */
export function refill(state: TokenBucketState, config: TokenBucketConfig, nowMs: number): TokenBucketState {
  const elapsedMs = Math.max(0, nowMs - state.updatedAtMs);
  // Rounded to millionths: many small binary-fraction refills (0.1 + 0.1 + …) would otherwise
  // fall just short of a whole token and delay it by a millisecond.
  const added = (elapsedMs * config.refillPerMinute) / MINUTE_MS;
  const tokens = Math.min(config.capacity, Math.round((state.tokens + added) * 1e6) / 1e6);
  return { ...state, tokens, updatedAtMs: Math.max(nowMs, state.updatedAtMs) };
}

/** Milliseconds the provider still wants us to wait; 0 when not blocked. */
export function blockedForMs(state: TokenBucketState, nowMs: number): number {
  return Math.max(0, (state.blockedUntilMs ?? 0) - nowMs);
}

/**
 * Takes one token if there is one and the bucket is not blocked. A refusal leaves the state as it
 * was (refilled) and says how long until a token would be granted, assuming nobody else takes it.
 */
export function takeToken(state: TokenBucketState, config: TokenBucketConfig, nowMs: number): TakeTokenResult {
  if (!(config.capacity >= 1) || !(config.refillPerMinute > 0)) {
    throw new RangeError(`a token bucket needs capacity ≥ 1 and refillPerMinute > 0 (got ${config.capacity}, ${config.refillPerMinute})`);
  }
  const refilled = refill(state, config, nowMs);
  const { blockedUntilMs, ...rest } = refilled;
  const blockedMs = blockedForMs(refilled, nowMs);
  // A block that has passed is dropped so the document does not carry it forever.
  const current = blockedMs > 0 ? refilled : rest;
  const tokenWaitMs = refilled.tokens >= 1 ? 0 : Math.ceil(((1 - refilled.tokens) * MINUTE_MS) / config.refillPerMinute);
  const waitMs = Math.max(blockedMs, tokenWaitMs);
  if (waitMs > 0) return { granted: false, state: current, waitMs };
  return { granted: true, state: { ...current, tokens: current.tokens - 1 } };
}

/** Grants nothing before `untilMs`; an earlier block never shortens a later one. */
export function blockUntil(state: TokenBucketState, untilMs: number): TokenBucketState {
  return { ...state, blockedUntilMs: Math.max(untilMs, state.blockedUntilMs ?? untilMs) };
}
