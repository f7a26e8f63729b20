import { describe, expect, it } from 'vitest';
import { conversionSchema, type ConversionSchemaInput } from '../../../../../shared/core/conversion/schema.js';
import { producedFieldTypes } from '../../../../../shared/core/conversion/produced/producedFieldTypes.js';
import { patchTypeIssues } from '../../../../../shared/core/conversion/produced/patchTypeIssues.js';

const schema: ConversionSchemaInput = {
  shardType: 'thing',
  fields: [
    { from: 'id', to: 'externalId' },
    { from: 'price', to: 'price', transforms: [{ op: 'number' }] },
    { from: 'qty', to: 'qty' },
    { from: 'vip', to: 'vip', transforms: [{ op: 'boolean' }] },
    { from: 'created', to: 'createdAt', transforms: [{ op: 'date', formats: ['iso'] }] },
    { from: 'tags', to: 'tags', transforms: [{ op: 'template', template: '{0}' }, { op: 'split', separator: ',' }] },
    { from: 'items[*].sku', to: 'skus' },
    { from: 'billing.city', to: 'address.city' },
    { from: 'billing.zip', to: 'address.zip', transforms: [{ op: 'template', template: '{0}' }] },
    { from: 'meta', to: 'meta', transforms: [{ op: 'expression', expression: '$value' }] },
  ],
  validations: [{ path: 'qty', rule: 'type', type: 'integer' }],
};
const produced = producedFieldTypes([conversionSchema.parse(schema)], 'thing')!;
const issues = (patch: Record<string, unknown>) => patchTypeIssues(produced, patch, 'data');
const paths = (patch: Record<string, unknown>) => issues(patch).map((issue) => issue.path);

describe('a data patch against what the schemas produce', () => {
  it('accepts values of the produced types, and null anywhere', () => {
    expect(
      issues({
        externalId: 'anything goes',
        price: 12.5,
        qty: 3,
        vip: false,
        createdAt: '2024-05-01T10:00:00.000Z',
        tags: ['a', null, 'b'],
        skus: ['X-1', 7, null],
        address: { city: 'Berlin', zip: '10115' },
        meta: { deep: [1, { free: 'form' }] },
      }),
    ).toEqual([]);
    expect(issues({ price: null, address: null, vip: null })).toEqual([]);
    expect(issues({ createdAt: '2024-05-01T12:00:00+02:00' })).toEqual([]);
  });

  it('names an unknown field, at any level, but lets a removal of one through', () => {
    expect(issues({ foo: 1 })).toEqual([{ path: 'data.foo', message: 'is not a field any conversion schema of this shard type produces' }]);
    expect(paths({ address: { city: 'Berlin', street: 'Main St' } })).toEqual(['data.address.street']);
    // Keys JSON can carry that would reach Object.prototype are unknown fields like any other.
    expect(paths(JSON.parse('{"__proto__": {"polluted": true}, "constructor": 1}') as Record<string, unknown>)).toEqual(['data.__proto__', 'data.constructor']);
    expect(issues({ legacyField: null })).toEqual([]);
  });

  it('names a value of the wrong type with the type expected', () => {
    const found = issues({ price: '12.50', vip: 'yes', qty: 2.5, createdAt: 'yesterday', tags: 'a,b', address: 'Berlin', skus: { sku: 1 } });
    expect(found).toEqual([
      { path: 'data.price', message: 'must be a number (what the conversion schemas produce here), not a string' },
      { path: 'data.vip', message: 'must be a boolean (what the conversion schemas produce here), not a string' },
      { path: 'data.qty', message: 'must be an integer (what the conversion schemas produce here), not a number' },
      { path: 'data.createdAt', message: 'must be an ISO 8601 date-time string such as 2024-05-01T10:00:00Z (what the conversion schemas produce here), not a string' },
      { path: 'data.tags', message: 'must be an array (what the conversion schemas produce here), not a string' },
      { path: 'data.address', message: 'must be an object with the fields city, zip (what the conversion schemas produce here), not a string' },
      { path: 'data.skus', message: 'must be an array (what the conversion schemas produce here), not an object' },
    ]);
  });

  it('checks every element of a list it replaces, and values inside nested targets', () => {
    expect(paths({ tags: ['a', 2, 'c', true] })).toEqual(['data.tags.1', 'data.tags.3']);
    expect(paths({ address: { city: 'Berlin', zip: 10115 } })).toEqual(['data.address.zip']);
  });

  it('a union takes any of its members, and says which it wanted', () => {
    const united = producedFieldTypes(
      [
        conversionSchema.parse({ shardType: 'thing', fields: [{ from: 'a', to: 'a', transforms: [{ op: 'number' }] }] }),
        conversionSchema.parse({ shardType: 'thing', fields: [{ from: 'a', to: 'a', transforms: [{ op: 'boolean' }] }] }),
      ],
      'thing',
    )!;
    expect(patchTypeIssues(united, { a: 1 }, 'data')).toEqual([]);
    expect(patchTypeIssues(united, { a: true }, 'data')).toEqual([]);
    expect(patchTypeIssues(united, { a: 'x' }, 'data')).toEqual([
      { path: 'data.a', message: 'must be a number or a boolean (what the conversion schemas produce here), not a string' },
    ]);
  });

  it('a shard type no schema produces takes no field but removals', () => {
    const nothing = { kind: 'fields', fields: new Map() } as const;
    expect(patchTypeIssues(nothing, { a: 1, b: null }, 'data').map((issue) => issue.path)).toEqual(['data.a']);
  });
});
