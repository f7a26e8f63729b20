import { afterEach, describe, expect, it } from 'vitest';
import { startExecution } from '../../../../shared/sync/executions/startExecution.js';
import { processBatch } from '../../../../shared/sync/pages/processBatch.js';
import { syncBatchMessage, type StoredPage } from '../../../../shared/core/schemas/messages.js';
import { getExecution } from '../../../../shared/sync/executions/executionQueries.js';
import { applyShardPlans, planShards } from '../../../../shared/sync/pages/shardWriter.js';
import { compileSchema } from '../../../../shared/core/conversion/compileSchema.js';
import { recordHash } from '../../../../shared/core/executions/shardWritePlan.js';
import { DEMO_SCHEMAS } from '../../../../dev/demoSetup.js';
import { drain, syncFixture, type SyncFixture } from '../syncFixture.js';

describe('processing a batch', () => {
  let fixture: SyncFixture;
  afterEach(async () => fixture?.close());

  const countShards = async () => (await fixture.deps.store.query('shards', 't1', { filters: [{ path: 'shardType', op: '=', value: 'customer' }] }, { maxItems: 1000 })).items.length;

  it('a redelivered batch counts nothing twice', async () => {
    fixture = await syncFixture(120);
    const { execution } = await startExecution(fixture.deps, 't1', 'task', {});
    await drain(fixture);
    const message = { tenantId: 't1', executionId: execution.id, stream: 'customers', page: 2 };
    await processBatch(fixture.deps, message, { messageId: 'm' });
    await processBatch(fixture.deps, message, { messageId: 'm' });
    const view = await getExecution(fixture.deps, 't1', execution.id);
    expect(view.status).toBe('success');
    expect(view.counts).toMatchObject({ fetched: 120, created: 120, unchanged: 0 });
    expect(await countShards()).toBe(120);
  });

  it('a batch that crashed after writing its shards but before counting counts them as created on redelivery', async () => {
    fixture = await syncFixture(50);
    const { execution } = await startExecution(fixture.deps, 't1', 'task', {});
    await drain(fixture, { skipBatches: true });
    // The first attempt of page 1's batch wrote every shard, then the process died before the counters moved.
    const page = { records: Array.from({ length: 50 }, (_, i) => fixture.fake.getRecord('customers', i + 1)!) };
    const compiled = compileSchema(DEMO_SCHEMAS.customers);
    const records = page.records.map((record) => {
      const result = compiled.async ? undefined : compiled.run(record);
      if (!result?.ok) throw new Error('fixture record invalid');
      const converted = { shardType: 'customer', data: result.primary.data, derived: result.derived, parents: [] };
      return { connectionId: 'shop', stream: 'customers', externalId: String(record.id), ...converted, hash: recordHash(converted) };
    });
    await applyShardPlans(fixture.deps, 't1', await planShards(fixture.deps, 't1', records, `${execution.id}:customers:1`));
    await drain(fixture);
    const view = await getExecution(fixture.deps, 't1', execution.id);
    expect(view.counts).toMatchObject({ created: 50, unchanged: 0 });
  });

  it('two executions racing over the same records end with one shard per record', async () => {
    fixture = await syncFixture(100);
    const first = await startExecution(fixture.deps, 't1', 'task', {});
    const second = await startExecution(fixture.deps, 't1', 'task-b', {});
    await drain(fixture, { skipBatches: true });
    const batches = await fixture.bus.receive('sync-batch', 100);
    expect(batches).toHaveLength(4);
    await Promise.all(batches.map((message) => processBatch(fixture.deps, syncBatchMessage.parse(message.body), message)));
    expect(await countShards()).toBe(100);
    const views = await Promise.all([first, second].map(({ execution }) => getExecution(fixture.deps, 't1', execution.id)));
    for (const view of views) expect(view.status).toBe('success');
    const created = views.reduce((sum, view) => sum + view.counts.created, 0);
    const unchanged = views.reduce((sum, view) => sum + view.counts.unchanged, 0);
    // Each record is created by exactly one of them; the other finds it already there.
    expect(created).toBe(100);
    expect(unchanged).toBe(100);
  });

  it('a page too large for a message is parked in the pages container and its batch still processes it', async () => {
    fixture = await syncFixture(0, 150);
    const { execution } = await startExecution(fixture.deps, 't1', 'orders-task', {});
    await drain(fixture, { skipBatches: true });
    const batches = await fixture.bus.receive('sync-batch', 10);
    const bodies = batches.map((message) => syncBatchMessage.parse(message.body)).sort((a, b) => a.page - b.page);
    // 100 orders (~2 KB each) exceed the inline limit; the last 50 ride in the message.
    expect(bodies.map((body) => body.records?.length)).toEqual([undefined, 50]);
    const parked = await fixture.deps.store.read<StoredPage>('pages', 't1', `${execution.id}:orders:1`);
    expect(parked?.records).toHaveLength(100);
    for (const body of bodies) await processBatch(fixture.deps, body, { messageId: 'm' });
    const view = await getExecution(fixture.deps, 't1', execution.id);
    expect(view).toMatchObject({ status: 'success', counts: { created: 150 } });
  });
});
