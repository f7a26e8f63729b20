import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../../shared/adapters/embedded/sqliteDatabase.js';
import { putTenant } from '../../../../shared/sync/tenants/tenants.js';
import { getConnection, saveConnection } from '../../../../shared/sync/resources/connections.js';
import { saveConversionSchema } from '../../../../shared/sync/resources/conversionSchemas.js';
import { saveSyncTask } from '../../../../shared/sync/resources/syncTasks.js';
import { startExecution } from '../../../../shared/sync/executions/startExecution.js';
import { getExecution } from '../../../../shared/sync/executions/executionQueries.js';
import { fetchPage } from '../../../../shared/sync/pages/fetchPage.js';
import { syncPageMessage } from '../../../../shared/core/schemas/messages.js';
import { embeddedDeps } from '../embeddedDeps.js';
import { drain, step } from '../syncFixture.js';
import { startFakeChangeFeed, type FakeChangeFeed } from './fakeChangeFeed.js';
import { changeFeedProvider } from './changeFeedProvider.js';
import { ids } from '../../../../shared/core/ids.js';
import type { Shard } from '../../../../shared/core/schemas/shard.js';

type Deps = ReturnType<typeof embeddedDeps>;

/** The offset a fake feed cursor continues from (its own encoding, read back only to check the order of requests). */
const offsetOf = (cursor: string | null) => (cursor === null ? 0 : Number(Buffer.from(cursor, 'base64url').toString().split(':')[0]));

