import { afterEach, describe, expect, it } from 'vitest';
import { startExecution } from '../../../../shared/sync/executions/startExecution.js';
import { saveConnection } from '../../../../shared/sync/resources/connections.js';
import { saveSyncTask } from '../../../../shared/sync/resources/syncTasks.js';
import { listOrCountShards } from '../../../../shared/sync/queries/shardQueries.js';
import { listOrCountFailures } from '../../../../shared/sync/queries/failureQueries.js';
import { listOrCountConflicts } from '../../../../shared/sync/queries/conflictQueries.js';
import { openConflict } from '../../../../shared/sync/bidirectional/openConflict.js';
import { listCount } from '../../../../shared/core/schemas/answers/listCount.js';
import { DEMO_CREDENTIALS } from '../../../../dev/demoSetup.js';
import { drain, syncFixture, type SyncFixture } from '../syncFixture.js';

type Lister = (deps: SyncFixture['deps'], tenantId: string, params: Record<string, string | undefined>) => Promise<unknown>;

/** Every item the list has under these filters, page after page: what a count must agree with. */
async function pagedTotal(fixture: SyncFixture, list: Lister, filters: Record<string, string>): Promise<number> {
  let total = 0;
  let continuationToken: string | undefined;
  do {
    const page = (await list(fixture.deps, 't1', { ...filters, limit: '7', ...(continuationToken ? { continuationToken } : {}) })) as {
      items: unknown[];
      continuationToken?: string;
    };
    total += page.items.length;
    continuationToken = page.continuationToken;
  } while (continuationToken);
  return total;
}

const countOf = async (fixture: SyncFixture, list: Lister, filters: Record<string, string>): Promise<number> =>
  listCount.parse(await list(fixture.deps, 't1', { ...filters, count: 'true' })).count;

describe('counts without paging (?count=true)', () => {
  let fixture: SyncFixture;
  afterEach(async () => fixture?.close());

  it('counts shards by type and by connection, agreeing with paging through the list', async () => {
    fixture = await syncFixture(20, 15);
    // The same store through a second connection: its customers are other shards.
    await saveConnection(fixture.deps, 't1', { provider: 'woocommerce', settings: { baseUrl: fixture.fake.url }, credentials: DEMO_CREDENTIALS }, 'shop-b');
    await saveSyncTask(fixture.deps, 't1', { connectionId: 'shop-b', streams: [{ stream: 'customers', schemaId: 'customers' }] }, 'task-shop-b');
    for (const task of ['task', 'orders-task', 'task-shop-b']) await startExecution(fixture.deps, 't1', task, {});
    await drain(fixture);

    expect(await countOf(fixture, listOrCountShards, { type: 'customer' })).toBe(40);
    expect(await countOf(fixture, listOrCountShards, { type: 'customer', connectionId: 'shop-b' })).toBe(20);
    expect(await countOf(fixture, listOrCountShards, { type: 'order' })).toBe(15);
    expect(await countOf(fixture, listOrCountShards, { type: 'order', connectionId: 'shop-b' })).toBe(0);
    expect(await countOf(fixture, listOrCountShards, { type: 'nothing' })).toBe(0);
    for (const filters of [{}, { connectionId: 'shop' }, { connectionId: 'shop-b' }, { type: 'customer' }] as Array<Record<string, string>>) {
      expect(await countOf(fixture, listOrCountShards, filters)).toBe(await pagedTotal(fixture, listOrCountShards, filters));
    }
  });

  it('counts failures and conflicts under their filters', async () => {
    fixture = await syncFixture(30);
    for (const id of [2, 5, 8]) fixture.fake.updateRecord('customers', id, { email: '' });
    const { execution } = await startExecution(fixture.deps, 't1', 'task', {});
    await drain(fixture);
    expect(await countOf(fixture, listOrCountFailures, {})).toBe(3);
    expect(await countOf(fixture, listOrCountFailures, { executionId: execution.id, status: 'open' })).toBe(3);
    expect(await countOf(fixture, listOrCountFailures, { status: 'retried' })).toBe(0);
    expect(await countOf(fixture, listOrCountFailures, { taskId: 'task-b' })).toBe(0);

    const record = { tenantId: 't1', shardType: 'customer', connectionId: 'shop', stream: 'customers', taskId: 'task' };
    for (const [index, type] of (['ValidationError', 'ValidationError', 'AuthError'] as const).entries()) {
      await openConflict(fixture.deps, { ...record, shardId: `shd_${index}`, externalId: String(index), type, subject: type, message: 'refused' });
    }
    expect(await countOf(fixture, listOrCountConflicts, {})).toBe(3);
    expect(await countOf(fixture, listOrCountConflicts, { type: 'ValidationError' })).toBe(2);
    expect(await countOf(fixture, listOrCountConflicts, { status: 'resolved' })).toBe(0);
    expect(await listOrCountConflicts(fixture.deps, 't1', {})).toMatchObject({ stats: { byType: { ValidationError: 2, AuthError: 1 } } });
  });

  it('count takes only true or false; with paging parameters it is a 422 naming them; false lists as usual', async () => {
    fixture = await syncFixture(5);
    for (const list of [listOrCountShards, listOrCountFailures, listOrCountConflicts] as Lister[]) {
      await expect(list(fixture.deps, 't1', { count: 'maybe' })).rejects.toMatchObject({ status: 422, issues: [{ path: 'query.count' }] });
      await expect(list(fixture.deps, 't1', { count: 'true', continuationToken: 'abc', limit: '5' })).rejects.toMatchObject({
        status: 422,
        issues: [{ path: 'query.limit' }, { path: 'query.continuationToken' }],
      });
      expect(await list(fixture.deps, 't1', { count: 'false' })).toMatchObject({ items: [] });
      await expect(list(fixture.deps, 't1', { count: 'true', colour: 'red' })).rejects.toMatchObject({ status: 422 });
    }
  });
});
