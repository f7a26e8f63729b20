import { describe, expect, it } from 'vitest';
import { MAX_JSON_DEPTH, jsonDepthExceeds } from '../../../shared/core/jsonDepth.js';

function nestedObjects(levels: number): unknown {
  let value: unknown = 'leaf';
  for (let i = 0; i < levels; i++) value = { a: value };
  return value;
}

function nestedArrays(levels: number): unknown {
  let value: unknown = 1;
  for (let i = 0; i < levels; i++) value = [value];
  return value;
}

describe('json depth limit', () => {
  it('is 64 levels', () => {
    expect(MAX_JSON_DEPTH).toBe(64);
  });

  it('accepts scalars and values nested exactly to the limit', () => {
    for (const scalar of [null, 1, 'x', true]) expect(jsonDepthExceeds(scalar, 0)).toBeUndefined();
    expect(jsonDepthExceeds(nestedObjects(MAX_JSON_DEPTH), MAX_JSON_DEPTH)).toBeUndefined();
    expect(jsonDepthExceeds(nestedArrays(MAX_JSON_DEPTH), MAX_JSON_DEPTH)).toBeUndefined();
    expect(jsonDepthExceeds({}, 1)).toBeUndefined();
  });

  it('names the path where a value one level too deep crosses the limit', () => {
    expect(jsonDepthExceeds(nestedObjects(4), 3)).toBe('a.a.a');
    expect(jsonDepthExceeds(nestedArrays(3), 2)).toBe('[0][0]');
    expect(jsonDepthExceeds({ a: { b: [0, 1, 2, { c: {} }] } }, 4)).toBe('a.b[3].c');
  });

  it('names the top level as $ when even it is too deep', () => {
    expect(jsonDepthExceeds({}, 0)).toBe('$');
  });

  it('quotes keys that are not plain identifiers', () => {
    expect(jsonDepthExceeds({ 'a.b': { 'x y': {} } }, 2)).toBe('["a.b"]["x y"]');
  });

  it('names the first too-deep path in document order', () => {
    const value = { first: { deep: {} }, second: { deep: {} } };
    expect(jsonDepthExceeds(value, 2)).toBe('first.deep');
  });

  it('measures 100,000 levels without overflowing the stack', () => {
    expect(jsonDepthExceeds(nestedObjects(100_000), MAX_JSON_DEPTH)).toBe(
      Array.from({ length: MAX_JSON_DEPTH }, () => 'a').join('.'),
    );
    expect(jsonDepthExceeds(nestedArrays(100_000), 100_000)).toBeUndefined();
  });

  it('ends on a cyclic object', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic['self'] = cyclic;
    expect(jsonDepthExceeds(cyclic, 3)).toBe('self.self.self');
  });
});
