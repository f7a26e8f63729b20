import { describe, expect, it } from 'vitest';
import { BUILTIN_SCHEMAS } from '../../../shared/connectors/woocommerce/wooCommerceBuiltinSchemas.js';
import { compileSchema } from '../../../shared/core/conversion/compileSchema.js';
import { validateSchema } from '../../../shared/core/conversion/validateSchema.js';
import { generateRecord, type DataContext } from '../../../dev/fakes/fakeWooCommerceData.js';

const context: DataContext = { seed: 7, counts: { customers: 200, products: 50, orders: 200 }, storeUrl: 'http://store.test', timezoneOffsetMinutes: 60 };
const run = (name: keyof typeof BUILTIN_SCHEMAS, record: unknown) => {
  const compiled = compileSchema(BUILTIN_SCHEMAS[name]);
  // Inbound conversion is the hot loop: no built-in schema may need an expression's promise per record.
  if (compiled.async) throw new Error(`${name} compiles to the asynchronous path`);
  return compiled.run(record);
};

describe('built-in WooCommerce schemas', () => {
  it('are valid', () => {
    for (const schema of Object.values(BUILTIN_SCHEMAS)) expect(validateSchema(schema)).toMatchObject({ ok: true });
  });

  it('convert every generated record cleanly', async () => {
    for (const stream of ['customers', 'products', 'orders'] as const) {
      for (let id = 1; id <= 50; id++) {
        const result = await run(`woocommerce/${stream}`, generateRecord(context, stream, id));
        expect(result, `${stream} ${id}`).toMatchObject({ ok: true, warnings: [] });
      }
    }
  });

  it('map a customer and derive a company profile only when the company is set', async () => {
    const records = Array.from({ length: 60 }, (_, i) => generateRecord(context, 'customers', i + 1));
    const withCompany = records.find((r) => (r.billing as { company: string }).company !== '')!;
    const without = records.find((r) => (r.billing as { company: string }).company === '')!;
    const result = await run('woocommerce/customers', withCompany);
    if (!result.ok) throw new Error('expected ok');
    const billing = withCompany.billing as Record<string, string>;
    expect(result.primary.data).toMatchObject({ externalId: withCompany.id, email: withCompany.email, address: { city: billing.city, country: billing.country } });
    expect(result.primary.data.sourceModifiedAt).toBe(`${String(withCompany.date_modified_gmt)}.000Z`);
    expect(result.derived).toEqual([{ shardType: 'company_profile', key: billing.company, data: { name: billing.company, country: billing.country, city: billing.city, contactExternalId: withCompany.id } }]);
    expect(await run('woocommerce/customers', without)).toMatchObject({ ok: true, derived: [] });
  });

  it('fail a customer without an email, naming the rule', async () => {
    expect(await run('woocommerce/customers', { id: 1, email: '  ' })).toMatchObject({ ok: false, issues: [{ sourcePath: 'email', targetPath: 'email', rule: 'required' }] });
    expect(await run('woocommerce/customers', { id: 1, email: 'not-an-email' })).toMatchObject({ ok: false, issues: [{ rule: 'email' }] });
  });

  it('read order line-item SKUs through a wildcard and guest orders as no customer', async () => {
    const result = await run('woocommerce/orders', { number: '9', status: 'completed', customer_id: 0, line_items: [{ sku: 'A' }, { sku: 'B' }] });
    expect(result).toMatchObject({ ok: true, primary: { data: { skus: ['A', 'B'], customerExternalId: null } } });
  });

  it('read order lines with the product id, SKU, quantity and amounts an invoice line needs', async () => {
    const order = generateRecord(context, 'orders', 3) as { line_items: Array<{ product_id: number; sku: string; name: string; quantity: number; price: number; total: string }> };
    expect(order.line_items.length).toBeGreaterThan(0);
    const result = await run('woocommerce/orders', order);
    if (!result.ok) throw new Error('expected ok');
    expect(result.primary.data.lines).toEqual(
      order.line_items.map((item) => ({ productExternalId: item.product_id, sku: item.sku, name: item.name, quantity: item.quantity, unitPrice: item.price, total: item.total })),
    );
    // A removed product's line keeps Woo's 0 (an outbound reference's `none` names it) and reads a missing SKU as null.
    const removed = await run('woocommerce/orders', { number: '9', status: 'completed', line_items: [{ product_id: 0, name: 'Gone', quantity: 1, price: 2, total: '2.00' }] });
    expect(removed).toMatchObject({ ok: true, primary: { data: { lines: [{ productExternalId: 0, sku: null, name: 'Gone', total: '2.00' }] } } });
  });
});