describe('chained paging and connector-owned incremental state', () => {
  let feed: FakeChangeFeed;
  let deps: Deps;
  let closeDb: () => void;

  beforeEach(async () => {
    const db = openDatabase(':memory:');
    closeDb = () => db.close();
    deps = embeddedDeps(db, { providers: [changeFeedProvider] });
    feed = await startFakeChangeFeed(230);
    await putTenant(deps, 't1', {});
    await saveConnection(deps, 't1', { provider: 'change-feed', settings: { baseUrl: feed.url }, credentials: { token: feed.token } }, 'feed');
    await saveConversionSchema(deps, 't1', { shardType: 'item', fields: [{ from: 'id', to: 'externalId' }, { from: 'name', to: 'name' }] }, 'items');
    await saveSyncTask(deps, 't1', { connectionId: 'feed', streams: [{ stream: 'items', schemaId: 'items' }], defaults: { batchSize: 50 } }, 'task');
    // The connection test made when the connection was saved is no read of the stream.
    feed.requests.length = 0;
  });

  afterEach(async () => {
    await feed.close();
    closeDb();
  });

  const run = async (body: Record<string, unknown> = {}) => {
    const { execution } = await startExecution(deps, 't1', 'task', body);
    await drain({ deps, bus: deps.bus });
    return getExecution(deps, 't1', execution.id);
  };

  it('reads a chained stream page after page, in order, with exact counts and totals known at its end', async () => {
    const view = await run();

    expect(view.status).toBe('success');
    expect(view.counts).toMatchObject({ fetched: 230, created: 230, updated: 0, failed: 0 });
    expect(view.streams.items).toMatchObject({ recordsTotal: 230, pagesTotal: 5, pagesDone: 5, failedPages: 0, read: { kind: 'full', reason: 'requested' } });
    expect(view).toMatchObject({ percent: 100, total: 230 });
    // One request per page, each continuing where the one before it ended.
    expect(feed.requests.map((request) => offsetOf(request.cursor))).toEqual([0, 50, 100, 150, 200]);
  });

  it('a redelivered page message fetches the same page again: nothing counted twice, nothing skipped', async () => {
    const { execution } = await startExecution(deps, 't1', 'task', {});
    expect(await step({ deps, bus: deps.bus }, 'sync-start')).toBe(1);
    expect(await step({ deps, bus: deps.bus }, 'sync-page')).toBe(1);
    const [second] = await deps.bus.receive('sync-page', 1);
    expect(second?.body).toMatchObject({ page: 2, next: expect.any(String), recordsBefore: 50 });

    // Delivered twice before it is completed (a worker died after fetching it), then completed once.
    await fetchPage(deps, syncPageMessage.parse(second!.body), { messageId: second!.messageId });
    await fetchPage(deps, syncPageMessage.parse(second!.body), { messageId: second!.messageId });
    await deps.bus.complete('sync-page', second!.lockToken);
    await drain({ deps, bus: deps.bus });

    const view = await getExecution(deps, 't1', execution.id);
    expect(view.status).toBe('success');
    expect(view.counts).toMatchObject({ fetched: 230, created: 230, updated: 0, unchanged: 0 });
    expect(view.streams.items).toMatchObject({ recordsTotal: 230, pagesTotal: 5, pagesDone: 5 });
    // Page 2 was fetched twice with the same token; page 3 was asked for once (same message id).
    expect(feed.requests.map((request) => offsetOf(request.cursor))).toEqual([0, 50, 50, 100, 150, 200]);
  });

  it('an incremental run starts from the state the connector returned after the last complete read', async () => {
    const full = await run();
    expect(full.status).toBe('success');
    // The connection shows where the next incremental read starts, as the connector keeps it.
    expect((await getConnection(deps, 't1', 'feed')).incrementalStates).toEqual({ items: { state: { syncToken: '230' }, executionId: full.id, updatedAt: expect.any(String) } });
    feed.put('00003', 'renamed');
    feed.put('00900', 'new');
    feed.requests.length = 0;

    const view = await run({ mode: 'incremental' });

    expect(view.status).toBe('success');
    expect(view.streams.items?.read).toEqual({ kind: 'incremental', reason: null });
    expect(view.counts).toMatchObject({ fetched: 2, created: 1, updated: 1 });
    expect(feed.requests).toEqual([{ cursor: null, syncToken: '230' }]);
  });

  it('an expired incremental state leads to a full read, and the execution view says why', async () => {
    expect((await run()).status).toBe('success');
    feed.put('00007', 'renamed');
    feed.expireTokens();
    feed.requests.length = 0;

    const view = await run({ mode: 'incremental' });

    expect(view.status, JSON.stringify(view.lastErrors)).toBe('success');
    expect(view.streams.items?.read).toEqual({ kind: 'full', reason: 'state_expired' });
    expect(view.counts).toMatchObject({ fetched: 230, updated: 1, unchanged: 229, created: 0, failed: 0 });
    expect(view.streams.items).toMatchObject({ pagesTotal: 5, pagesDone: 5, failedPages: 0 });
    expect(feed.requests[0]).toEqual({ cursor: null, syncToken: '230' });
    expect(feed.requests.slice(1).map((request) => offsetOf(request.cursor))).toEqual([0, 50, 100, 150, 200]);
    expect(feed.requests[1]!.syncToken).toBeNull();

    // The full read stored a fresh state: the next incremental run is incremental again.
    feed.put('00008', 'renamed too');
    const next = await run({ mode: 'incremental' });
    expect(next.streams.items?.read).toEqual({ kind: 'incremental', reason: null });
    expect(next.counts).toMatchObject({ fetched: 1, updated: 1 });
  });

  it("the feed's deletes become tombstones in an incremental read, counted once, and the items are gone from full reads too", async () => {
    expect(await run()).toMatchObject({ status: 'success', counts: { created: 230 } });
    feed.remove('00007');
    feed.remove('00150');
    feed.put('00008', 'renamed');

    const incremental = await run({ mode: 'incremental' });
    expect(incremental).toMatchObject({ status: 'success', counts: { fetched: 1, updated: 1, deleted: 2 }, streams: { items: { counts: { deleted: 2 } } } });
    const shard = (id: string) => deps.store.read<Shard>('shards', 't1', ids.shardFor('feed', 'items', id));
    expect(await shard('00007')).toMatchObject({ deletedBy: incremental.id, deletedAt: expect.any(String) });
    expect(await shard('00150')).toMatchObject({ deletedBy: incremental.id });
    expect((await shard('00008'))?.deletedAt).toBeUndefined();

    // Nothing more to report: the next incremental read deletes nothing, a full one finds nothing new gone.
    expect(await run({ mode: 'incremental' })).toMatchObject({ status: 'success', counts: { deleted: 0 } });
    expect(await run()).toMatchObject({ status: 'success', counts: { deleted: 0, unchanged: 228 } });
  });
});
