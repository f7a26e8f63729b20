import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { compileSchema } from '../../../../shared/core/conversion/compileSchema.js';
import type { ConversionSchemaInput } from '../../../../shared/core/conversion/schema.js';
import { BUILTIN_SCHEMAS } from '../../../../shared/connectors/woocommerce/wooCommerceBuiltinSchemas.js';

/** Every transform at least once, over paths arbitrary records may or may not have. */
const EVERYTHING: ConversionSchemaInput = {
  shardType: 'everything',
  fields: [
    { from: 'a', to: 'plain' },
    { from: 'a.b[0].c', to: 'nested.deep' },
    { from: 'a[*].b', to: 'wildcard' },
    { from: 'b', to: 'text', transforms: [{ op: 'trim' }, { op: 'case', mode: 'title' }, { op: 'regex', pattern: '(\\p{L}+)' }] },
    { from: 'c', to: ['first', 'last'], transforms: [{ op: 'split', separator: ' ', parts: 2 }] },
    { from: 'c', to: 'part', transforms: [{ op: 'split', separator: ',', index: 1 }] },
    { fromAll: ['a', 'b', 'c'], to: 'joined', transforms: [{ op: 'concat', separator: '|' }] },
    { fromAll: ['a', 'b', 'c'], to: 'firstSet', transforms: [{ op: 'coalesce' }, { op: 'default', value: 'none' }] },
    { fromAll: { x: 'a', y: 'b' }, to: 'templated', transforms: [{ op: 'template', template: '{x}-{y}' }] },
    { from: 'd', to: 'number', transforms: [{ op: 'number', decimal: ',', thousands: '.' }, { op: 'unit', from: 'g', to: 'kg' }] },
    { from: 'd', to: 'flag', transforms: [{ op: 'boolean' }] },
    { from: 'e', to: 'when', transforms: [{ op: 'date', formats: ['iso', 'DD.MM.YYYY', 'epoch_ms'], timeZone: 'Europe/Berlin' }] },
    { from: 'f', to: 'looked', transforms: [{ op: 'lookup', map: { x: 1, '1': 'one' } }, { op: 'enum', values: { '1': 'ONE', one: 'uno' }, default: null }] },
    { from: 'g', to: 'list', transforms: [{ op: 'filter', where: { path: 'k', in: [1, 'x', null] } }, { op: 'map', transforms: [{ op: 'trim' }] }] },
  ],
  validations: [{ path: 'number', rule: 'range', min: -1e6 }, { path: 'text', rule: 'pattern', pattern: '^\\p{Lu}' }, { path: 'plain', rule: 'type', type: 'string' }],
  derived: [{ shardType: 'side', when: { path: 'b', exists: true }, key: 'b', fields: [{ from: 'c', to: 'c', transforms: [{ op: 'case', mode: 'upper' }] }] }],
};

const sharpKeys = fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g', 'k', '0', '__proto__', 'constructor');
const shapedRecord = fc.dictionary(sharpKeys, fc.jsonValue({ maxDepth: 4 }));
const anyInput = fc.oneof(fc.jsonValue(), fc.object(), shapedRecord, fc.anything());

/** Paths of values JSON cannot carry (undefined, NaN, ±Infinity, functions…), for an assertion that names them. */
function nonJsonLeaves(value: unknown, path = '$'): string[] {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return [];
  if (typeof value === 'number') return Number.isFinite(value) ? [] : [path];
  if (Array.isArray(value)) return value.flatMap((item, index) => nonJsonLeaves(item, `${path}[${index}]`));
  if (typeof value === 'object') return Object.entries(value).flatMap(([key, item]) => nonJsonLeaves(item, `${path}.${key}`));
  return [path];
}

describe('conversion properties', () => {
  const compiled = compileSchema(EVERYTHING);

  it('never throws and is deterministic on any input', () => {
    if (compiled.async) throw new Error('expected a synchronous schema');
    fc.assert(fc.property(anyInput, (record) => {
      const first = compiled.run(record);
      expect(compiled.run(record)).toEqual(first);
      expect(compiled.run(structuredClone(record))).toEqual(first);
    }), { numRuns: 500 });
  });

  it('turns JSON into JSON: nothing in the output is beyond what JSON can carry', () => {
    if (compiled.async) throw new Error('expected a synchronous schema');
    // JSON input only: values such as undefined or NaN (which fc.anything makes) never come from a provider.
    const jsonInput = fc.oneof(fc.jsonValue(), fc.dictionary(sharpKeys, fc.jsonValue({ maxDepth: 4 })));
    fc.assert(fc.property(jsonInput, (record) => {
      expect(nonJsonLeaves(compiled.run(record))).toEqual([]);
    }), { numRuns: 500 });
  });

  it('built-in schemas never throw on arbitrary objects', () => {
    const schemas = Object.values(BUILTIN_SCHEMAS).map((schema) => compileSchema(schema));
    expect(schemas.filter((schema) => !schema.async).length).toBeGreaterThan(0);
    fc.assert(fc.property(fc.object({ maxDepth: 3 }), (record) => {
      for (const schema of schemas) if (!schema.async) expect(schema.run(record)).toEqual(schema.run(record));
    }), { numRuns: 200 });
  });

  it('an async schema resolves deterministically on arbitrary JSON', async () => {
    const withExpression = compileSchema({ ...EVERYTHING, fields: [...EVERYTHING.fields, { from: 'a', to: 'expr', transforms: [{ op: 'expression', expression: '$type($value)' }] }] });
    await fc.assert(fc.asyncProperty(shapedRecord, async (record) => {
      expect(await withExpression.run(record)).toEqual(await withExpression.run(record));
    }), { numRuns: 100 });
  });
});
