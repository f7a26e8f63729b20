import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeWooCommerce, type FakeWooCommerce } from '../../dev/fakes/fakeWooCommerce.js';
import { startFakeRestApi, type FakeRestApi } from '../../dev/fakes/restApi/fakeRestApi.js';
import type { AdminClient } from '../../dev/adminClient.js';
import { DEMO_CREDENTIALS, DEMO_TASK, DEMO_TENANT, ensureDemoResources } from '../../dev/demoSetup.js';
import { apiClient } from './apiClient.js';
import { startHostProcess, type HostProcess } from './hostProcess.js';

/**
 * WooCommerce orders become invoices at an accounting-style REST API through an outbound task: each
 * invoice names its customer and items by the target's ids, which the engine resolves — creating a
 * customer or item there first, exactly once however many concurrent write-backs need it — and a
 * second push or sync creates nothing.
 */
const TOKEN = 'e2e-books-token';
const CUSTOMERS = 6;
const PRODUCTS = 10;
const ORDERS = 200;
const WORKERS = 16;

const stream = (name: string) => ({
  name,
  path: name,
  recordsPath: 'data',
  idField: 'id',
  modifiedField: 'updated_at',
  paginator: { kind: 'cursor', cursorParam: 'cursor', sizeParam: 'limit', nextCursorPath: 'next_cursor' },
  incremental: { param: 'updated_since', format: 'iso8601' },
  writes: {
    create: { method: 'POST', path: name },
    update: { method: 'PATCH', path: `${name}/{id}` },
    concurrency: { kind: 'header', header: 'If-Match' },
    versionField: 'etag',
    forbiddenFields: ['id', 'etag', 'updated_at'],
    answer: 'record',
    createdIdPath: 'id',
  },
});

const booksSpec = (baseUrl: string) => ({
  title: 'Books (fake)',
  baseUrl,
  auth: { kind: 'bearer' },
  maxPageSize: 100,
  errors: { codePath: 'error.code', messagePath: 'error.message' },
  streams: [stream('customers'), stream('items'), stream('invoices')],
});

/** How the target's records read as shards; customers and items are written back through these (no write schema). */
const readSchemas = {
  'books-customers': { shardType: 'customer', fields: [{ from: 'email', to: 'email' }, { from: 'first_name', to: 'firstName' }, { from: 'last_name', to: 'lastName' }] },
  'books-items': { shardType: 'product', fields: [{ from: 'name', to: 'name' }, { from: 'sku', to: 'sku' }] },
  'books-invoices': { shardType: 'order', fields: [{ from: 'doc_number', to: 'number' }] },
};

/** An order as an invoice: run forward on the order shard once its customer and product ids are the target's. */
const invoiceWriteSchema = {
  shardType: 'order',
  fields: [
    { from: 'number', to: 'doc_number' },
    { from: 'status', to: 'status' },
    { from: 'total', to: 'total_amount' },
    { from: 'customerExternalId', to: 'customer_ref' },
    {
      from: 'lines',
      to: 'lines',
      transforms: [{ op: 'expression', expression: "[$value.{'item_ref': productExternalId, 'qty': quantity, 'unit_price': unitPrice, 'amount': total}]" }],
    },
  ],
};

const invoicesTask = {
  connectionId: 'books',
  direction: 'outbound',
  streams: [
    { stream: 'customers', schemaId: 'books-customers' },
    { stream: 'items', schemaId: 'books-items' },
    {
      stream: 'invoices',
      schemaId: 'books-invoices',
      writeSchemaId: 'books-invoice-write',
      references: [
        { rel: 'customer', path: 'customerExternalId', stream: 'customers' },
        { rel: 'product', path: 'lines[*].productExternalId', stream: 'items', none: [0] },
      ],
    },
  ],
};

interface WooLine {
  product_id: number;
  quantity: number;
}

