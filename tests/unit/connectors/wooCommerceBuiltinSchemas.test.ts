import { describe, expect, it } from 'vitest';
import { BUILTIN_SCHEMAS } from '../../../shared/connectors/woocommerce/wooCommerceBuiltinSchemas.js';
import { compileSchema } from '../../../shared/core/conversion/compileSchema.js';
import { validateSchema } from '../../../shared/core/conversion/validateSchema.js';
import { generateRecord, type DataContext } from '../../../dev/fakes/fakeWooCommerceData.js';

const context: DataContext = { seed: 7, counts: { customers: 200, products: 50, orders: 200 }, storeUrl: 'http://store.test', timezoneOffsetMinutes: 60 };
const run = (name: keyof typeof BUILTIN_SCHEMAS, record: unknown) => {
  const compiled = compileSchema(BUILTIN_SCHEMAS[name]);
  if (compiled.async) throw new Error('built-in schemas are synchronous');
  return compiled.run(record);
};

describe('built-in WooCommerce schemas', () => {
  it('are valid', () => {
    for (const schema of Object.values(BUILTIN_SCHEMAS)) expect(validateSchema(schema)).toMatchObject({ ok: true });
  });

  it('convert every generated record cleanly', () => {
    for (const stream of ['customers', 'products', 'orders'] as const) {
      for (let id = 1; id <= 50; id++) {
        const result = run(`woocommerce/${stream}`, generateRecord(context, stream, id));
        expect(result, `${stream} ${id}`).toMatchObject({ ok: true, warnings: [] });
      }
    }
  });

  it('map a customer and derive a company profile only when the company is set', () => {
    const records = Array.from({ length: 60 }, (_, i) => generateRecord(context, 'customers', i + 1));
    const withCompany = records.find((r) => (r.billing as { company: string }).company !== '')!;
    const without = records.find((r) => (r.billing as { company: string }).company === '')!;
    const result = run('woocommerce/customers', withCompany);
    if (!result.ok) throw new Error('expected ok');
    const billing = withCompany.billing as Record<string, string>;
    expect(result.primary.data).toMatchObject({ externalId: withCompany.id, email: withCompany.email, address: { city: billing.city, country: billing.country } });
    expect(result.primary.data.sourceModifiedAt).toBe(`${String(withCompany.date_modified_gmt)}.000Z`);
    expect(result.derived).toEqual([{ shardType: 'company_profile', key: billing.company, data: { name: billing.company, country: billing.country, city: billing.city, contactExternalId: withCompany.id } }]);
    expect(run('woocommerce/customers', without)).toMatchObject({ ok: true, derived: [] });
  });

  it('fail a customer without an email, naming the rule', () => {
    expect(run('woocommerce/customers', { id: 1, email: '  ' })).toMatchObject({ ok: false, issues: [{ sourcePath: 'email', targetPath: 'email', rule: 'required' }] });
    expect(run('woocommerce/customers', { id: 1, email: 'not-an-email' })).toMatchObject({ ok: false, issues: [{ rule: 'email' }] });
  });

  it('read order line-item SKUs through a wildcard and guest orders as no customer', () => {
    const result = run('woocommerce/orders', { number: '9', status: 'completed', customer_id: 0, line_items: [{ sku: 'A' }, { sku: 'B' }] });
    expect(result).toMatchObject({ ok: true, primary: { data: { skus: ['A', 'B'], customerExternalId: null } } });
  });
});
