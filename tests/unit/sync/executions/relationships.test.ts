import { afterEach, describe, expect, it } from 'vitest';
import { startExecution } from '../../../../shared/sync/executions/startExecution.js';
import { getExecution } from '../../../../shared/sync/executions/executionQueries.js';
import { saveConversionSchema } from '../../../../shared/sync/resources/conversionSchemas.js';
import { saveSyncTask } from '../../../../shared/sync/resources/syncTasks.js';
import { processBatch } from '../../../../shared/sync/pages/processBatch.js';
import { syncBatchMessage } from '../../../../shared/core/schemas/messages.js';
import { ids } from '../../../../shared/core/ids.js';
import type { Shard } from '../../../../shared/core/schemas/shard.js';
import { DEMO_SCHEMAS } from '../../../../dev/demoSetup.js';
import { drain, syncFixture, type SyncFixture } from '../syncFixture.js';

const CUSTOMERS = 20;
const ORDERS = 30;

describe('relationships between streams', () => {
  let fixture: SyncFixture;
  afterEach(() => fixture?.close());

  /** Tasks: `parents` syncs customers and products, `all` every stream, `orders-wait` orders waiting up to twice for parents. */
  async function setUp(): Promise<void> {
    fixture = await syncFixture(CUSTOMERS, ORDERS);
    const { deps } = fixture;
    await saveConversionSchema(deps, 't1', DEMO_SCHEMAS.products, 'products');
    await saveConversionSchema(deps, 't1', { ...DEMO_SCHEMAS.orders, linkWait: { retries: 2, baseDelayMs: 1 } }, 'orders-wait');
    const streams = [{ stream: 'customers', schemaId: 'customers' }, { stream: 'products', schemaId: 'products' }];
    await saveSyncTask(deps, 't1', { connectionId: 'shop', streams }, 'parents');
    await saveSyncTask(deps, 't1', { connectionId: 'shop', streams: [...streams, { stream: 'orders', schemaId: 'orders-wait' }] }, 'all');
    await saveSyncTask(deps, 't1', { connectionId: 'shop', streams: [{ stream: 'orders', schemaId: 'orders-wait' }] }, 'orders-wait');
  }

  /** Runs a task to its end, delivering scheduled re-tries as they come due. */
  async function run(taskId: string): Promise<string> {
    const { execution } = await startExecution(fixture.deps, 't1', taskId, {});
    for (let i = 0; i < 200; i++) {
      await drain(fixture);
      if ((await getExecution(fixture.deps, 't1', execution.id)).status !== 'running') break;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    expect((await getExecution(fixture.deps, 't1', execution.id)).status).toBe('success');
    return execution.id;
  }

  const order = (id: number) => fixture.deps.store.read<Shard>('shards', 't1', ids.shardFor('shop', 'orders', String(id)));
  const source = (id: number) => fixture.fake.getRecord('orders', id) as { customer_id: number; line_items: Array<{ product_id: number }> };
  const pendingDocs = async () =>
    (await fixture.deps.store.query('coordination', 't1', { filters: [{ path: 'kind', op: '=', value: 'pending_links' }] }, { maxItems: 1000 })).items;
  /** The links an order should end with, all complete. */
  const expectedLinks = (id: number) => {
    const { customer_id: customerId, line_items: lines } = source(id);
    const customer = customerId > 0 ? [{ rel: 'customer', shardId: ids.shardFor('shop', 'customers', String(customerId)), stream: 'customers', externalId: String(customerId) }] : [];
    const products = [...new Set(lines.map((line) => line.product_id))].map((productId) => ({
      rel: 'product',
      shardId: ids.shardFor('shop', 'products', String(productId)),
      stream: 'products',
      externalId: String(productId),
    }));
    return [...customer, ...products];
  };

  it("an order links to its customer's and its products' shards; a guest order has no customer link", async () => {
    await setUp();
    await run('all');
    const guest = Array.from({ length: ORDERS }, (_, i) => i + 1).find((id) => source(id).customer_id === 0);
    for (let id = 1; id <= ORDERS; id++) expect((await order(id))!.links).toEqual(expectedLinks(id));
    expect(guest).toBeDefined();
    expect((await order(guest!))!.links.some((link) => link.rel === 'customer')).toBe(false);
    expect(await pendingDocs()).toEqual([]);
  });

  it('orders whose parents have not arrived wait a bounded number of times, keep pending links, and complete them when the parents arrive', async () => {
    await setUp();
    const waits: unknown[] = [];
    fixture.deps.log = { ...fixture.deps.log, info: (message, fields) => { if (message.startsWith('batch waits')) waits.push(fields?.waits); } };
    const executionId = await run('orders-wait');
    // The batch waited twice (scheduled re-tries), then wrote the orders with pending links.
    expect(waits).toEqual([1, 2]);
    const activity = (await fixture.deps.store.query<{ id: string; tenantId: string; action: string }>('activity', 't1', {}, { maxItems: 1000 })).items;
    expect(activity.filter((entry) => entry.action === 'batch.processed')).toHaveLength(1);
    expect((await getExecution(fixture.deps, 't1', executionId)).counts).toMatchObject({ created: ORDERS, failed: 0 });
    const first = (await order(1))!;
    expect(first.links.length).toBeGreaterThan(0);
    expect(first.links.every((link) => link.status === 'pending')).toBe(true);
    expect((await pendingDocs()).length).toBeGreaterThan(0);

    await run('parents');
    for (let id = 1; id <= ORDERS; id++) expect((await order(id))!.links).toEqual(expectedLinks(id));
    expect(await pendingDocs()).toEqual([]);
    const counts = (await fixture.deps.store.query<{ id: string; tenantId: string; count: number }>('coordination', 't1', { filters: [{ path: 'kind', op: '=', value: 'pending_link_count' }] })).items;
    expect(counts.map((c) => c.count)).toEqual([0, 0]);
  });

  it('a batch that waits links completely when the parents arrive before it comes back', async () => {
    await setUp();
    const { execution } = await startExecution(fixture.deps, 't1', 'orders-wait', {});
    await drain(fixture, { skipBatches: true });
    const [batch] = await fixture.bus.receive('sync-batch', 1);
    await processBatch(fixture.deps, syncBatchMessage.parse(batch!.body), batch!);
    await fixture.bus.complete('sync-batch', batch!.lockToken);
    expect(await order(1)).toBeUndefined();

    await run('parents');
    await new Promise((resolve) => setTimeout(resolve, 5));
    await drain(fixture);
    expect((await getExecution(fixture.deps, 't1', execution.id)).status).toBe('success');
    for (let id = 1; id <= ORDERS; id++) expect((await order(id))!.links).toEqual(expectedLinks(id));
    expect(await pendingDocs()).toEqual([]);
  });

  it('orders and their parents written at the same time end completely linked, whatever the interleaving', async () => {
    await setUp();
    await saveConversionSchema(fixture.deps, 't1', { ...DEMO_SCHEMAS.orders, linkWait: { retries: 0 } }, 'orders-now');
    await saveSyncTask(fixture.deps, 't1', { connectionId: 'shop', streams: [{ stream: 'orders', schemaId: 'orders-now' }] }, 'orders-now');
    const runs = [await startExecution(fixture.deps, 't1', 'parents', {}), await startExecution(fixture.deps, 't1', 'orders-now', {})];
    // Fetch every page of both runs, then process all their batches concurrently.
    for (let i = 0; i < 10; i++) await drain(fixture, { skipBatches: true });
    const batches = await fixture.bus.receive('sync-batch', 100);
    expect(batches.length).toBeGreaterThanOrEqual(3);
    await Promise.all(batches.map((message) => processBatch(fixture.deps, syncBatchMessage.parse(message.body), message)));
    await drain(fixture);
    for (const { execution } of runs) expect((await getExecution(fixture.deps, 't1', execution.id)).status).toBe('success');
    for (let id = 1; id <= ORDERS; id++) expect((await order(id))!.links).toEqual(expectedLinks(id));
    const counts = (await fixture.deps.store.query<{ id: string; tenantId: string; count: number }>('coordination', 't1', { filters: [{ path: 'kind', op: '=', value: 'pending_link_count' }] })).items;
    // Links that had to wait were all completed.
    expect(counts.length).toBeGreaterThan(0);
    expect(counts.every((c) => c.count === 0)).toBe(true);
    expect(await pendingDocs()).toEqual([]);
  });
});
