import { describe, expect, it } from 'vitest';
import { conversionSchema, type ConversionSchemaInput } from '../../../../../shared/core/conversion/schema.js';
import { producedFieldTypes, type ProducedType } from '../../../../../shared/core/conversion/produced/producedFieldTypes.js';
import { BUILTIN_SCHEMAS } from '../../../../../shared/connectors/woocommerce/wooCommerceBuiltinSchemas.js';

/** A type as short text: `string`, `int`, `[string]`, `{a: any}`, `number | string`. */
function shown(type: ProducedType): string {
  switch (type.kind) {
    case 'number': return type.integer ? 'int' : 'number';
    case 'array': return `[${shown(type.items)}]`;
    case 'fields': return `{${[...type.fields].map(([key, inner]) => `${key}: ${shown(inner)}`).join(', ')}}`;
    case 'oneOf': return type.types.map(shown).join(' | ');
    default: return type.kind;
  }
}

const produced = (schemas: ConversionSchemaInput[], shardType = 'thing'): string | undefined => {
  const type = producedFieldTypes(schemas.map((schema) => conversionSchema.parse(schema)), shardType);
  return type && shown(type);
};

const one = (...fields: ConversionSchemaInput['fields']) => produced([{ shardType: 'thing', fields }]);

describe('what a conversion schema produces', () => {
  it('a copied value can be anything; a [*] path gives a list, one level per wildcard', () => {
    expect(one({ from: 'email', to: 'email' })).toBe('{email: any}');
    expect(one({ from: 'line_items[*].sku', to: 'skus' })).toBe('{skus: [any]}');
    expect(one({ from: 'groups[*].members[*].id', to: 'ids' })).toBe('{ids: [[any]]}');
  });

  it('nested targets build objects with exactly their keys', () => {
    expect(one({ from: 'billing.city', to: 'address.city' }, { from: 'billing.postcode', to: 'address.postcode' }, { from: 'id', to: 'id' })).toBe(
      '{address: {city: any, postcode: any}, id: any}',
    );
  });

  it('number, unit, boolean, date and template transforms fix the type whatever comes in', () => {
    expect(one({ from: 'price', to: 'price', transforms: [{ op: 'number' }] })).toBe('{price: number}');
    expect(one({ from: 'weight', to: 'grams', transforms: [{ op: 'unit', from: 'kg', to: 'g' }] })).toBe('{grams: number}');
    expect(one({ from: 'vip', to: 'vip', transforms: [{ op: 'boolean' }] })).toBe('{vip: boolean}');
    expect(one({ from: 'created', to: 'createdAt', transforms: [{ op: 'date', formats: ['iso'] }] })).toBe('{createdAt: date-time}');
    expect(one({ fromAll: { f: 'first', l: 'last' }, to: 'name', transforms: [{ op: 'template', template: '{f} {l}' }] })).toBe('{name: string}');
  });

  it('text transforms keep what they do not touch; case and regex make a date-time mere text', () => {
    expect(one({ from: 'email', to: 'email', transforms: [{ op: 'trim' }, { op: 'case', mode: 'lower' }] })).toBe('{email: any}');
    expect(one({ from: 'at', to: 'at', transforms: [{ op: 'date', formats: ['iso'] }, { op: 'trim' }] })).toBe('{at: date-time}');
    expect(one({ from: 'at', to: 'at', transforms: [{ op: 'date', formats: ['iso'] }, { op: 'case', mode: 'lower' }] })).toBe('{at: string}');
  });

  it('split gives a list of strings, or one string with an index; several targets take its elements', () => {
    expect(one({ from: 'tags', to: 'tags', transforms: [{ op: 'template', template: '{0}' }, { op: 'split', separator: ',' }] })).toBe('{tags: [string]}');
    expect(one({ from: 'name', to: 'first', transforms: [{ op: 'template', template: '{0}' }, { op: 'split', separator: ' ', index: 0 }] })).toBe('{first: string}');
    expect(one({ from: 'name', to: ['firstName', 'lastName'], transforms: [{ op: 'template', template: '{0}' }, { op: 'split', separator: ' ', parts: 2 }] })).toBe(
      '{firstName: string, lastName: string}',
    );
    // A value that is never a list leaves spread targets null.
    expect(one({ from: 'n', to: ['a', 'b'], transforms: [{ op: 'number' }] })).toBe('{a: null, b: null}');
  });

  it('list transforms: concat joins to a string, coalesce picks an element, map and filter keep lists', () => {
    expect(one({ fromAll: ['a', 'b'], to: 'joined', transforms: [{ op: 'concat', separator: ' ' }] })).toBe('{joined: string}');
    expect(one({ from: 'xs[*].n', to: 'first', transforms: [{ op: 'map', transforms: [{ op: 'number' }] }, { op: 'coalesce' }] })).toBe('{first: number}');
    expect(one({ from: 'xs[*].n', to: 'ns', transforms: [{ op: 'map', transforms: [{ op: 'boolean' }] }, { op: 'filter', where: { exists: true } }] })).toBe('{ns: [boolean]}');
  });

  it('enum gives its values\' types and default adds its own; lookup and expression can give anything', () => {
    expect(one({ from: 's', to: 's', transforms: [{ op: 'enum', values: { a: 'A', b: 'B' } }] })).toBe('{s: string}');
    expect(one({ from: 's', to: 's', transforms: [{ op: 'enum', values: { a: 1, b: 'B' }, default: 2 }] })).toBe('{s: int | string}');
    expect(one({ from: 'n', to: 'n', transforms: [{ op: 'number' }, { op: 'default', value: 0 }] })).toBe('{n: number}');
    expect(one({ from: 'n', to: 'n', transforms: [{ op: 'boolean' }, { op: 'default', value: 'unknown' }] })).toBe('{n: boolean | string}');
    expect(one({ from: 'c', to: 'c', transforms: [{ op: 'number' }, { op: 'lookup', map: { '1': 'one' } }] })).toBe('{c: any}');
    expect(one({ from: 'm', to: 'm', transforms: [{ op: 'number' }, { op: 'expression', expression: '$value * 2' }] })).toBe('{m: any}');
  });

  it('validations a stored record passed narrow what can be there: type, range, email, pattern', () => {
    const schema = (validations: ConversionSchemaInput['validations']) =>
      produced([{ shardType: 'thing', fields: [{ from: 'a', to: 'a' }, { from: 'b', to: 'x.b' }], validations }]);
    expect(schema([{ path: 'a', rule: 'type', type: 'integer' }, { path: 'x.b', rule: 'type', type: 'array' }])).toBe('{a: int, x: {b: [any]}}');
    expect(schema([{ path: 'a', rule: 'range', min: 0 }, { path: 'x.b', rule: 'email' }])).toBe('{a: number, x: {b: string}}');
    expect(schema([{ path: 'a', rule: 'pattern', pattern: '^a' }, { path: 'x', rule: 'type', type: 'object' }])).toBe('{a: string, x: {b: any}}');
    expect(schema([{ path: 'a', rule: 'required' }, { path: 'nowhere', rule: 'type', type: 'string' }])).toBe('{a: any, x: {b: any}}');
  });

  it('several schemas of one shard type: their fields together, types united', () => {
    expect(
      produced([
        { shardType: 'thing', fields: [{ from: 'p', to: 'price', transforms: [{ op: 'number' }] }, { from: 'c', to: 'address.city' }] },
        { shardType: 'thing', fields: [{ from: 'p', to: 'price', transforms: [{ op: 'template', template: '{0}' }] }, { from: 'z', to: 'address.zip' }] },
        { shardType: 'other', fields: [{ from: 'o', to: 'only' }] },
      ]),
    ).toBe('{price: number | string, address: {city: any, zip: any}}');
  });

  it('derived shards: their own fields, under their own type; a type nothing produces is undefined', () => {
    const customers = BUILTIN_SCHEMAS['woocommerce/customers'];
    expect(produced([customers], 'company_profile')).toBe('{name: any, country: any, city: any, contactExternalId: any}');
    expect(produced([customers], 'customer')).toBe(
      '{externalId: any, email: string, firstName: any, lastName: any, phone: any, company: any, address: {city: any, postcode: any, country: any}, isPayingCustomer: boolean, sourceModifiedAt: date-time}',
    );
    expect(produced([customers], 'nothing')).toBeUndefined();
  });
});
