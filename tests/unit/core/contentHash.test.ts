import { describe, expect, it } from 'vitest';
import { contentHash } from '../../../shared/core/contentHash.js';

describe('content hash', () => {
  it('is independent of key order at every level', () => {
    expect(contentHash({ a: 1, b: { c: 2, d: [1, { e: 3, f: 4 }] } })).toBe(
      contentHash({ b: { d: [1, { f: 4, e: 3 }], c: 2 }, a: 1 }),
    );
  });

  it('changes when any value changes', () => {
    expect(contentHash({ a: 1, b: 'x' })).not.toBe(contentHash({ a: 1, b: 'y' }));
    expect(contentHash({ a: [1, 2] })).not.toBe(contentHash({ a: [2, 1] }));
    expect(contentHash({ a: null })).not.toBe(contentHash({ a: 'null' }));
  });
});
