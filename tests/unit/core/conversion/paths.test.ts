import { describe, expect, it } from 'vitest';
import { compileBuilder, compileReader } from '../../../../shared/core/conversion/paths.js';
import { runSync } from './helpers.js';
import { computedFields } from '../../../../shared/core/conversion/produced/computedFields.js';
import { compileWriteBack } from '../../../../shared/core/conversion/produced/writeBackMapping.js';

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

  it('builds outputs with keys in field order, nested targets grouped under their first', () => {
    const result = runSync([
      { from: 'a', to: 'x.b' }, { from: 'b', to: 'y' }, { from: 'c', to: ['x.c', 'z.d'], transforms: [{ op: 'split', separator: ' ' }] }, { from: 'd', to: 'x.e.f' },
    ], { a: 1, b: 2, c: 'p q', d: 4 });
    if (!result.ok) throw new Error('expected a conversion');
    expect(JSON.stringify(result.primary.data)).toBe('{"x":{"b":1,"c":"p","e":{"f":4}},"y":2,"z":{"d":"q"}}');
    expect(Object.getPrototypeOf(result.primary.data)).toBe(Object.prototype);
  });

  it('builds fresh objects per record, and refuses targets that are not identifiers or that overlap', () => {
    const build = compileBuilder(['a.b', 'c']);
    expect(build([1, 2])).toEqual({ a: { b: 1 }, c: 2 });
    expect(build([1, 2])).not.toBe(build([1, 2]));
    expect(() => compileBuilder(['a", x: (() => 1)(), "b'])).toThrow(/invalid target path/);
    expect(() => compileBuilder(['__proto__.x'])).toThrow(/invalid target path/);
    expect(() => compileBuilder(['a', 'a.b'])).toThrow(/overlaps/);
    expect(() => compileBuilder(['a.b', 'a'])).toThrow(/overlaps/);
    expect(() => compileBuilder(['a', 'a'])).toThrow(/overlaps/);
  });

  it('reads the whole record at "$", which a schema keeps beside its mapped fields and never writes back', () => {
    expect(compileReader('$')(order)).toEqual(order);
    const result = runSync([{ from: 'billing.address.geo.lat', to: 'lat' }, { from: '$', to: 'raw' }], order);
    expect(result).toMatchObject({ ok: true, primary: { data: { lat: 1.5, raw: order } } });
    const fields = [{ from: '$', to: 'raw', transforms: [] }];
    expect(computedFields(fields).map((field) => [field.path, field.by])).toEqual([['raw', ['the whole record']]]);
    expect(compileWriteBack({ fields })([{ path: 'raw', keys: ['raw'], value: {} }])).toEqual({ fields: {}, unmapped: ['raw'] });
  });
});
