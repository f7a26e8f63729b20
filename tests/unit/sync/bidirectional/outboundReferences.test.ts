import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../../shared/adapters/embedded/sqliteDatabase.js';
import { wooCommerceProvider } from '../../../../shared/connectors/woocommerce/wooCommerceProvider.js';
import { genericRestProvider } from '../../../../shared/connectors/genericRest/genericRestProvider.js';
import { putTenant } from '../../../../shared/sync/tenants/tenants.js';
import { saveConnection } from '../../../../shared/sync/resources/connections.js';
import { deleteConversionSchema, saveConversionSchema } from '../../../../shared/sync/resources/conversionSchemas.js';
import { saveSyncTask } from '../../../../shared/sync/resources/syncTasks.js';
import { pushTask } from '../../../../shared/sync/bidirectional/outboundWriteBacks.js';
import { writeBack } from '../../../../shared/sync/bidirectional/writeBack.js';
import { StateConflictError } from '../../../../shared/sync/stateConflictError.js';
import type { Conflict } from '../../../../shared/core/schemas/conflict.js';
import type { Shard } from '../../../../shared/core/schemas/shard.js';
import { startFakeWooCommerce, type FakeWooCommerce } from '../../../../dev/fakes/fakeWooCommerce.js';
import { startFakeRestApi, type FakeRestApi } from '../../../../dev/fakes/restApi/fakeRestApi.js';
import { DEMO_CREDENTIALS, DEMO_SCHEMAS } from '../../../../dev/demoSetup.js';
import { embeddedDeps } from '../embeddedDeps.js';
import { deliverWriteBacks, syncedView } from '../syncFixture.js';

/**
 * References of an outbound write schema, through the engine: an order whose customer has not
 * synced is not written (it waits and retries) until the customer's shard exists; then the
 * customer is created at the target first and the invoice names the target's id. A reference the
 * shard has no link for is a conflict, not a half-mapped record.
 */
const TOKEN = 'references-token';
const ORDERS = 6;

const stream = (name: string) => ({
  name,
  path: name,
  recordsPath: 'data',
  idField: 'id',
  modifiedField: 'updated_at',
  paginator: { kind: 'cursor', cursorParam: 'cursor', sizeParam: 'limit', nextCursorPath: 'next_cursor' },
  writes: {
    create: { method: 'POST', path: name },
    update: { method: 'PATCH', path: `${name}/{id}` },
    concurrency: { kind: 'header', header: 'If-Match' },
    versionField: 'etag',
    forbiddenFields: ['id', 'etag', 'updated_at'],
  },
});

const invoiceStream = (references: unknown[]) => ({ stream: 'invoices', schemaId: 'books-invoices', writeSchemaId: 'invoice-write', references });

