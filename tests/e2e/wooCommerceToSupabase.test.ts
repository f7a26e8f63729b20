import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeWooCommerce, type FakeWooCommerce } from '../../dev/fakes/fakeWooCommerce.js';
import type { AdminClient } from '../../dev/adminClient.js';
import { DEMO_CREDENTIALS, DEMO_SCHEMAS, DEMO_TASK, DEMO_TENANT, ensureDemoResources } from '../../dev/demoSetup.js';
import { startLocalPostgres, type LocalPostgres } from '../../dev/postgres/localPostgres.js';
import { startFakeSupabase, type FakeSupabase } from '../../dev/fakes/supabase/fakeSupabase.js';
import { updatedAtTriggerSql } from '../../dev/fakes/supabase/updatedAtTrigger.js';
import { supabaseRawSchemas } from '../../shared/connectors/supabase/supabaseRawSchemas.js';
import { apiClient } from './apiClient.js';
import { startHostProcess, type HostProcess } from './hostProcess.js';

/**
 * Any stream into Supabase as raw JSON: every shard a WooCommerce sync makes (customers, their
 * companies, products, orders) is upserted into a table of its own through an outbound task, its
 * mapped fields in columns and the store's whole record in a jsonb column (the `$` source path).
 * Creates are upserts on the shard's source key; a second push writes nothing, and a changed order
 * is one write.
 */
const COUNTS = { customers: 80, products: 25, orders: 150 };
const KEY = 'sb_secret_woo_to_supabase_key_0042';
const TARGET = 'warehouse';
const TASK = 'woo-to-supabase';

/** One table per shard type: the source key unique (creates upsert on it), the raw record beside the mapped columns. */
const TABLES = {
  woo_customers: 'email text, first_name text, last_name text, city text',
  woo_companies: 'name text, country text, city text',
  woo_products: 'name text, sku text, price numeric',
  woo_orders: 'number text, status text, total numeric, email text',
};

/** The shard's source key, e.g. `woocommerce/orders/17`: the unique column creates upsert on. */
const keyField = (prefix: string, from: Record<string, string>) => ({
  fromAll: from,
  to: 'source_key',
  transforms: [{ op: 'template' as const, template: `${prefix}/${Object.keys(from).map((name) => `{${name}}`).join('/')}` }],
});

/** Write schemas: shard data → row. Read schemas: row → shard data, so what was written reads back the same. */
const schemas = {
  'sb-customer-write': { shardType: 'customer', fields: [keyField('woocommerce/customers', { id: 'externalId' }), { from: 'email', to: 'email' }, { from: 'firstName', to: 'first_name' }, { from: 'lastName', to: 'last_name' }, { from: 'address.city', to: 'city' }, { from: 'raw', to: 'raw' }] },
  'sb-customer-read': { shardType: 'customer', fields: [{ from: 'email', to: 'email' }, { from: 'first_name', to: 'firstName' }, { from: 'last_name', to: 'lastName' }] },
  'sb-company-write': { shardType: 'company_profile', fields: [keyField('woocommerce/companies', { contact: 'contactExternalId', name: 'name' }), { from: 'name', to: 'name' }, { from: 'country', to: 'country' }, { from: 'city', to: 'city' }] },
  'sb-company-read': { shardType: 'company_profile', fields: [{ from: 'name', to: 'name' }, { from: 'country', to: 'country' }] },
  'sb-product-write': { shardType: 'product', fields: [keyField('woocommerce/products', { id: 'externalId' }), { from: 'name', to: 'name' }, { from: 'sku', to: 'sku' }, { from: 'price', to: 'price' }, { from: 'raw', to: 'raw' }] },
  'sb-product-read': { shardType: 'product', fields: [{ from: 'name', to: 'name' }, { from: 'sku', to: 'sku' }] },
  'sb-order-write': { shardType: 'order', fields: [keyField('woocommerce/orders', { id: 'externalId' }), { from: 'number', to: 'number' }, { from: 'status', to: 'status' }, { from: 'total', to: 'total' }, { from: 'email', to: 'email' }, { from: 'raw', to: 'raw' }] },
  'sb-order-read': { shardType: 'order', fields: [{ from: 'number', to: 'number' }, { from: 'status', to: 'status' }] },
};

