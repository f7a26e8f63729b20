import { describe, expect, it } from 'vitest';
import { collectChanges, sameValue, withChanges, type FieldChange } from '../../../../shared/core/conflicts/fieldChanges.js';

const changes = (before: Record<string, unknown>, after: Record<string, unknown>): FieldChange[] => {
  const out: FieldChange[] = [];
  collectChanges(before, after, [], out);
  return out;
};

describe('field changes', () => {
  it('names the deepest changed fields by dotted path', () => {
    const before = { name: 'Ann', address: { city: 'Oslo', postcode: '0150' }, tags: ['a'] };
    const after = { name: 'Ann', address: { city: 'Bergen', postcode: '0150' }, tags: ['a'] };
    expect(changes(before, after)).toEqual([{ path: 'address.city', keys: ['address', 'city'], value: 'Bergen' }]);
  });

  it('compares arrays as whole values', () => {
    expect(changes({ tags: ['a', 'b'] }, { tags: ['b', 'a'] })).toEqual([{ path: 'tags', keys: ['tags'], value: ['b', 'a'] }]);
    expect(changes({ lines: [{ sku: 'x', qty: 1 }] }, { lines: [{ qty: 1, sku: 'x' }] })).toEqual([]);
  });

  it('tells a field set to null from a missing one', () => {
    expect(changes({ phone: '1' }, { phone: null })).toEqual([{ path: 'phone', keys: ['phone'], value: null }]);
    expect(changes({ phone: '1' }, {})).toEqual([{ path: 'phone', keys: ['phone'], value: undefined }]);
    expect(changes({ phone: null }, {})).toEqual([{ path: 'phone', keys: ['phone'], value: undefined }]);
    expect(sameValue({ phone: null }, {})).toBe(false);
  });

  it('treats a field set to undefined as missing, as the content hash does', () => {
    expect(sameValue({ a: 1, b: undefined }, { a: 1 })).toBe(true);
    expect(changes({ a: 1, b: undefined }, { a: 1 })).toEqual([]);
    expect(changes({ a: 1 }, { a: undefined })).toEqual([{ path: 'a', keys: ['a'], value: undefined }]);
  });

  it('replaces an object turned into a plain value, or a new object, as a whole', () => {
    expect(changes({ address: { city: 'Oslo' } }, { address: 'Oslo' })).toEqual([{ path: 'address', keys: ['address'], value: 'Oslo' }]);
    expect(changes({}, { address: {} })).toEqual([{ path: 'address', keys: ['address'], value: {} }]);
  });

  it('keeps exact keys for fields whose key holds a dot', () => {
    expect(changes({ meta: { 'a.b': 1 } }, { meta: { 'a.b': 2 } })).toEqual([{ path: 'meta.a.b', keys: ['meta', 'a.b'], value: 2 }]);
  });

  it('does not read inherited members as fields', () => {
    expect(sameValue({ toString: undefined }, {})).toBe(true);
    expect(changes({}, JSON.parse('{"__proto__": {"x": 1}}') as Record<string, unknown>)).toEqual([{ path: '__proto__', keys: ['__proto__'], value: { x: 1 } }]);
  });

  it('writes changes into a copy, removing fields for undefined, without creating empty parents', () => {
    const data = { name: 'Ann', address: { city: 'Oslo' }, keep: { deep: [1] } };
    const written = withChanges(data, [
      { path: 'address.city', keys: ['address', 'city'], value: 'Bergen' },
      { path: 'name', keys: ['name'], value: undefined },
      { path: 'gone.field', keys: ['gone', 'field'], value: undefined },
      { path: 'new.field', keys: ['new', 'field'], value: null },
    ]);
    expect(written).toEqual({ address: { city: 'Bergen' }, keep: { deep: [1] }, new: { field: null } });
    expect(data).toEqual({ name: 'Ann', address: { city: 'Oslo' }, keep: { deep: [1] } });
    expect(written.keep).toBe(data.keep);
  });

  it('writes a __proto__ field as data, never as the prototype', () => {
    const written = withChanges({}, [{ path: '__proto__.polluted', keys: ['__proto__', 'polluted'], value: true }]);
    expect(Object.getPrototypeOf(written)).toBe(Object.prototype);
    expect(Object.hasOwn(written, '__proto__')).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
