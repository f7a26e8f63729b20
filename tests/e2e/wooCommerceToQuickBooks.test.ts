import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeWooCommerce, type FakeWooCommerce } from '../../dev/fakes/fakeWooCommerce.js';
import { startFakeQuickBooks, type FakeQuickBooks } from '../../dev/fakes/quickbooks/fakeQuickBooks.js';
import type { AdminClient } from '../../dev/adminClient.js';
import { DEMO_CREDENTIALS, DEMO_TASK, DEMO_TENANT, ensureDemoResources } from '../../dev/demoSetup.js';
import { QUICKBOOKS_BUILTIN_SCHEMAS } from '../../shared/connectors/quickbooks/quickBooksBuiltinSchemas.js';
import { apiClient } from './apiClient.js';
import { startHostProcess, type HostProcess } from './hostProcess.js';

/**
 * The cross-system flow: a store's orders become QuickBooks invoices (sales receipts for guest
 * checkouts, which have no customer to bill), through an outbound task on the built-in WooCommerce
 * schemas. Each invoice names its customer and items by QuickBooks ids; the engine creates those
 * first, once each however many invoices need them at the same time, and a second push or sync
 * creates nothing.
 */
const COUNTS = { customers: 150, products: 60, orders: 1_000 };
const WORKERS = 16;
const CLIENT = { clientId: 'ABe2eWooToBooksClient', clientSecret: 'woo-to-books-client-secret' };
const BOOKS = 'books';
const TASK = 'orders-to-books';

/** A shipping charge is its own line on QuickBooks' shipping item, so the totals agree. */
const SALES_LINES =
  "$append([lines.{'Amount': $number(total), 'Description': name, 'DetailType': 'SalesItemLineDetail', 'SalesItemLineDetail': $merge([{'Qty': quantity, 'UnitPrice': unitPrice}, productExternalId ? {'ItemRef': {'value': productExternalId}} : {}])}], shippingTotal > 0 ? [{'Amount': shippingTotal, 'DetailType': 'SalesItemLineDetail', 'SalesItemLineDetail': {'ItemRef': {'value': 'SHIPPING_ITEM_ID'}}}] : [])";

const salesWrite = (withCustomer: boolean) => ({
  shardType: 'order',
  fields: [
    { from: 'number', to: 'DocNumber' },
    { from: 'placedAt', to: 'TxnDate', transforms: [{ op: 'regex', pattern: '^(\\d{4}-\\d{2}-\\d{2})' }] },
    ...(withCustomer ? [{ from: 'customerExternalId', to: 'CustomerRef.value' }] : []),
    { from: 'email', to: 'BillEmail.Address' },
    { from: 'currency', to: 'CurrencyRef.value' },
    { from: 'lines', to: 'Line', transforms: [{ op: 'expression', expression: SALES_LINES }] },
  ],
});

const schemas = {
  'qbo-customers': QUICKBOOKS_BUILTIN_SCHEMAS['quickbooks/customers'],
  'qbo-items': QUICKBOOKS_BUILTIN_SCHEMAS['quickbooks/items'],
  // Invoices and receipts read back as orders: the shard type the store's orders are.
  'qbo-sales': { shardType: 'order', fields: [{ from: 'DocNumber', to: 'number' }, { from: 'TotalAmt', to: 'total', transforms: [{ op: 'number' }] }] },
  // Display names are unique in a company: two shoppers called Ann Lee must not collide (6240).
  'qbo-customer-write': {
    shardType: 'customer',
    fields: [
      { fromAll: { first: 'firstName', last: 'lastName', email: 'email' }, to: 'DisplayName', transforms: [{ op: 'template', template: '{first} {last} ({email})' }] },
      { from: 'firstName', to: 'GivenName' },
      { from: 'lastName', to: 'FamilyName' },
      { from: 'email', to: 'PrimaryEmailAddr.Address' },
      { from: 'address.city', to: 'BillAddr.City' },
      { from: 'address.country', to: 'BillAddr.Country' },
    ],
  },
  'qbo-item-write': {
    shardType: 'product',
    fields: [
      { fromAll: { name: 'name', sku: 'sku' }, to: 'Name', transforms: [{ op: 'template', template: '{name} ({sku})' }] },
      { from: 'sku', to: 'Sku' },
      { from: 'price', to: 'UnitPrice' },
      { from: 'sku', to: 'Type', transforms: [{ op: 'expression', expression: "'NonInventory'" }] },
      { from: 'sku', to: 'IncomeAccountRef', transforms: [{ op: 'expression', expression: "{'value': '79'}" }] },
    ],
  },
  'qbo-invoice-write': salesWrite(true),
  'qbo-receipt-write': salesWrite(false),
};