const task = {
  connectionId: TARGET,
  direction: 'outbound',
  streams: [
    { stream: 'customers', schemaId: 'sb-customer-read', writeSchemaId: 'sb-customer-write' },
    { stream: 'companies', schemaId: 'sb-company-read', writeSchemaId: 'sb-company-write' },
    { stream: 'products', schemaId: 'sb-product-read', writeSchemaId: 'sb-product-write' },
    { stream: 'orders', schemaId: 'sb-order-read', writeSchemaId: 'sb-order-write' },
  ],
};

describe('every shard of a WooCommerce sync upserted into Supabase tables, raw record included', () => {
  let host: HostProcess;
  let woo: FakeWooCommerce;
  let db: LocalPostgres;
  let supabase: FakeSupabase;
  let api: AdminClient;
  let companies = 0;

  const writes = () => supabase.requests.filter((request) => request.method === 'POST' || request.method === 'PATCH' || request.method === 'DELETE');
  const rowCount = async (table: string) => (await supabase.sql<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`))[0]!.n;
  const total = () => COUNTS.customers + COUNTS.products + COUNTS.orders + companies;
  /** Until Supabase has seen no write for `quietMs` and `ready` holds: the write-backs have drained. */
  const settle = async (ready: () => Promise<boolean>, quietMs = 2_000, timeoutMs = 180_000) => {
    const started = Date.now();
    let [seen, since] = [-1, Date.now()];
    for (;;) {
      const count = writes().length;
      if (count !== seen) [seen, since] = [count, Date.now()];
      if ((await ready()) && Date.now() - since >= quietMs) return;
      if (Date.now() - started > timeoutMs) {
        const open = await api.ok('GET', `tenants/${DEMO_TENANT}/conflicts?status=open`);
        throw new Error(`write-backs did not settle after ${count} writes; open conflicts: ${JSON.stringify(open.items.slice(0, 5).map((c: { type: string; message?: string }) => [c.type, c.message]))}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };
  const syncStore = async () => {
    const accepted = await api.ok('POST', `tenants/${DEMO_TENANT}/tasks/${DEMO_TASK}/executions`, {});
    expect((await api.waitForExecution(DEMO_TENANT, accepted.executionId, { timeoutMs: 120_000 })).status).toBe('success');
  };

  beforeAll(async () => {
    woo = await startFakeWooCommerce({ seed: 7, counts: COUNTS, ...DEMO_CREDENTIALS });
    db = await startLocalPostgres();
    supabase = await startFakeSupabase({ connectionString: db.connectionString, apiKey: KEY });
    for (const [table, columns] of Object.entries(TABLES)) {
      await supabase.sql(`
        CREATE TABLE ${table} (id bigserial PRIMARY KEY, source_key text UNIQUE NOT NULL, ${columns}, raw jsonb, updated_at timestamptz NOT NULL DEFAULT clock_timestamp());
        ${updatedAtTriggerSql(table)}
      `);
    }
    host = await startHostProcess({});
    api = apiClient(host.url, host.adminKey);
    await ensureDemoResources(api, woo.url);
    // The store's schemas keep the whole record beside the mapped fields (`$`), for the raw column.
    for (const [stream, schema] of Object.entries(supabaseRawSchemas(DEMO_SCHEMAS))) {
      await api.ok('PUT', `tenants/${DEMO_TENANT}/schemas/demo-${stream}`, { name: `WooCommerce ${stream} (raw kept)`, ...schema });
    }
    await syncStore();
    companies = (await api.ok('GET', `tenants/${DEMO_TENANT}/shards?type=company_profile&count=true`)).count;
    await api.ok('PUT', `tenants/${DEMO_TENANT}/connections/${TARGET}`, {
      provider: 'supabase',
      name: 'Supabase warehouse (fake)',
      settings: {
        url: supabase.url,
        tables: [
          { stream: 'customers', table: 'woo_customers', conflictColumns: ['source_key'] },
          { stream: 'companies', table: 'woo_companies', conflictColumns: ['source_key'] },
          { stream: 'products', table: 'woo_products', conflictColumns: ['source_key'] },
          { stream: 'orders', table: 'woo_orders', conflictColumns: ['source_key'] },
        ],
      },
      credentials: { apiKey: KEY },
    });
    for (const [id, schema] of Object.entries(schemas)) await api.ok('PUT', `tenants/${DEMO_TENANT}/schemas/${id}`, schema);
  }, 180_000);
  afterAll(async () => {
    await host?.stop();
    await supabase?.close();
    await db?.stop();
    await woo?.close();
  });

  it('a push upserts every shard once, mapped fields and the raw record; a second push writes nothing; a changed order is one write', { timeout: 400_000 }, async () => {
    expect(companies).toBeGreaterThan(0);
    expect((await api.request('PUT', `tenants/${DEMO_TENANT}/tasks/${TASK}`, task)).status).toBe(201);
    const pushed = await api.ok('POST', `tenants/${DEMO_TENANT}/tasks/${TASK}/push`);
    expect(pushed).toEqual({ creates: total(), updates: 0 });
    await settle(async () => (await rowCount('woo_orders')) === COUNTS.orders);

    expect([await rowCount('woo_customers'), await rowCount('woo_companies'), await rowCount('woo_products'), await rowCount('woo_orders')]).toEqual([COUNTS.customers, companies, COUNTS.products, COUNTS.orders]);
    const posts = writes();
    expect(posts).toHaveLength(total());
    expect(posts.every((request) => request.method === 'POST' && request.status === 201 && request.query.on_conflict === 'source_key' && request.prefer === 'resolution=merge-duplicates,return=representation')).toBe(true);

    // Mapped columns beside the store's whole record.
    const [customer] = await supabase.sql<{ email: string; first_name: string; raw: Record<string, unknown> }>("SELECT email, first_name, raw FROM woo_customers WHERE source_key = 'woocommerce/customers/3'");
    const wooCustomer = woo.getRecord('customers', 3)!;
    expect(customer).toMatchObject({ email: String(wooCustomer.email).trim().toLowerCase(), first_name: String(wooCustomer.first_name).trim() });
    expect(customer!.raw).toMatchObject({ id: 3, email: wooCustomer.email, billing: wooCustomer.billing });
    const [order] = await supabase.sql<{ number: string; total: string; raw: Record<string, unknown> }>("SELECT number, total::text, raw FROM woo_orders WHERE source_key = 'woocommerce/orders/17'");
    const wooOrder = woo.getRecord('orders', 17)!;
    expect(order).toMatchObject({ number: String(wooOrder.number) });
    expect(Number(order!.total)).toBe(Number(wooOrder.total));
    expect(order!.raw).toMatchObject({ id: 17, line_items: wooOrder.line_items });
    expect(await supabase.sql("SELECT 1 FROM woo_orders WHERE raw IS NULL OR raw->>'id' IS NULL")).toEqual([]);

    // Pushing again: every shard is unchanged since it was written, nothing is sent.
    const before = writes().length;
    expect(await api.ok('POST', `tenants/${DEMO_TENANT}/tasks/${TASK}/push`)).toEqual({ creates: 0, updates: total() });
    await settle(async () => true, 3_000);
    expect(writes()).toHaveLength(before);

    // One order changes in the store and the store syncs: its row is written once, under the updated_at it was written with.
    const [row] = await supabase.sql<{ updated_at: string }>("SELECT to_json(updated_at)#>>'{}' AS updated_at FROM woo_orders WHERE source_key = 'woocommerce/orders/17'");
    woo.updateRecord('orders', 17, { billing: { ...(wooOrder.billing as object), email: 'changed.buyer@example.org' } });
    await syncStore();
    await settle(async () => (await supabase.sql("SELECT 1 FROM woo_orders WHERE email = 'changed.buyer@example.org'")).length === 1);
    const changed = writes().slice(before);
    expect(changed).toHaveLength(1);
    expect(changed[0]).toMatchObject({ method: 'PATCH', status: 200, query: { id: expect.stringMatching(/^eq\.\d+$/), updated_at: `eq.${row!.updated_at}` } });
    expect(changed[0]!.body).toMatchObject({ email: 'changed.buyer@example.org', raw: { id: 17, billing: { email: 'changed.buyer@example.org' } } });
    expect(await rowCount('woo_orders')).toBe(COUNTS.orders);
  });
});
