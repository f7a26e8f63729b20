import { describe, expect, it } from 'vitest';
import { RecentMemo } from '../../../../shared/core/operations/recentMemo.js';

describe('RecentMemo', () => {
  it('works a result out once per key, null included, until it holds its limit; then starts again', () => {
    const calls: string[] = [];
    const memo = new RecentMemo<string, string | null>(2);
    const compute = (key: string) => {
      calls.push(key);
      return key === 'none' ? null : key.toUpperCase();
    };
    expect(memo.get('a', compute)).toBe('A');
    expect(memo.get('none', compute)).toBeNull();
    expect(memo.get('a', compute)).toBe('A');
    expect(memo.get('none', compute)).toBeNull();
    expect(calls).toEqual(['a', 'none']);
    // Full: the third key drops what was kept, so 'a' is worked out again afterwards.
    expect(memo.get('b', compute)).toBe('B');
    expect(memo.get('a', compute)).toBe('A');
    expect(calls).toEqual(['a', 'none', 'b', 'a']);
  });
});
