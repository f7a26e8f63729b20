import { afterEach, describe, expect, it } from 'vitest';
import { startExecution } from '../../../shared/sync/startExecution.js';
import { getExecution } from '../../../shared/sync/executionQueries.js';
import { drain, syncFixture, type SyncFixture } from './syncFixture.js';

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

  it('read only what changed since the last successful run, and a first incremental run reads everything', async () => {
    fixture = await syncFixture(90);
    const first = await startExecution(fixture.deps, 't1', 'task', { mode: 'incremental' });
    await drain(fixture);
    expect(await getExecution(fixture.deps, 't1', first.execution.id)).toMatchObject({ modifiedAfter: null, counts: { created: 90 } });

    // The fake's clock runs ahead of the records' original modification times: move three records.
    for (const id of [3, 30, 60]) fixture.fake.updateRecord('customers', id, { first_name: `Changed ${id}` });
    const second = await startExecution(fixture.deps, 't1', 'task', { mode: 'incremental' });
    await drain(fixture);
    const view = await getExecution(fixture.deps, 't1', second.execution.id);
    expect(view.modifiedAfter).not.toBeNull();
    expect(view).toMatchObject({ status: 'success', counts: { fetched: 3, updated: 3, created: 0 } });
  });
});
