import { describe, expect, it } from 'vitest';
import { parseRetryAfter } from '../../../../shared/core/retry/retryAfter.js';

describe('parseRetryAfter', () => {
  const now = Date.parse('2025-03-01T12:00:00Z');

  it('reads delta-seconds and HTTP-dates', () => {
    expect(parseRetryAfter('3', now)).toBe(3000);
    expect(parseRetryAfter('Sat, 01 Mar 2025 12:00:10 GMT', now)).toBe(10_000);
  });

  it('ignores absent or unparseable values and never goes negative', () => {
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter('-5', now)).toBeUndefined();
    expect(parseRetryAfter('Sat, 01 Mar 2025 11:00:00 GMT', now)).toBe(0);
  });
});
