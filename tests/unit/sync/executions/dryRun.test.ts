import { afterEach, describe, expect, it } from 'vitest';
import { startExecution } from '../../../../shared/sync/executions/startExecution.js';
import { getExecution } from '../../../../shared/sync/executions/executionQueries.js';
import { drain, syncFixture, type SyncFixture } from '../syncFixture.js';
import { ids } from '../../../../shared/core/ids.js';
import { putTenant } from '../../../../shared/sync/tenants/tenants.js';
import { runRetention } from '../../../../shared/sync/operations/runRetention.js';
import type { StreamCursor } from '../../../../shared/core/schemas/execution.js';

describe('dry run', () => {
  let fixture: SyncFixture;
  afterEach(async () => fixture?.close());

  const shards = async () => (await fixture.deps.store.query('shards', 't1', {}, { maxItems: 1000 })).items;

  it('reports what would be created, updated, unchanged or fail, and writes no shard', async () => {
    fixture = await syncFixture(80);
    const first = await startExecution(fixture.deps, 't1', 'task', { dryRun: true });
    await drain(fixture);
    expect(await getExecution(fixture.deps, 't1', first.execution.id)).toMatchObject({ status: 'success', dryRun: true, counts: { created: 80 } });
    expect(await shards()).toHaveLength(0);

    const real = await startExecution(fixture.deps, 't1', 'task', {});
    await drain(fixture);
    expect((await getExecution(fixture.deps, 't1', real.execution.id)).counts.created).toBe(80);
    const before = JSON.stringify(await shards());

    fixture.fake.updateRecord('customers', 4, { first_name: 'Changed' });
    fixture.fake.updateRecord('customers', 5, { email: '' });
    const preview = await startExecution(fixture.deps, 't1', 'task', { dryRun: true });
    await drain(fixture);
    expect(await getExecution(fixture.deps, 't1', preview.execution.id)).toMatchObject({
      status: 'partial',
      counts: { created: 0, updated: 1, unchanged: 78, failed: 1 },
    });
    expect(JSON.stringify(await shards())).toBe(before);
  });

  it('run options out of range are refused naming the field', async () => {
    fixture = await syncFixture(1);
    for (const [body, path] of [
      [{ batchSize: 0 }, 'batchSize'],
      [{ batchSize: 201 }, 'batchSize'],
      [{ interBatchDelayMs: 60_001 }, 'interBatchDelayMs'],
      [{ maxRetries: 11 }, 'maxRetries'],
      [{ rateLimit: 0 }, 'rateLimit'],
      [{ maxRecords: 0 }, 'maxRecords'],
      [{ conflictStrategy: 'coin_toss' }, 'conflictStrategy'],
      [{ ids: { invoices: ['1'] } }, 'ids.invoices'],
    ] as const) {
      await expect(startExecution(fixture.deps, 't1', 'task', body), path).rejects.toMatchObject({
        status: 422,
        issues: expect.arrayContaining([expect.objectContaining({ path })]),
      });
    }
  });

  it('maxRecords stops reading a stream after that many records', async () => {
    fixture = await syncFixture(200);
    const { execution } = await startExecution(fixture.deps, 't1', 'task', { maxRecords: 70 });
    await drain(fixture);
    expect(await getExecution(fixture.deps, 't1', execution.id)).toMatchObject({ status: 'success', total: 70, counts: { fetched: 70, created: 70 } });
  });
});

describe('incremental runs', () => {
  let fixture: SyncFixture;
  afterEach(async () => fixture?.close());

  const cursor = async () => fixture.deps.store.read<StreamCursor>('executions', 't1', ids.cursor('shop', 'customers'));
  const run = async (body: Record<string, unknown>) => {
    const { execution } = await startExecution(fixture.deps, 't1', 'task', body);
    await drain(fixture);
    return getExecution(fixture.deps, 't1', execution.id);
  };

  it('read only what changed since the cursor, which moves when a run completes', async () => {
    fixture = await syncFixture(90);
    const first = await run({ mode: 'incremental' });
    // No cursor yet: everything is read, and the cursor lands on the latest modification seen.
    expect(first).toMatchObject({ status: 'success', counts: { created: 90 } });
    expect(first.streams.customers!.modifiedAfter).toBeNull();
    const latest = Math.max(...Array.from({ length: 90 }, (_, i) => Date.parse(`${fixture.fake.getRecord('customers', i + 1)!.date_modified_gmt}Z`)));
    expect((await cursor())?.value).toBe(new Date(latest).toISOString());

    for (const id of [3, 30, 60]) fixture.fake.updateRecord('customers', id, { first_name: `Changed ${id}` });
    const second = await run({ mode: 'incremental' });
    expect(second).toMatchObject({ status: 'success', counts: { updated: 3, created: 0, failed: 0 } });
    // Besides the three changes, only records inside the overlap are read again (and found unchanged).
    expect(second.counts.fetched).toBe(3 + second.counts.unchanged);
    expect(second.counts.unchanged).toBeLessThan(5);
    // The read started an overlap (5 s by default) before the cursor.
    expect(Date.parse(second.streams.customers!.modifiedAfter!)).toBe(latest - 5_000);
    expect(Date.parse((await cursor())!.value)).toBeGreaterThan(latest);
  });

  it('runs restricted to ids (webhooks, retries) and runs stopped by maxRecords leave the cursor alone; a full run resets it', async () => {
    fixture = await syncFixture(30);
    await run({ mode: 'incremental' });
    const settled = (await cursor())!.value;

    fixture.fake.updateRecord('customers', 2, { first_name: 'Pushed' });
    expect((await run({ mode: 'incremental', ids: { customers: ['2'] } })).counts.updated).toBe(1);
    expect((await cursor())!.value).toBe(settled);

    // Record 3 is read (and newer than the cursor), records 11–30 are not: the read stopped short.
    fixture.fake.updateRecord('customers', 3, { first_name: 'Read before the stop' });
    expect(await run({ mode: 'full', maxRecords: 10 })).toMatchObject({ status: 'success', counts: { fetched: 10 } });
    expect((await cursor())!.value).toBe(settled);

    await run({ mode: 'full' });
    expect(Date.parse((await cursor())!.value)).toBeGreaterThan(Date.parse(settled));
  });
});

describe('retention and cursors', () => {
  let fixture: SyncFixture;
  afterEach(async () => fixture?.close());

  it('removing the run that last moved a cursor keeps the cursor', async () => {
    fixture = await syncFixture(10);
    const { execution } = await startExecution(fixture.deps, 't1', 'task', { mode: 'incremental' });
    await drain(fixture);
    const cursor = await fixture.deps.store.read<StreamCursor>('executions', 't1', ids.cursor('shop', 'customers'));
    expect(cursor?.executionId).toBe(execution.id);
    await putTenant(fixture.deps, 't1', { settings: { retention: { executionsDays: 1 } } });
    const later = { ...fixture.deps, clock: { now: () => new Date(Date.now() + 3 * 86_400_000) } };
    const summary = await runRetention(later);
    expect(summary.deleted.executions).toBe(1);
    expect(await fixture.deps.store.read('executions', 't1', execution.id)).toBeUndefined();
    expect((await fixture.deps.store.read<StreamCursor>('executions', 't1', ids.cursor('shop', 'customers')))?.value).toBe(cursor!.value);
  });
});
