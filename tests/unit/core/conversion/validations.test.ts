import { describe, expect, it } from 'vitest';
import { runSync } from './helpers.js';
import type { ConversionSchemaInput } from '../../../../shared/core/conversion/schema.js';

type Validation = NonNullable<ConversionSchemaInput['validations']>[number];
const check = (validation: Validation, value: unknown) =>
  runSync([{ from: 'v', to: 'out.value' }, { from: 'w', to: 'other' }], { v: value }, { validations: [validation] });
const passes = (validation: Validation, value: unknown) => check(validation, value).ok;

describe('validations', () => {
  it('required fails missing, null and empty values, naming source, target and rule', () => {
    expect(check({ path: 'out.value', rule: 'required' }, '')).toEqual({
      ok: false,
      issues: [{ sourcePath: 'v', targetPath: 'out.value', rule: 'required', message: '"out.value" is required but missing or empty' }],
    });
    expect(passes({ path: 'out.value', rule: 'required' }, null)).toBe(false);
    expect(passes({ path: 'out.value', rule: 'required' }, undefined)).toBe(false);
    expect(passes({ path: 'out.value', rule: 'required' }, 0)).toBe(true);
    expect(passes({ path: 'out.value', rule: 'required' }, ' ')).toBe(true);
  });

  it('every other rule lets a missing value through', () => {
    for (const rule of [
      { path: 'out.value', rule: 'type', type: 'number' }, { path: 'out.value', rule: 'email' }, { path: 'out.value', rule: 'pattern', pattern: 'x' },
      { path: 'out.value', rule: 'range', min: 1 }, { path: 'out.value', rule: 'enum', values: ['a'] },
    ] as Validation[]) expect(passes(rule, null)).toBe(true);
  });

  it('type distinguishes integers, arrays and objects', () => {
    expect(passes({ path: 'out.value', rule: 'type', type: 'integer' }, 3)).toBe(true);
    expect(passes({ path: 'out.value', rule: 'type', type: 'integer' }, 3.5)).toBe(false);
    expect(passes({ path: 'out.value', rule: 'type', type: 'array' }, [])).toBe(true);
    expect(passes({ path: 'out.value', rule: 'type', type: 'object' }, [])).toBe(false);
    expect(passes({ path: 'out.value', rule: 'type', type: 'string' }, 5)).toBe(false);
  });

  it('pattern and email work on unicode text', () => {
    expect(passes({ path: 'out.value', rule: 'pattern', pattern: '^\\p{Lu}' }, 'Ärger')).toBe(true);
    expect(passes({ path: 'out.value', rule: 'pattern', pattern: '^[a-z]+$', flags: 'i' }, 'ABC')).toBe(true);
    expect(passes({ path: 'out.value', rule: 'pattern', pattern: '^\\d+$' }, 12)).toBe(false);
    expect(passes({ path: 'out.value', rule: 'email' }, 'zoë.müller@exämple.de')).toBe(true);
    expect(passes({ path: 'out.value', rule: 'email' }, 'no-at-sign.example.com')).toBe(false);
    expect(passes({ path: 'out.value', rule: 'email' }, 'a@b')).toBe(false);
  });

  it('range bounds numbers, huge ones included', () => {
    expect(passes({ path: 'out.value', rule: 'range', min: 0, max: 10 }, 10)).toBe(true);
    expect(passes({ path: 'out.value', rule: 'range', min: 0 }, -0.001)).toBe(false);
    expect(passes({ path: 'out.value', rule: 'range', max: 1e308 }, Number.MAX_VALUE)).toBe(false);
    expect(passes({ path: 'out.value', rule: 'range', max: 10 }, '5')).toBe(false);
  });

  it('enum compares JSON values', () => {
    expect(passes({ path: 'out.value', rule: 'enum', values: ['a', 1, { k: true }] }, { k: true })).toBe(true);
    expect(passes({ path: 'out.value', rule: 'enum', values: ['a', 1] }, '1')).toBe(false);
  });

  it('reports every failing validation of a record', () => {
    const result = runSync([{ from: 'a', to: 'a' }, { from: 'b', to: 'b' }], { b: 'x' }, {
      validations: [{ path: 'a', rule: 'required' }, { path: 'b', rule: 'type', type: 'number' }],
    });
    expect(result.ok ? [] : result.issues.map((issue) => issue.rule)).toEqual(['required', 'type']);
  });
});