const customerReference = { rel: 'customer', path: 'customerExternalId', stream: 'customers' };
// A line whose product was deleted in the store carries product id 0: no item, a plain line.
const productReference = { rel: 'product', path: 'lines[*].productExternalId', stream: 'items', none: [0] };

const task = {
  connectionId: BOOKS,
  direction: 'outbound',
  streams: [
    { stream: 'customers', schemaId: 'qbo-customers', writeSchemaId: 'qbo-customer-write' },
    { stream: 'items', schemaId: 'qbo-items', writeSchemaId: 'qbo-item-write' },
    { stream: 'invoices', schemaId: 'qbo-sales', writeSchemaId: 'qbo-invoice-write', when: { path: 'customerExternalId', exists: true }, references: [customerReference, productReference] },
    { stream: 'sales_receipts', schemaId: 'qbo-sales', writeSchemaId: 'qbo-receipt-write', when: { path: 'customerExternalId', exists: false }, references: [productReference] },
  ],
};

interface WooLine {
  product_id: number;
  quantity: number;
  total: string;
}

describe('WooCommerce orders become QuickBooks invoices and sales receipts', () => {
  let host: HostProcess;
  let woo: FakeWooCommerce;
  let books: FakeQuickBooks;
  let api: AdminClient;

  beforeAll(async () => {
    woo = await startFakeWooCommerce({ seed: 42, counts: COUNTS, ...DEMO_CREDENTIALS });
    // The per-minute allowance is lifted to keep the run short; the 10 requests in flight are Intuit's.
    books = await startFakeQuickBooks({ ...CLIENT, rateLimit: { perMinute: 1_000_000, concurrent: 10 }, latencyMs: 5 });
    host = await startHostProcess({ AzureFunctionsJobHost__extensions__serviceBus__maxConcurrentCalls: String(WORKERS) });
    api = apiClient(host.url, host.adminKey);
    await ensureDemoResources(api, woo.url);
    const accepted = await api.ok('POST', `tenants/${DEMO_TENANT}/tasks/${DEMO_TASK}/executions`, {});
    expect((await api.waitForExecution(DEMO_TENANT, accepted.executionId, { timeoutMs: 120_000 })).status).toBe('success');
    await api.ok('PUT', `tenants/${DEMO_TENANT}/connections/${BOOKS}`, {
      provider: 'quickbooks',
      name: 'QuickBooks company (fake)',
      settings: { realmId: books.realmId, baseUrl: books.url, tokenUrl: books.tokenUrl },
      credentials: { ...CLIENT, refreshToken: books.issueTokens().refresh_token },
    });
    for (const [id, schema] of Object.entries(schemas)) await api.ok('PUT', `tenants/${DEMO_TENANT}/schemas/${id}`, schema);
  }, 180_000);
  afterAll(async () => {
    await host?.stop();
    await books?.close();
    await woo?.close();
  });

  const posts = (entity: string) => books.requests.filter((r) => r.method === 'POST' && r.path.endsWith(`/${entity}`));
  const writesSoFar = () => books.requests.filter((r) => r.method === 'POST').length;
  /** Until QuickBooks has seen no write for `quietMs` and `ready` holds: the write-backs have drained. */
  const settle = async (ready: () => boolean, quietMs = 2_000, timeoutMs = 240_000) => {
    const started = Date.now();
    let seen = -1;
    let since = Date.now();
    for (;;) {
      const count = writesSoFar();
      if (count !== seen) [seen, since] = [count, Date.now()];
      if (ready() && Date.now() - since >= quietMs) return;
      if (Date.now() - started > timeoutMs) {
        const open = await api.ok('GET', `tenants/${DEMO_TENANT}/conflicts?status=open`);
        throw new Error(
          `write-backs did not settle: ${books.all('Invoice').length} invoices, ${books.all('SalesReceipt').length} receipts; open conflicts: ${JSON.stringify(open.items.slice(0, 5).map((c: { type: string; message?: string }) => [c.type, c.message]))}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };
  const orders = () => Array.from({ length: COUNTS.orders }, (_, i) => woo.getRecord('orders', i + 1)!);
  const isGuest = (order: Record<string, unknown>) => Number(order.customer_id) === 0;

  it('refuses a write condition on a task that is not outbound, naming the field', async () => {
    const refused = await api.request('PUT', `tenants/${DEMO_TENANT}/tasks/not-outbound`, { ...task, direction: 'bidirectional', streams: [{ stream: 'invoices', schemaId: 'qbo-sales', when: { path: 'customerExternalId', exists: true } }] });
    expect(refused.status).toBe(422);
    expect(refused.body.error.issues).toEqual([expect.objectContaining({ path: 'streams.0.when' })]);
  });

  it(`${COUNTS.orders} orders become invoices and receipts naming QuickBooks' customers and items, each created once; a re-run creates nothing`, { timeout: 600_000 }, async () => {
    const guests = orders().filter(isGuest).length;
    expect(guests).toBeGreaterThan(0);
    expect(guests).toBeLessThan(COUNTS.orders / 4);
    expect((await api.request('PUT', `tenants/${DEMO_TENANT}/tasks/${TASK}`, task)).status).toBe(201);

    const started = Date.now();
    const pushed = await api.ok('POST', `tenants/${DEMO_TENANT}/tasks/${TASK}/push`);
    expect(pushed).toEqual({ creates: COUNTS.customers + COUNTS.products + COUNTS.orders, updates: 0 });
    await settle(() => books.all('Invoice').length + books.all('SalesReceipt').length === COUNTS.orders);
    console.log(`woo → quickbooks: ${COUNTS.orders} orders, ${COUNTS.customers} customers, ${COUNTS.products} items in ${Date.now() - started} ms with ${WORKERS} workers`);

    // Each customer and item exactly once: no second create, no duplicate-name refusal.
    expect(posts('customer')).toHaveLength(COUNTS.customers);
    expect(posts('item')).toHaveLength(COUNTS.products);
    expect(books.all('Customer')).toHaveLength(COUNTS.customers);
    expect(books.all('Item')).toHaveLength(COUNTS.products);
    expect(books.requests.filter((r) => r.status !== 200)).toEqual([]);
    expect(books.all('Invoice')).toHaveLength(COUNTS.orders - guests);
    expect(books.all('SalesReceipt')).toHaveLength(guests);

    // Every document bills the order's customer and sells its products by QuickBooks' ids, and adds up.
    const customerIdByEmail = new Map(books.all('Customer').map((c) => [(c.PrimaryEmailAddr as { Address: string }).Address, c.Id]));
    const itemIdBySku = new Map(books.all('Item').map((i) => [i.Sku as string, i.Id]));
    const documentByNumber = new Map([...books.all('Invoice'), ...books.all('SalesReceipt')].map((d) => [d.DocNumber as string, d]));
    let lines = 0;
    for (const order of orders()) {
      const document = documentByNumber.get(order.number as string);
      expect(document, `order ${String(order.id)}`).toBeDefined();
      if (isGuest(order)) {
        expect(document!.CustomerRef).toBeUndefined();
      } else {
        const customer = woo.getRecord('customers', Number(order.customer_id))!;
        expect((document!.CustomerRef as { value: string }).value).toBe(customerIdByEmail.get(String(customer.email).toLowerCase()));
      }
      expect(document!.TotalAmt).toBe(Number(order.total));
      const itemLines = (document!.Line as Array<{ SalesItemLineDetail: { ItemRef?: { value: string }; Qty?: number } }>).filter((line) => line.SalesItemLineDetail.ItemRef?.value !== 'SHIPPING_ITEM_ID');
      const wooLines = order.line_items as WooLine[];
      expect(itemLines.map((line) => [line.SalesItemLineDetail.ItemRef?.value, line.SalesItemLineDetail.Qty])).toEqual(
        wooLines.map((line) => [itemIdBySku.get(String(woo.getRecord('products', line.product_id)!.sku)), line.quantity]),
      );
      lines += wooLines.length;
    }
    expect(lines).toBeGreaterThan(COUNTS.orders);

    // Pushing again: every shard has its record there and is unchanged since it was written.
    const writesBefore = writesSoFar();
    expect(await api.ok('POST', `tenants/${DEMO_TENANT}/tasks/${TASK}/push`)).toEqual({ creates: 0, updates: COUNTS.customers + COUNTS.products + COUNTS.orders });
    await settle(() => true, 3_000);
    expect(writesSoFar()).toBe(writesBefore);

    // The store changes one order and syncs again: its invoice is updated in place (sparse, with its SyncToken), nothing is created.
    const changed = orders().find((order) => !isGuest(order))!;
    const invoice = documentByNumber.get(changed.number as string)!;
    woo.updateRecord('orders', Number(changed.id), { billing: { ...(changed.billing as object), email: 'new.address@example.org' } });
    const resync = await api.ok('POST', `tenants/${DEMO_TENANT}/tasks/${DEMO_TASK}/executions`, {});
    expect((await api.waitForExecution(DEMO_TENANT, resync.executionId, { timeoutMs: 120_000 })).status).toBe('success');
    await settle(() => (books.get('Invoice', invoice.Id)?.BillEmail as { Address?: string } | undefined)?.Address === 'new.address@example.org');
    expect(books.get('Invoice', invoice.Id)!.SyncToken).toBe(String(Number(invoice.SyncToken) + 1));
    expect(writesSoFar()).toBe(writesBefore + 1);
    expect(books.all('Invoice')).toHaveLength(COUNTS.orders - guests);
    expect(books.all('Customer')).toHaveLength(COUNTS.customers);
  });
});
