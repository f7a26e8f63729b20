import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeWooCommerce, type FakeWooCommerce } from '../../dev/fakes/fakeWooCommerce.js';
import type { AdminClient } from '../../dev/adminClient.js';
import { apiClient } from './apiClient.js';
import { DEMO_CREDENTIALS, ensureDemoResources } from '../../dev/demoSetup.js';
import { defaultDedupeRules } from '../../shared/core/dedupe/defaultDedupeRules.js';
import { CHANGE_SETTLE_MS } from '../../shared/sync/changes/readChanges.js';
import { startHostProcess, type HostProcess } from './hostProcess.js';

interface Entry {
  cursor: string;
  kind: string;
  shardId: string;
  shardType: string;
  at: string;
  version?: number;
  absorbedShardId?: string;
}

/**
 * The change feed through the real host: a store's customers added, one changed, one deleted,
 * then a second store holding the same people merged into them; a consumer follows it page by
 * page from a cursor.
 */
describe('the change feed', () => {
  let host: HostProcess;
  let first: FakeWooCommerce;
  let second: FakeWooCommerce;
  let api: AdminClient;
  const counts = { customers: 4, products: 0, orders: 0 };

  beforeAll(async () => {
    // The same seed: the second store holds the same people under the same ids.
    first = await startFakeWooCommerce({ seed: 21, counts, ...DEMO_CREDENTIALS });
    second = await startFakeWooCommerce({ seed: 21, counts, ...DEMO_CREDENTIALS });
    host = await startHostProcess({});
    api = apiClient(host.url, host.adminKey);
    await ensureDemoResources(api, first.url);
    await api.ok('PUT', 'tenants/demo/connections/second-woo', { provider: 'woocommerce', settings: { baseUrl: second.url }, credentials: DEMO_CREDENTIALS });
    for (const [taskId, connectionId] of [['first-customers', 'demo-woo'], ['second-customers', 'second-woo']]) {
      await api.ok('PUT', `tenants/demo/tasks/${taskId}`, { connectionId, streams: [{ stream: 'customers', schemaId: 'demo-customers' }] });
    }
    expect((await api.request('PUT', 'tenants/demo/dedupe-rules/customer', defaultDedupeRules.customer)).status).toBe(201);
  }, 60_000);
  afterAll(async () => {
    await host?.stop();
    await first?.close();
    await second?.close();
  });

  const run = async (taskId: string) => {
    const accepted = await api.ok('POST', `tenants/demo/tasks/${taskId}/executions`, {});
    const view = await api.waitForExecution('demo', accepted.executionId);
    expect(view.status).toBe('success');
    return view;
  };
  const shardOf = async (connectionId: string, externalId: number, deleted = false): Promise<string> => {
    const [shard] = (await api.ok('GET', `tenants/demo/shards?type=customer&externalId=${externalId}&connectionId=${connectionId}&deleted=${deleted}`)).items;
    expect(shard).toBeDefined();
    return shard.id;
  };
  const page = async (cursor?: string, limit = 1000): Promise<{ items: Entry[]; cursor: string }> =>
    api.ok('GET', `tenants/demo/changes?limit=${limit}${cursor === undefined ? '' : `&cursor=${encodeURIComponent(cursor)}`}`);
  /** Entries show once settled: waits that long after the last write, then reads everything after `cursor`. */
  const settledPage = async (cursor?: string) => {
    await new Promise((resolve) => setTimeout(resolve, CHANGE_SETTLE_MS + 300));
    return page(cursor);
  };
  const customers = (items: Entry[]) => items.filter((entry) => entry.shardType === 'customer');

  let afterDelete: string;
  let firstRead: Entry[];

  it('shows an add, an update and a delete in the order they happened', async () => {
    expect((await run('first-customers')).counts).toMatchObject({ created: counts.customers });
    first.updateRecord('customers', 2, { first_name: 'Zebedee' });
    expect((await run('first-customers')).counts).toMatchObject({ updated: 1 });
    first.deleteRecord('customers', 3);
    expect((await run('first-customers')).counts).toMatchObject({ deleted: 1 });

    const read = await settledPage();
    firstRead = read.items;
    const changed = customers(read.items);
    const [one, two, three] = [await shardOf('demo-woo', 1), await shardOf('demo-woo', 2), await shardOf('demo-woo', 3, true)];
    expect(changed.filter((entry) => entry.kind === 'added').map((entry) => entry.shardId).sort()).toEqual(
      (await Promise.all([1, 2, 3, 4].map((id) => shardOf('demo-woo', id, id === 3)))).sort(),
    );
    const position = (kind: string, shardId: string) => changed.findIndex((entry) => entry.kind === kind && entry.shardId === shardId);
    expect(position('added', one)).toBeGreaterThanOrEqual(0);
    expect(position('added', two)).toBeLessThan(position('updated', two));
    expect(position('updated', two)).toBeLessThan(position('deleted', three));
    expect(changed.find((entry) => entry.kind === 'updated' && entry.shardId === two)).toMatchObject({ version: 2 });
    expect(changed.filter((entry) => entry.kind === 'deleted')).toEqual([expect.objectContaining({ shardId: three, version: 2 })]);
    // Oldest first, each cursor the one of its entry, the page's cursor the last one.
    const times = read.items.map((entry) => entry.at);
    expect(times).toEqual([...times].sort());
    expect(read.cursor).toBe(read.items.at(-1)!.cursor);
    afterDelete = read.cursor;

    // Paging by two gives the same entries, cursor by cursor.
    const paged: Entry[] = [];
    let cursor: string | undefined;
    for (let pages = 0; pages < 100; pages++) {
      const next = await page(cursor, 2);
      if (next.items.length === 0) break;
      expect(next.items.length).toBeLessThanOrEqual(2);
      paged.push(...next.items);
      cursor = next.cursor;
    }
    expect(paged).toEqual(read.items);
  });

  it('resumes from a cursor with only later changes, a merge among them, and an empty page keeps the cursor', async () => {
    expect(afterDelete).toBeDefined();
    // 1 and 4 are the same people in both stores (2 was renamed in the first, 3 is a tombstone there: nobody's survivor).
    expect((await run('second-customers')).counts.merged).toBeGreaterThanOrEqual(2);
    const later = await settledPage(afterDelete);
    const seenBefore = new Set(firstRead.map((entry) => entry.cursor));
    expect(later.items.length).toBeGreaterThan(0);
    expect(later.items.filter((entry) => seenBefore.has(entry.cursor))).toEqual([]);
    expect(later.items.every((entry) => entry.at >= firstRead.at(-1)!.at)).toBe(true);
    const one = await shardOf('demo-woo', 1);
    expect(customers(later.items)).toContainEqual(expect.objectContaining({ kind: 'merged', shardId: one, absorbedShardId: expect.stringMatching(/^shd_/) }));

    const empty = await page(later.cursor);
    expect(empty).toEqual({ items: [], cursor: later.cursor });
  });

  it('refuses a cursor it did not hand out, naming it', async () => {
    for (const cursor of ['not-a-cursor', Buffer.from('{"v":2,"k":""}').toString('base64url'), 'e30']) {
      const response = await api.request('GET', `tenants/demo/changes?cursor=${cursor}`);
      expect(response.status).toBe(422);
      expect(response.body.error.issues.map((issue: { path: string }) => issue.path)).toEqual(['query.cursor']);
    }
  });
});
