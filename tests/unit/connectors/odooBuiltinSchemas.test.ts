import { describe, expect, it } from 'vitest';
import { ODOO_BUILTIN_SCHEMAS } from '../../../shared/connectors/odoo/odooBuiltinSchemas.js';
import { ODOO_MODELS } from '../../../shared/connectors/odoo/odooModels.js';
import { compileSchema } from '../../../shared/core/conversion/compileSchema.js';
import { compileRelationships } from '../../../shared/core/conversion/relationships.js';
import { validateSchema } from '../../../shared/core/conversion/validateSchema.js';

/** Records as Odoo's search_read (and dev/fakes/odoo) answers them: empty fields are `false`, many2one fields `[id, name]`. */
const company = {
  id: 14,
  name: ' Azure Interior ',
  email: ' Azure.Interior24@Example.com ',
  phone: '(870)-931-0505',
  is_company: true,
  company_name: false,
  parent_id: false,
  city: 'Fremont',
  vat: false,
  active: true,
  write_date: '2026-01-02 10:04:05',
};
const order = {
  id: 130,
  name: 'S00130',
  partner_id: [14, 'Azure Interior'],
  date_order: '2026-01-02 09:00:00',
  state: 'sale',
  amount_total: 287.75,
  currency_id: [1, 'USD'],
  write_date: '2026-01-02 10:04:05',
};
const quant = { id: 9, product_id: [5, '[FURN_0001] Desk'], location_id: [8, 'WH/Stock'], quantity: 12, reserved_quantity: 2, write_date: '2026-01-02 10:04:05' };

const convert = (key: keyof typeof ODOO_BUILTIN_SCHEMAS, record: Record<string, unknown>) => {
  const result = compileSchema(ODOO_BUILTIN_SCHEMAS[key]);
  if (result.async) throw new Error('built-in schemas are synchronous');
  const converted = result.run(record);
  if (!converted.ok) throw new Error(`not converted: ${JSON.stringify(converted)}`);
  return converted.primary.data;
};

describe('built-in Odoo schemas', () => {
  it('are valid, one per stream', () => {
    const schemas = Object.entries(ODOO_BUILTIN_SCHEMAS);
    expect(schemas.map(([key]) => key)).toEqual(ODOO_MODELS.map((model) => `odoo/${model.stream}`));
    for (const [, schema] of schemas) expect(validateSchema(schema)).toMatchObject({ ok: true });
  });

  it('make a customer shard from a partner: trimmed, the e-mail lower-cased, `false` fields absent, write_date read as UTC', () => {
    const data = convert('odoo/partners', company);
    expect(data).toMatchObject({ externalId: 14, displayName: 'Azure Interior', email: 'azure.interior24@example.com', isCompany: true, city: 'Fremont', sourceModifiedAt: '2026-01-02T10:04:05.000Z' });
    expect(data.company ?? null).toBeNull();
    expect(data.vatNumber ?? null).toBeNull();
  });

  it('make an order shard linked to its customer by the many2one id', () => {
    const data = convert('odoo/sale_orders', order);
    expect(data).toMatchObject({ externalId: 130, number: 'S00130', status: 'sale', customerExternalId: 14, currency: 'USD', total: 287.75, placedAt: '2026-01-02T09:00:00.000Z' });
    const relationships = compileRelationships(ODOO_BUILTIN_SCHEMAS['odoo/sale_orders'].relationships.map((rule) => ({ ...rule, none: [] })))(order);
    expect(relationships).toEqual([{ rel: 'customer', stream: 'partners', externalId: '14' }]);
  });

  it('make a stock level linked to its product', () => {
    expect(convert('odoo/stock_levels', quant)).toMatchObject({ externalId: 9, productExternalId: 5, location: 'WH/Stock', quantity: 12, reserved: 2 });
    const relationships = compileRelationships(ODOO_BUILTIN_SCHEMAS['odoo/stock_levels'].relationships.map((rule) => ({ ...rule, none: [] })))(quant);
    expect(relationships).toEqual([{ rel: 'product', stream: 'products', externalId: '5' }]);
  });

  it('refuse a sale order in a state Odoo does not have', () => {
    const result = compileSchema(ODOO_BUILTIN_SCHEMAS['odoo/sale_orders']);
    if (result.async) throw new Error('built-in schemas are synchronous');
    expect(result.run({ ...order, state: 'shipped' }).ok).toBe(false);
  });
});
