import { describe, expect, it } from 'vitest';
import { erpNextHooks, frappeDateTime, splitNames } from '../../../shared/connectors/erpnext/erpNextQuery.js';
import { erpNextSettingsSchema } from '../../../shared/connectors/erpnext/erpNextSettings.js';
import { erpNextSpec } from '../../../shared/connectors/erpnext/erpNextSpec.js';

const settings = erpNextSettingsSchema.parse({ baseUrl: 'https://erp.example.com', doctypes: [{ stream: 'suppliers', doctype: 'Supplier', fields: ['supplier_name'] }] });
const spec = erpNextSpec(settings);
const streamNamed = (name: string) => {
  const stream = spec.streams.find((candidate) => candidate.name === name);
  expect(stream).toBeDefined();
  return stream!;
};
const shape = (name: string, params: Record<string, string>) => erpNextHooks(settings).shapeList!(streamNamed(name), { method: 'GET', path: streamNamed(name).path, params, headers: {} });

describe('ERPNext list calls', () => {
  it('write instants in Frappe form, with microseconds', () => {
    expect(frappeDateTime('2026-01-02T03:04:05.678Z')).toBe('2026-01-02 03:04:05.678000');
    expect(() => frappeDateTime('not a time')).toThrow(/not a date-time/);
  });

  it('a full read: paging kept, every field, ordered by creation then name, no filters', () => {
    expect(shape('customers', { limit_start: '1000', limit_page_length: '1000' })).toMatchObject({
      path: 'api/resource/Customer',
      params: { fields: '["*"]', limit_start: '1000', limit_page_length: '1000', order_by: 'creation asc, name asc' },
    });
    expect(shape('customers', {}).params.filters).toBeUndefined();
  });

  it('an incremental read of a settings DocType: its fields, a modified filter, ordered by modified then name; task filters are equalities', () => {
    const call = shape('suppliers', { erpnext_modified_after: '2026-01-02T03:04:05.677Z', supplier_group: 'Services', limit_start: '0', limit_page_length: '50' });
    expect(call.path).toBe('api/resource/Supplier');
    expect(JSON.parse(call.params.fields!)).toEqual(['name', 'modified', 'creation', 'supplier_name']);
    expect(JSON.parse(call.params.filters!)).toEqual([
      ['supplier_group', '=', 'Services'],
      ['modified', '>', '2026-01-02 03:04:05.677000'],
    ]);
    expect(call.params.order_by).toBe('modified asc, name asc');
    expect(call.params).not.toHaveProperty('erpnext_modified_after');
  });

  it('names asked for become an in filter; a name with ", " survives the join', () => {
    expect(JSON.parse(shape('customers', { erpnext_names: 'Acme, Inc.,Customer 00001' }).params.filters!)).toEqual([['name', 'in', ['Acme, Inc.', 'Customer 00001']]]);
    expect(splitNames('a,b')).toEqual(['a', 'b']);
    expect(splitNames('Smith, John, Jr.')).toEqual(['Smith, John, Jr.']);
  });

  it('encodes DocTypes with spaces in paths, and refuses streams of other connections', () => {
    expect(streamNamed('sales_invoices').path).toBe('api/resource/Sales%20Invoice');
    expect(streamNamed('sales_invoices').writes?.update?.path).toBe('api/resource/Sales%20Invoice/{id}');
    expect(() => erpNextHooks({ doctypes: [] }).shapeList!(streamNamed('suppliers'), { method: 'GET', path: 'x', params: {}, headers: {} })).toThrow(/no stream "suppliers"/);
  });

  it('settings refuse a DocType stream that repeats a name', () => {
    const twice = erpNextSettingsSchema.safeParse({ baseUrl: 'https://erp.example.com', doctypes: [{ stream: 'customers', doctype: 'Lead' }] });
    expect(twice.success).toBe(false);
    expect(twice.error?.issues[0]).toMatchObject({ path: ['doctypes', 0, 'stream'] });
    expect(erpNextSettingsSchema.safeParse({ baseUrl: 'https://erp.example.com', doctypes: [{ stream: 'leads', doctype: '../Lead' }] }).success).toBe(false);
  });
});
