import { describe, expect, it } from 'vitest';
import { validateSchema } from '../../../../shared/core/conversion/validateSchema.js';
import { compileSchema } from '../../../../shared/core/conversion/compileSchema.js';

describe('validateSchema', () => {
  it('accepts a valid schema and fills in defaults', () => {
    const result = validateSchema({ shardType: 'customer', fields: [{ from: 'email', to: 'email' }] });
    expect(result).toEqual({ ok: true, schema: { shardType: 'customer', fields: [{ from: 'email', to: 'email', transforms: [] }], validations: [], derived: [], relationships: [], linkWait: { retries: 3, baseDelayMs: 2000 } } });
  });

  it('lists every problem with its path', () => {
    const result = validateSchema({
      shardType: 'bad type!',
      fields: [
        { from: 'a..b', to: 'x' },
        { from: 'a', fromAll: ['b'], to: 'y' },
        { from: 'a', to: 'z', transforms: [{ op: 'trim' }, { op: 'regex', pattern: '(' }] },
        { from: 'a', to: 'w', transforms: [{ op: 'date', formats: ['DD/MM', 'iso'], timeZone: 'Mars/Olympus' }] },
        { from: 'a', to: 'v', transforms: [{ op: 'unit', from: 'kg', to: 'cm' }, { op: 'frobnicate' }] },
        { from: 'a', to: 'u', transforms: [{ op: 'expression', expression: '$sum(' }] },
        { from: 'a', to: 'x' },
        { from: 'a', to: 'u.deeper' },
        { from: '__proto__.polluted', to: 'constructor' },
        { from: 'a', to: 't', transforms: [{ op: 'map', transforms: [{ op: 'case', mode: 'shout' }] }] },
      ],
      validations: [{ path: 'x', rule: 'range' }, { path: 'x', rule: 'pattern', pattern: '[', flags: 'g' }],
      derived: [{ shardType: 'd', when: { exists: true }, key: 'a', fields: [{ from: 'a', to: 'k' }, { from: 'b', to: 'k' }] }],
      extra: 1,
    });
    expect(result.ok).toBe(false);
    const problems = result.ok ? [] : result.problems.map((p) => `${p.path}: ${p.message}`);
    const paths = new Set(problems.map((p) => p.slice(0, p.indexOf(':'))));
    for (const path of [
      'shardType', 'fields.0.from', 'fields.1', 'fields.2.transforms.1.pattern', 'fields.3.transforms.0.formats.0',
      'fields.3.transforms.0.timeZone', 'fields.4.transforms.0', 'fields.4.transforms.1.op', 'fields.5.transforms.0.expression',
      'fields.6.to', 'fields.7.to', 'fields.8.from', 'fields.8.to', 'fields.9.transforms.0.transforms.0.mode', 'validations.0',
      'validations.1.pattern', 'validations.1.flags', 'derived.0.when', 'derived.0.fields.1.to', '',
    ]) expect(paths, `${path} in ${problems.join('\n')}`).toContain(path);
    expect(problems).toContain('fields.2.transforms.1.pattern: invalid regex');
  });

  it('rejects input that is not an object at all', () => {
    expect(validateSchema(null).ok).toBe(false);
    expect(validateSchema('schema').ok).toBe(false);
  });

  it('makes compileSchema throw with the problems listed', () => {
    expect(() => compileSchema({ shardType: 'x', fields: [{ from: 'a', to: 'b', transforms: [{ op: 'regex', pattern: '(' }] }] })).toThrow(
      'fields.0.transforms.0.pattern: invalid regex',
    );
  });
});

describe('relationships and derived shards in a schema', () => {
  it('reject duplicate rel names, duplicate derived types and bad relationship paths, each with its path', () => {
    const derived = { shardType: 'profile', when: { path: 'a', exists: true }, key: 'a', fields: [{ from: 'a', to: 'a' }] };
    const result = validateSchema({
      shardType: 'order',
      fields: [{ from: 'id', to: 'id' }],
      derived: [derived, derived],
      relationships: [
        { rel: 'customer', stream: 'customers', from: 'customer_id' },
        { rel: 'customer', stream: 'customers', from: 'bad..path' },
      ],
      linkWait: { retries: 50 },
    });
    expect(result.ok).toBe(false);
    const paths = result.ok ? [] : result.problems.map((p) => p.path);
    expect(paths).toEqual(expect.arrayContaining(['derived', 'relationships', 'relationships.1.from', 'linkWait.retries']));
  });
});
