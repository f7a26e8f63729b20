import { describe, expect, it } from 'vitest';
import { ERPNEXT_BUILTIN_SCHEMAS } from '../../../shared/connectors/erpnext/erpNextBuiltinSchemas.js';
import { compileSchema } from '../../../shared/core/conversion/compileSchema.js';
import { compileRelationships } from '../../../shared/core/conversion/relationships.js';
import { validateSchema } from '../../../shared/core/conversion/validateSchema.js';

/** Documents as an ERPNext list with `fields=["*"]` (and dev/fakes/erpnext) answers them. */
const customer = {
  name: 'Grant Plastics Ltd.',
  doctype: 'Customer',
  owner: 'Administrator',
  creation: '2026-01-02 09:00:00.000000',
  modified: '2026-01-02 10:04:05.123456',
  customer_name: ' Grant Plastics Ltd. ',
  customer_type: 'Company',
  customer_group: 'Commercial',
  territory: 'India',
  email_id: ' Sales@Grant-Plastics.example ',
  mobile_no: '+91 98765 43210',
  docstatus: 0,
};
const item = { name: 'SKU-00007', item_code: 'SKU-00007', item_name: 'Base Plate', item_group: 'Products', description: 'Steel base plate', standard_rate: '12.50', modified: '2026-01-02 10:04:05.000000' };
const invoice = {
  name: 'ACC-SINV-2026-00012',
  customer: 'Grant Plastics Ltd.',
  posting_date: '2026-01-02',
  currency: 'EUR',
  grand_total: 287.75,
  outstanding_amount: 100,
  modified: '2026-01-02 10:04:05.999999',
};

const run = (schema: Parameters<typeof compileSchema>[0], record: unknown) => {
  const compiled = compileSchema(schema);
  if (compiled.async) throw new Error('built-in schemas are synchronous');
  const converted = compiled.run(record);
  if (!converted.ok) throw new Error(`conversion failed: ${JSON.stringify(converted.issues)}`);
  return converted.primary.data;
};

describe('built-in ERPNext schemas', () => {
  it('are valid', () => {
    const schemas = Object.values(ERPNEXT_BUILTIN_SCHEMAS);
    expect(schemas.length).toBe(3);
    for (const schema of schemas) expect(validateSchema(schema)).toMatchObject({ ok: true });
  });

  it('make a customer shard keyed by name, e-mail lower-cased, the microsecond modified read as UTC', () => {
    expect(run(ERPNEXT_BUILTIN_SCHEMAS['erpnext/customers'], customer)).toMatchObject({
      externalId: 'Grant Plastics Ltd.',
      displayName: 'Grant Plastics Ltd.',
      email: 'sales@grant-plastics.example',
      phone: '+91 98765 43210',
      group: 'Commercial',
      territory: 'India',
      sourceModifiedAt: '2026-01-02T10:04:05.123Z',
    });
  });

  it('make a product of an item, its rate a number', () => {
    expect(run(ERPNEXT_BUILTIN_SCHEMAS['erpnext/items'], item)).toMatchObject({ externalId: 'SKU-00007', name: 'Base Plate', sku: 'SKU-00007', price: 12.5, sourceModifiedAt: '2026-01-02T10:04:05.000Z' });
  });

  it('make an invoice linked to its customer', () => {
    expect(run(ERPNEXT_BUILTIN_SCHEMAS['erpnext/sales_invoices'], invoice)).toMatchObject({ externalId: 'ACC-SINV-2026-00012', number: 'ACC-SINV-2026-00012', customerExternalId: 'Grant Plastics Ltd.', total: 287.75, balance: 100 });
    const rules = ERPNEXT_BUILTIN_SCHEMAS['erpnext/sales_invoices'].relationships.map((rule) => ({ ...rule, none: [] }));
    expect(compileRelationships(rules)(invoice)).toEqual([{ rel: 'customer', stream: 'customers', externalId: 'Grant Plastics Ltd.' }]);
  });

  it('refuse a customer without a name', () => {
    const compiled = compileSchema(ERPNEXT_BUILTIN_SCHEMAS['erpnext/customers']);
    if (compiled.async) throw new Error('built-in schemas are synchronous');
    expect(compiled.run({ ...customer, customer_name: '  ' }).ok).toBe(false);
  });
});
