import { describe, expect, it } from 'vitest';
import { compileReader } from '../../../../shared/core/conversion/paths.js';
import { runSync } from './helpers.js';

describe('source paths', () => {
  const order = { billing: { address: { geo: { lat: 1.5 } } }, line_items: [{ sku: 'A', meta: [{ v: 1 }] }, { sku: 'B' }, {}] };

  it('reads nested keys, indexes in both spellings, and wildcards into lists', () => {
    expect(compileReader('billing.address.geo.lat')(order)).toBe(1.5);
    expect(compileReader('line_items[1].sku')(order)).toBe('B');
    expect(compileReader('line_items.1.sku')(order)).toBe('B');
    expect(compileReader('line_items[*].sku')(order)).toEqual(['A', 'B', null]);
    expect(compileReader('line_items[*].meta[0].v')(order)).toEqual([1, null, null]);
    expect(compileReader('line_items[0].meta[*].v')(order)).toEqual([1]);
    expect(compileReader('名前.ключ')({ 名前: { ключ: 'ok' } })).toBe('ok');
  });

  it('reads missing, mistyped and prototype members as missing', () => {
    expect(compileReader('billing.nope.deeper')(order)).toBeUndefined();
    expect(compileReader('line_items[9].sku')(order)).toBeUndefined();
    expect(compileReader('line_items[*].sku')({ line_items: 'text' })).toBeUndefined();
    expect(compileReader('a.b')(null)).toBeUndefined();
    expect(compileReader('toString')({})).toBeUndefined();
    expect(compileReader('a.hasOwnProperty')({ a: {} })).toBeUndefined();
  });

  it('handles deep nesting', () => {
    const keys = Array.from({ length: 60 }, (_, i) => `k${i}`);
    const deep = keys.reduceRight<unknown>((inner, key) => ({ [key]: inner }), 'bottom');
    expect(compileReader(keys.join('.'))(deep)).toBe('bottom');
    expect(runSync([{ from: keys.join('.'), to: keys.slice(0, 30).join('.') }], deep)).toMatchObject({ ok: true });
  });

  it('writes missing sources as null into nested targets', () => {
    expect(runSync([{ from: 'x.y', to: 'a.b.c' }, { from: 'z', to: 'a.d' }], { z: 0 })).toEqual({
      ok: true, primary: { shardType: 'test', data: { a: { b: { c: null }, d: 0 } } }, derived: [], warnings: [],
    });
  });
});
