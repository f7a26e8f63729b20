import { describe, expect, it } from 'vitest';
import { blockUntil, fullBucket, refill, takeToken, type TokenBucketState } from '../../../../shared/core/operations/tokenBucket.js';

const config = { capacity: 3, refillPerMinute: 60 }; // one token a second

function takeAll(state: TokenBucketState, nowMs: number): { granted: number; state: TokenBucketState } {
  let granted = 0;
  for (;;) {
    const result = takeToken(state, config, nowMs);
    if (!result.granted) return { granted, state: result.state };
    granted += 1;
    state = result.state;
  }
}

describe('token bucket', () => {
  it('grants the capacity at once, then refuses with the time until the next token', () => {
    const { granted, state } = takeAll(fullBucket(config, 1_000), 1_000);
    expect(granted).toBe(3);
    expect(state).toEqual({ tokens: 0, updatedAtMs: 1_000 });
    expect(takeToken(state, config, 1_000)).toEqual({ granted: false, state, waitMs: 1_000 });
    expect(takeToken(state, config, 1_250)).toMatchObject({ granted: false, waitMs: 750 });
  });

  it('refills at refillPerMinute, never above capacity', () => {
    const empty = { tokens: 0, updatedAtMs: 0 };
    expect(refill(empty, config, 500)).toEqual({ tokens: 0.5, updatedAtMs: 500 });
    expect(takeToken(empty, config, 1_000)).toEqual({ granted: true, state: { tokens: 0, updatedAtMs: 1_000 } });
    expect(refill(empty, config, 3_600_000).tokens).toBe(3);
  });

  it('grants at most capacity + rate × window over any span', () => {
    let state = fullBucket(config, 0);
    let granted = 0;
    for (let nowMs = 0; nowMs <= 10_000; nowMs += 100) {
      const taken = takeAll(state, nowMs);
      granted += taken.granted;
      state = taken.state;
    }
    expect(granted).toBe(3 + 10);
  });

  it('does not run backwards when a worker with a slower clock writes', () => {
    const state = { tokens: 1, updatedAtMs: 5_000 };
    expect(takeToken(state, config, 4_000)).toEqual({ granted: true, state: { tokens: 0, updatedAtMs: 5_000 } });
  });

  it('grants nothing while blocked, then drops the block', () => {
    const blocked = blockUntil(fullBucket(config, 0), 2_000);
    expect(blocked).toEqual({ tokens: 3, updatedAtMs: 0, blockedUntilMs: 2_000 });
    expect(takeToken(blocked, config, 500)).toEqual({ granted: false, state: { ...blocked, updatedAtMs: 500 }, waitMs: 1_500 });
    expect(takeToken(blocked, config, 2_000)).toEqual({ granted: true, state: { tokens: 2, updatedAtMs: 2_000 } });
  });

  it('waits for whichever comes later: the end of the block or the next token', () => {
    const blocked = blockUntil({ tokens: 0, updatedAtMs: 0 }, 400);
    expect(takeToken(blocked, config, 0)).toMatchObject({ granted: false, waitMs: 1_000 });
  });

  it('keeps the later of two blocks', () => {
    const state = blockUntil(blockUntil(fullBucket(config, 0), 5_000), 3_000);
    expect(state.blockedUntilMs).toBe(5_000);
  });

  it('rejects a configuration that could never grant', () => {
    expect(() => takeToken(fullBucket(config, 0), { capacity: 0, refillPerMinute: 60 }, 0)).toThrow(RangeError);
    expect(() => takeToken(fullBucket(config, 0), { capacity: 1, refillPerMinute: 0 }, 0)).toThrow(RangeError);
  });
});
