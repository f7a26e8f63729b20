import { describe, expect, it } from 'vitest';
import { apply, runSync, valueOf } from '../helpers.js';

describe('value transforms', () => {
  it('parses locale-ish numbers', () => {
    expect(valueOf([{ op: 'number' }], '12.50')).toBe(12.5);
    expect(valueOf([{ op: 'number', decimal: ',', thousands: '.' }], '1.234.567,89')).toBe(1234567.89);
    expect(valueOf([{ op: 'number', thousands: ',' }], '-1,000')).toBe(-1000);
    expect(valueOf([{ op: 'number', thousands: ' ' }], '+44 20 1234')).toBe(44201234);
    expect(valueOf([{ op: 'number' }], '1e3')).toBe(1000);
    expect(valueOf([{ op: 'number' }], 7)).toBe(7);
    expect(valueOf([{ op: 'number' }], '')).toBeNull();
    expect(valueOf([{ op: 'number' }], '12345678901234567890')).toBe(12345678901234567000);
  });

  it('turns unreadable and overflowing numbers into null with a warning', () => {
    expect(apply([{ op: 'number' }], 'abc')).toEqual({ value: null, warnings: ['number'] });
    expect(apply([{ op: 'number' }], '1e400')).toEqual({ value: null, warnings: ['number'] });
    expect(apply([{ op: 'number' }], '٣')).toEqual({ value: null, warnings: ['number'] });
    expect(apply([{ op: 'number' }], { n: 1 })).toEqual({ value: null, warnings: ['number'] });
  });

  it('reads booleans from default and custom word sets', () => {
    expect(valueOf([{ op: 'boolean' }], 'YES')).toBe(true);
    expect(valueOf([{ op: 'boolean' }], 'off')).toBe(false);
    expect(valueOf([{ op: 'boolean' }], 0)).toBe(false);
    expect(valueOf([{ op: 'boolean' }], true)).toBe(true);
    expect(valueOf([{ op: 'boolean' }], '')).toBeNull();
    expect(valueOf([{ op: 'boolean', truthy: ['ja'], falsy: ['nein'] }], 'Ja')).toBe(true);
    expect(apply([{ op: 'boolean' }], 'maybe')).toEqual({ value: null, warnings: ['boolean'] });
  });

  it('maps through lookups (pass-through or default) and enums (default or warning)', () => {
    const map = { US: 'NA', '1': 'one', x: null };
    expect(valueOf([{ op: 'lookup', map }], 'US')).toBe('NA');
    expect(valueOf([{ op: 'lookup', map }], 1)).toBe('one');
    expect(valueOf([{ op: 'lookup', map }], 'x')).toBeNull();
    expect(valueOf([{ op: 'lookup', map }], 'FR')).toBe('FR');
    expect(valueOf([{ op: 'lookup', map, default: 'other' }], 'FR')).toBe('other');
    expect(valueOf([{ op: 'enum', values: { a: 'A' } }], 'a')).toBe('A');
    expect(valueOf([{ op: 'enum', values: { a: 'A' }, default: 'Z' }], 'b')).toBe('Z');
    expect(apply([{ op: 'enum', values: { a: 'A' } }], 'b')).toEqual({ value: null, warnings: ['enum'] });
    expect(apply([{ op: 'enum', values: { a: 'A' } }], null)).toEqual({ value: null, warnings: [] });
  });

  it('fills defaults for missing or empty values only', () => {
    expect(valueOf([{ op: 'default', value: 'n/a' }], '')).toBe('n/a');
    expect(valueOf([{ op: 'default', value: 0 }], null)).toBe(0);
    expect(valueOf([{ op: 'default', value: 0 }], false)).toBe(false);
  });

  it('coalesces to the first non-empty input', () => {
    const fields = [{ fromAll: ['a', 'b.c', 'd'], to: 'out', transforms: [{ op: 'coalesce' as const }] }];
    expect(runSync(fields, { a: '', b: { c: 0 }, d: 'x' })).toMatchObject({ primary: { data: { out: 0 } } });
    expect(runSync(fields, {})).toMatchObject({ primary: { data: { out: null } } });
  });

  it('converts units within a dimension without float noise', () => {
    expect(valueOf([{ op: 'unit', from: 'g', to: 'kg' }], 1250)).toBe(1.25);
    expect(valueOf([{ op: 'unit', from: 'cm', to: 'm' }], '30')).toBe(0.3);
    expect(valueOf([{ op: 'unit', from: 'cents', to: 'units' }], 1999)).toBe(19.99);
    expect(valueOf([{ op: 'unit', from: 'units', to: 'cents' }], 0.1 + 0.2)).toBe(30);
    expect(valueOf([{ op: 'unit', from: 'lb', to: 'kg' }], 1)).toBe(0.45359237);
    expect(apply([{ op: 'unit', from: 'kg', to: 'mg' }], 1e308)).toEqual({ value: null, warnings: ['unit'] });
    expect(apply([{ op: 'unit', from: 'kg', to: 'g' }], 'heavy')).toEqual({ value: null, warnings: ['unit'] });
  });

  it('maps a sub-pipeline over arrays and filters elements by predicate', () => {
    expect(valueOf([{ op: 'map', transforms: [{ op: 'trim' }, { op: 'case', mode: 'upper' }] }], [' a ', 'b', null])).toEqual(['A', 'B', null]);
    expect(valueOf([{ op: 'map', transforms: [{ op: 'trim' }] }], 'not a list')).toBe('not a list');
    const items = [{ sku: 'A', qty: 1 }, { sku: '', qty: 2 }, { qty: 3 }];
    expect(valueOf([{ op: 'filter', where: { path: 'sku', exists: true } }], items)).toEqual([{ sku: 'A', qty: 1 }]);
    expect(valueOf([{ op: 'filter', where: { path: 'qty', in: [2, 3] } }], items)).toEqual([{ sku: '', qty: 2 }, { qty: 3 }]);
    expect(valueOf([{ op: 'filter', where: { equals: 'x' } }], ['x', 'y', 'x'])).toEqual(['x', 'x']);
  });

  it('picks fields of each element into a new shape, synchronously, missing ones as null', () => {
    const lines = [{ product_id: 7, sku: 'A', meta: { size: 'L' }, taxes: [1] }, { product_id: 0, meta: {} }];
    const pick = { op: 'pick' as const, fields: { productId: 'product_id', sku: 'sku', size: 'meta.size' } };
    expect(valueOf([{ op: 'map', transforms: [pick] }], lines)).toEqual([
      { productId: 7, sku: 'A', size: 'L' },
      { productId: 0, sku: null, size: null },
    ]);
    expect(valueOf([pick], 'not an object')).toBe('not an object');
    expect(() => runSync([{ from: 'v', to: 'out', transforms: [{ op: 'pick', fields: { __proto__x: 'a', constructor: 'b' } }] }], {})).toThrow(/constructor/);
  });
});