describe('outbound references', () => {
  let woo: FakeWooCommerce;
  let books: FakeRestApi;
  let deps: ReturnType<typeof embeddedDeps>;
  let closeDb: () => void;
  /** Moved forward to let a scheduled retry come due. */
  let offsetMs = 0;

  beforeEach(async () => {
    offsetMs = 0;
    woo = await startFakeWooCommerce({ seed: 8, counts: { customers: 3, products: 4, orders: ORDERS }, ...DEMO_CREDENTIALS });
    books = await startFakeRestApi({ collections: ['customers', 'invoices'], auth: { bearer: TOKEN } });
    const db = openDatabase(':memory:');
    closeDb = () => db.close();
    deps = embeddedDeps(db, { providers: [wooCommerceProvider, genericRestProvider], clock: { now: () => new Date(Date.now() + offsetMs) } });
    await putTenant(deps, 't1', {});
    await saveConnection(deps, 't1', { provider: 'woocommerce', settings: { baseUrl: woo.url }, credentials: DEMO_CREDENTIALS }, 'shop');
    const spec = { title: 'Books', baseUrl: `${books.url}/v1`, auth: { kind: 'bearer' }, maxPageSize: 100, streams: [stream('customers'), stream('invoices')] };
    await saveConnection(deps, 't1', { provider: 'generic-rest', settings: { spec }, credentials: { token: TOKEN } }, 'books');
    await saveConversionSchema(deps, 't1', DEMO_SCHEMAS.customers, 'customers');
    // Orders synced without their customers: the links stay pending at once instead of waiting.
    await saveConversionSchema(deps, 't1', { ...DEMO_SCHEMAS.orders, linkWait: { retries: 0 } }, 'orders');
    await saveConversionSchema(deps, 't1', { shardType: 'customer', fields: [{ from: 'email', to: 'email' }] }, 'books-customers');
    await saveConversionSchema(deps, 't1', { shardType: 'order', fields: [{ from: 'doc_number', to: 'number' }] }, 'books-invoices');
    await saveConversionSchema(deps, 't1', { shardType: 'order', fields: [{ from: 'number', to: 'doc_number' }, { from: 'customerExternalId', to: 'customer_ref' }] }, 'invoice-write');
    await saveSyncTask(deps, 't1', { connectionId: 'shop', streams: [{ stream: 'orders', schemaId: 'orders' }] }, 'orders');
    await saveSyncTask(deps, 't1', { connectionId: 'shop', streams: [{ stream: 'customers', schemaId: 'customers' }] }, 'customers');
  });
  afterEach(async () => {
    await books.close();
    await woo.close();
    closeDb();
  });

  const fixture = () => ({ deps, bus: deps.bus });
  const posts = (collection: string) => books.requests.filter((r) => r.method === 'POST' && r.path === `/v1/${collection}`).length;
  const openConflicts = async () => (await deps.store.query<Conflict>('conflicts', 't1', { filters: [{ path: 'status', op: '=', value: 'open' }] }, { maxItems: 100 })).items;
  /** Customers no order names are created at the target too: the outbound task's customers stream writes every customer shard. */
  const customerShardsWithoutOrders = async () => {
    const named = new Set(ordersWithCustomer().map((order) => String(order.customer_id)));
    const customers = (await deps.store.query<Shard>('shards', 't1', { filters: [{ path: 'shardType', op: '=', value: 'customer' }] }, { maxItems: 100 })).items;
    return customers.filter((customer) => !named.has(String(customer.data.externalId))).length;
  };
  const ordersWithCustomer = () => Array.from({ length: ORDERS }, (_, i) => woo.getRecord('orders', i + 1)!).filter((order) => Number(order.customer_id) !== 0);

  it("waits for a customer that has not synced, then creates it first and names the target's id; a redelivery writes nothing", async () => {
    await saveSyncTask(deps, 't1', { connectionId: 'books', direction: 'outbound', streams: [{ stream: 'customers', schemaId: 'books-customers' }, invoiceStream([{ rel: 'customer', path: 'customerExternalId', stream: 'customers' }])] }, 'to-books');
    const linked = ordersWithCustomer();
    expect(linked.length).toBeGreaterThan(0);
    await syncedView(fixture(), 'orders');
    const orders = (await deps.store.query<Shard>('shards', 't1', { filters: [{ path: 'shardType', op: '=', value: 'order' }] }, { maxItems: 100 })).items;
    expect(orders).toHaveLength(ORDERS);
    const waiting = orders.filter((order) => order.links.some((link) => link.rel === 'customer' && link.status === 'pending'));
    expect(waiting).toHaveLength(linked.length);

    expect(await pushTask(deps, 't1', 'to-books')).toEqual({ creates: ORDERS, updates: 0 });
    await deliverWriteBacks(fixture());
    // Orders naming a customer not synced yet wait (retried later); nothing is written half-mapped.
    expect(posts('invoices')).toBe(ORDERS - linked.length);
    expect(posts('customers')).toBe(0);
    expect(await openConflicts()).toEqual([]);

    // The customers sync; the orders' retries come due and find them.
    await syncedView(fixture(), 'customers');
    offsetMs = 25_000;
    await deliverWriteBacks(fixture());
    expect(posts('invoices')).toBe(ORDERS);
    expect(books.all('customers')).toHaveLength(new Set(linked.map((order) => order.customer_id)).size + (await customerShardsWithoutOrders()));
    expect(posts('customers')).toBe(books.all('customers').length);
    const customerIdByEmail = new Map(books.all('customers').map((c) => [c.email, c.id]));
    for (const order of linked) {
      const invoice = books.all('invoices').find((i) => i.doc_number === order.number)!;
      const email = String(woo.getRecord('customers', Number(order.customer_id))!.email).toLowerCase();
      expect(invoice.customer_ref).toBe(customerIdByEmail.get(email));
    }

    // Every order's create and update delivered again (past the bus's duplicate window): nothing is written.
    const writesBefore = books.requests.filter((r) => r.method !== 'GET').length;
    for (const order of await deps.store.query<Shard>('shards', 't1', { filters: [{ path: 'shardType', op: '=', value: 'order' }] }, { maxItems: 100 }).then((page) => page.items)) {
      const invoice = order.externalRelationships.find((r) => r.connectionId === 'books')!;
      const message = { tenantId: 't1', taskId: 'to-books', shardId: order.id, connectionId: 'books', stream: 'invoices' };
      await writeBack(deps, message);
      await writeBack(deps, { ...message, externalId: invoice.externalId });
    }
    expect(books.requests.filter((r) => r.method !== 'GET').length).toBe(writesBefore);
  });

  it('refuses a reference the shard has no link for as a conflict, writing nothing', async () => {
    await saveSyncTask(deps, 't1', { connectionId: 'books', direction: 'outbound', streams: [{ stream: 'customers', schemaId: 'books-customers' }, invoiceStream([{ rel: 'customer', path: 'number', stream: 'customers' }])] }, 'to-books');
    await syncedView(fixture(), 'orders');
    await pushTask(deps, 't1', 'to-books');
    await deliverWriteBacks(fixture());
    expect(posts('invoices') + posts('customers')).toBe(0);
    const conflicts = await openConflicts();
    expect(conflicts).toHaveLength(ORDERS);
    for (const conflict of conflicts) expect(conflict).toMatchObject({ type: 'ValidationError', stream: 'invoices', message: expect.stringContaining('no link') });
  });

  it('keeps a write schema a task uses from being deleted', async () => {
    await saveSyncTask(deps, 't1', { connectionId: 'books', direction: 'outbound', streams: [invoiceStream([])] }, 'to-books');
    await expect(deleteConversionSchema(deps, 't1', 'invoice-write')).rejects.toBeInstanceOf(StateConflictError);
  });
});