describe('outbound references: WooCommerce orders become invoices at another system', () => {
  let host: HostProcess;
  let woo: FakeWooCommerce;
  let books: FakeRestApi;
  let api: AdminClient;

  beforeAll(async () => {
    woo = await startFakeWooCommerce({ seed: 21, counts: { customers: CUSTOMERS, products: PRODUCTS, orders: ORDERS }, ...DEMO_CREDENTIALS });
    books = await startFakeRestApi({ collections: ['customers', 'items', 'invoices'], auth: { bearer: TOKEN } });
    host = await startHostProcess({ AzureFunctionsJobHost__extensions__serviceBus__maxConcurrentCalls: String(WORKERS) });
    api = apiClient(host.url, host.adminKey);
    await ensureDemoResources(api, woo.url);
    const accepted = await api.ok('POST', `tenants/${DEMO_TENANT}/tasks/${DEMO_TASK}/executions`, {});
    expect((await api.waitForExecution(DEMO_TENANT, accepted.executionId, { timeoutMs: 120_000 })).status).toBe('success');
    await api.ok('PUT', `tenants/${DEMO_TENANT}/connections/books`, { provider: 'generic-rest', name: 'Books', settings: { spec: booksSpec(`${books.url}/v1`) }, credentials: { token: TOKEN } });
    for (const [id, schema] of Object.entries(readSchemas)) await api.ok('PUT', `tenants/${DEMO_TENANT}/schemas/${id}`, schema);
    await api.ok('PUT', `tenants/${DEMO_TENANT}/schemas/books-invoice-write`, invoiceWriteSchema);
  }, 180_000);
  afterAll(async () => {
    await host?.stop();
    await books?.close();
    await woo?.close();
  });

  const writes = (method: string, collection: string) => books.requests.filter((r) => r.method === method && r.path.startsWith(`/v1/${collection}`));
  /** Until the target has seen no write for `quietMs` (and `ready` holds): the write-backs have drained. */
  const settle = async (ready: () => boolean, quietMs = 2_000, timeoutMs = 120_000) => {
    const started = Date.now();
    let seen = -1;
    let since = Date.now();
    for (;;) {
      const count = books.requests.filter((r) => r.method !== 'GET').length;
      if (count !== seen) [seen, since] = [count, Date.now()];
      if (ready() && Date.now() - since >= quietMs) return;
      if (Date.now() - started > timeoutMs) {
        const open = await api.ok('GET', `tenants/${DEMO_TENANT}/conflicts?status=open`);
        const invoiced = new Set(books.all('invoices').map((i) => i.doc_number));
        const missing = Array.from({ length: ORDERS }, (_, i) => woo.getRecord('orders', i + 1)!).filter((o) => !invoiced.has(o.number)).slice(0, 3);
        const shards = await Promise.all(missing.map((o) => api.ok('GET', `tenants/${DEMO_TENANT}/shards?type=order&externalId=${o.id}`)));
        throw new Error(
          `write-backs did not settle: ${books.all('invoices').length} invoices; open conflicts: ${JSON.stringify(open.items.map((c: { type: string; message?: string }) => [c.type, c.message]))}; missing: ${JSON.stringify(shards.map((page) => page.items.map((shard: { links: unknown; externalRelationships: unknown }) => [shard.links, shard.externalRelationships])))}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };

  it('refuses a write schema that does not exist and a reference to a stream the task lacks, naming the field', async () => {
    const refused = await api.request('PUT', `tenants/${DEMO_TENANT}/tasks/bad-invoices`, {
      ...invoicesTask,
      streams: [{ ...invoicesTask.streams[2], writeSchemaId: 'nope' }],
    });
    expect(refused.status).toBe(422);
    const paths = refused.body.error.issues.map((issue: { path: string }) => issue.path);
    expect(paths).toEqual(expect.arrayContaining(['streams.0.references.0.stream', 'streams.0.references.1.stream']));
    const missing = await api.request('PUT', `tenants/${DEMO_TENANT}/tasks/bad-invoices`, { ...invoicesTask, streams: [...invoicesTask.streams.slice(0, 2), { ...invoicesTask.streams[2], writeSchemaId: 'nope' }] });
    expect(missing.status).toBe(422);
    expect(missing.body.error.issues).toEqual([expect.objectContaining({ path: 'streams.2.writeSchemaId' })]);
  });

  it(`${ORDERS} orders become ${ORDERS} invoices naming the target's customers and items, each of those created once; pushing or syncing again creates nothing`, async () => {
    const saved = await api.request('PUT', `tenants/${DEMO_TENANT}/tasks/to-books`, invoicesTask);
    expect(saved.status).toBe(201);
    expect(saved.body.streams[2]).toMatchObject({ writeSchemaId: 'books-invoice-write', references: invoicesTask.streams[2]!.references });

    const started = Date.now();
    const pushed = await api.request('POST', `tenants/${DEMO_TENANT}/tasks/to-books/push`);
    expect(pushed.status).toBe(202);
    expect(pushed.body).toEqual({ creates: CUSTOMERS + PRODUCTS + ORDERS, updates: 0 });
    await settle(() => books.all('invoices').length === ORDERS);
    const elapsedMs = Date.now() - started;
    console.log(`outbound references: ${ORDERS} invoices, ${CUSTOMERS} customers, ${PRODUCTS} items in ${elapsedMs} ms with ${WORKERS} workers`);

    // Each customer and item exactly once, however many of the concurrent invoice write-backs needed it.
    expect(writes('POST', 'customers')).toHaveLength(CUSTOMERS);
    expect(writes('POST', 'items')).toHaveLength(PRODUCTS);
    expect(writes('POST', 'invoices')).toHaveLength(ORDERS);
    expect(books.all('customers')).toHaveLength(CUSTOMERS);
    expect(books.all('items')).toHaveLength(PRODUCTS);
    expect(books.all('invoices')).toHaveLength(ORDERS);

    // Every invoice carries the target's ids of its order's customer and products.
    const customerIdByEmail = new Map(books.all('customers').map((c) => [c.email as string, c.id]));
    const itemIdBySku = new Map(books.all('items').map((i) => [i.sku as string, i.id]));
    expect(customerIdByEmail.size).toBe(CUSTOMERS);
    expect(itemIdBySku.size).toBe(PRODUCTS);
    const invoiceByNumber = new Map(books.all('invoices').map((i) => [i.doc_number as string, i]));
    let lines = 0;
    let withCustomer = 0;
    for (let id = 1; id <= ORDERS; id++) {
      const order = woo.getRecord('orders', id)!;
      const invoice = invoiceByNumber.get(order.number as string);
      expect(invoice, `order ${id}`).toBeDefined();
      const customer = Number(order.customer_id) === 0 ? undefined : woo.getRecord('customers', Number(order.customer_id));
      expect(invoice!.customer_ref ?? null).toBe(customer ? customerIdByEmail.get(String(customer.email).toLowerCase()) : null);
      if (customer) withCustomer += 1;
      const wooLines = order.line_items as WooLine[];
      expect(invoice!.lines).toEqual(
        wooLines.map((line) => expect.objectContaining({ item_ref: itemIdBySku.get(String(woo.getRecord('products', line.product_id)!.sku)), qty: line.quantity })),
      );
      lines += wooLines.length;
    }
    expect(withCustomer).toBeGreaterThan(ORDERS / 2);
    expect(lines).toBeGreaterThan(ORDERS);

    // Pushing again: every shard has its record there and has not changed since it was written.
    const postsBefore = books.requests.filter((r) => r.method === 'POST').length;
    const again = await api.ok('POST', `tenants/${DEMO_TENANT}/tasks/to-books/push`);
    expect(again).toEqual({ creates: 0, updates: CUSTOMERS + PRODUCTS + ORDERS });
    await settle(() => true, 3_000);
    expect(books.requests.filter((r) => r.method === 'POST').length).toBe(postsBefore);
    expect(writes('PATCH', 'invoices')).toHaveLength(0);

    // The source changes one order and syncs again: its invoice is updated, nothing is created.
    woo.updateRecord('orders', 1, { status: 'cancelled' });
    const resync = await api.ok('POST', `tenants/${DEMO_TENANT}/tasks/${DEMO_TASK}/executions`, {});
    const view = await api.waitForExecution(DEMO_TENANT, resync.executionId, { timeoutMs: 120_000 });
    expect(view.status, JSON.stringify(view)).toBe('success');
    const first = invoiceByNumber.get(woo.getRecord('orders', 1)!.number as string)!;
    await settle(() => books.get('invoices', first.id)?.status === 'cancelled');
    expect(writes('PATCH', 'invoices').map((r) => r.path)).toEqual([`/v1/invoices/${first.id}`]);
    expect(books.requests.filter((r) => r.method === 'POST').length).toBe(postsBefore);
    expect(books.all('invoices')).toHaveLength(ORDERS);
  }, 300_000);
});
