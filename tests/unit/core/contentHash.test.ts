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

describe('an own __proto__ key in data', () => {
  it('is part of the hash, whatever the key order', () => {
    const withProto = JSON.parse('{"b":1,"__proto__":{"x":1}}') as unknown;
    expect(contentHash(withProto)).not.toBe(contentHash({ b: 1 }));
    expect(contentHash(withProto)).toBe(contentHash(JSON.parse('{"__proto__":{"x":1},"b":1}')));
  });
});
