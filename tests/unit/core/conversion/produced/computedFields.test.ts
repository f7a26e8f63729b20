import { describe, expect, it } from 'vitest';
import { computedFields, computedFieldsOfType } from '../../../../../shared/core/conversion/produced/computedFields.js';
import { conversionSchema, type ConversionSchemaInput } from '../../../../../shared/core/conversion/schema.js';

const parse = (input: ConversionSchemaInput) => conversionSchema.parse(input);
const summary = (fields: ReturnType<typeof computedFields>) => fields.map(({ path, inputs, by }) => ({ path, inputs, by }));

describe('which target fields a schema computes, and from which inputs', () => {
  it('fields made from several inputs or by a computing transform are computed, each with its inputs', () => {
    const schema = parse({
      shardType: 'customer',
      fields: [
        { fromAll: { first: 'first_name', last: 'last_name' }, to: 'fullName', transforms: [{ op: 'template', template: '{first} {last}' }] },
        { fromAll: ['billing.city', 'billing.country'], to: 'place', transforms: [{ op: 'concat', separator: ', ' }] },
        { fromAll: ['billing.phone', 'shipping.phone'], to: 'phone', transforms: [{ op: 'coalesce' }] },
        { from: 'total', to: 'totalWithTax', transforms: [{ op: 'expression', expression: '$number($) * 1.2' }] },
        { from: 'role', to: 'tier', transforms: [{ op: 'lookup', map: { customer: 'basic' } }] },
        { from: 'status', to: 'state', transforms: [{ op: 'enum', values: { publish: 'live' } }] },
        { from: 'name', to: ['givenName', 'familyName'], transforms: [{ op: 'split', separator: ' ', parts: 2 }] },
        { from: 'sku', to: 'skuPrefix', transforms: [{ op: 'regex', pattern: '^(\\w+)-' }] },
        { from: 'tags', to: 'slugs', transforms: [{ op: 'map', transforms: [{ op: 'lookup', map: { a: 'A' } }] }] },
      ],
    });
    expect(summary(computedFields(schema.fields))).toEqual([
      { path: 'fullName', inputs: ['first_name', 'last_name'], by: ['several inputs', 'template'] },
      { path: 'place', inputs: ['billing.city', 'billing.country'], by: ['several inputs', 'concat'] },
      { path: 'phone', inputs: ['billing.phone', 'shipping.phone'], by: ['several inputs', 'coalesce'] },
      { path: 'totalWithTax', inputs: ['total'], by: ['expression'] },
      { path: 'tier', inputs: ['role'], by: ['lookup'] },
      { path: 'state', inputs: ['status'], by: ['enum'] },
      { path: 'givenName', inputs: ['name'], by: ['split'] },
      { path: 'familyName', inputs: ['name'], by: ['split'] },
      { path: 'skuPrefix', inputs: ['sku'], by: ['regex'] },
      { path: 'slugs', inputs: ['tags'], by: ['lookup'] },
    ]);
  });

  it('copied, tidied and parsed fields carry their one source value and are not computed', () => {
    const schema = parse({
      shardType: 'product',
      fields: [
        { from: 'id', to: 'externalId' },
        { from: 'email', to: 'email', transforms: [{ op: 'trim' }, { op: 'case', mode: 'lower' }] },
        { from: 'price', to: 'price', transforms: [{ op: 'number' }] },
        { from: 'weight', to: 'weightKg', transforms: [{ op: 'unit', from: 'g', to: 'kg' }] },
        { from: 'on_sale', to: 'onSale', transforms: [{ op: 'boolean' }, { op: 'default', value: false }] },
        { from: 'date_modified_gmt', to: 'modifiedAt', transforms: [{ op: 'date', formats: ['iso'] }] },
        { from: 'line_items[*].sku', to: 'skus' },
        { from: 'tags', to: 'tags', transforms: [{ op: 'map', transforms: [{ op: 'trim' }] }] },
      ],
    });
    expect(computedFields(schema.fields)).toEqual([]);
  });

  it('a shard type takes the computed fields of every schema making it, derived shards included', () => {
    const people = parse({
      shardType: 'person',
      fields: [
        { from: 'email', to: 'email' },
        { fromAll: { first: 'first_name', last: 'last_name' }, to: 'fullName', transforms: [{ op: 'template', template: '{first} {last}' }] },
      ],
      derived: [
        {
          shardType: 'company',
          when: { path: 'company', exists: true },
          key: 'company',
          fields: [{ fromAll: ['company', 'country'], to: 'label', transforms: [{ op: 'concat', separator: ' / ' }] }],
        },
      ],
    });
    const contacts = parse({
      shardType: 'person',
      fields: [{ fromAll: { given: 'givenName', family: 'familyName' }, to: 'fullName', transforms: [{ op: 'template', template: '{family}, {given}' }] }],
    });
    const fullName = computedFieldsOfType([people, contacts], 'person').get('fullName');
    expect(fullName).toEqual({ path: 'fullName', inputs: ['first_name', 'last_name', 'givenName', 'familyName'], by: ['several inputs', 'template'] });
    expect([...computedFieldsOfType([people], 'company').keys()]).toEqual(['label']);
  });

  it('a field another schema of the type carries over is not computed: that schema’s records give it a way back', () => {
    const computing = parse({ shardType: 'person', fields: [{ fromAll: ['first', 'last'], to: 'fullName', transforms: [{ op: 'concat', separator: ' ' }] }] });
    const copying = parse({ shardType: 'person', fields: [{ from: 'full_name', to: 'fullName' }] });
    expect(computedFieldsOfType([computing], 'person').has('fullName')).toBe(true);
    expect(computedFieldsOfType([computing, copying], 'person').has('fullName')).toBe(false);
    expect(computedFieldsOfType([computing], 'order').size).toBe(0);
  });
});
