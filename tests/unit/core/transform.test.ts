import { describe, expect, it } from 'vitest';
import { compileTransform } from '../../../shared/core/transform.js';

describe('minimal transform', () => {
  const transform = compileTransform([
    { source: 'id', target: 'externalId', required: true },
    { source: 'email', target: 'email', required: true },
    { source: 'billing.phone', target: 'contact.phone', required: false },
    { source: 'line_items.0.sku', target: 'firstSku', required: false },
  ]);

  it('maps nested source paths and array indexes to nested targets', () => {
    const result = transform({ id: 7, email: 'a@b.c', billing: { phone: '+1 555' }, line_items: [{ sku: 'S-1' }] });
    expect(result).toEqual({
      ok: true,
      data: { externalId: 7, email: 'a@b.c', contact: { phone: '+1 555' }, firstSku: 'S-1' },
    });
  });

  it('turns a missing optional source into null instead of failing', () => {
    const result = transform({ id: 7, email: 'a@b.c' });
    expect(result).toEqual({ ok: true, data: { externalId: 7, email: 'a@b.c', contact: { phone: null }, firstSku: null } });
  });

  it('fails a record whose required field is missing or empty, naming source, target and rule', () => {
    const result = transform({ id: 7, email: '' });
    expect(result).toEqual({
      ok: false,
      issues: [{ sourcePath: 'email', targetPath: 'email', rule: 'required', message: 'required field "email" is missing or empty' }],
    });
  });

  it('does not read through primitives', () => {
    expect(transform({ id: 1, email: 'x@y.z', billing: 'not an object' })).toMatchObject({ ok: true, data: { contact: { phone: null } } });
  });
});
