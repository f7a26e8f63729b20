import { afterEach, describe, expect, it } from 'vitest';
import { startExecution } from '../../../../shared/sync/executions/startExecution.js';
import { getExecution } from '../../../../shared/sync/executions/executionQueries.js';
import { controlExecution } from '../../../../shared/sync/executions/controlExecution.js';
import { exceedsBulkChangeLimit } from '../../../../shared/core/executions/bulkSafety.js';
import { drain, syncFixture, type SyncFixture } from '../syncFixture.js';

describe('bulk safety', () => {
  let fixture: SyncFixture;
  afterEach(async () => fixture?.close());

  it('decides from the share of the last full run a run would change', () => {
    const check = { baseline: 100, updatedSoFar: 40, updatedInBatch: 10, maxChangeShare: 0.5, minBaseline: 20 };
    expect(exceedsBulkChangeLimit(check)).toBe(false);
    expect(exceedsBulkChangeLimit({ ...check, updatedInBatch: 11 })).toBe(true);
    expect(exceedsBulkChangeLimit({ ...check, updatedInBatch: 11, maxChangeShare: 1 })).toBe(false);
    expect(exceedsBulkChangeLimit({ ...check, baseline: 10, updatedSoFar: 0, updatedInBatch: 10 })).toBe(false);
  });

  it('a source that suddenly changes most records pauses the run for confirmation; confirming finishes it', async () => {
    fixture = await syncFixture(100);
    await startExecution(fixture.deps, 't1', 'task', {});
    await drain(fixture);
    for (let id = 1; id <= 80; id++) fixture.fake.updateRecord('customers', id, { last_name: 'Broken' });

    const { execution } = await startExecution(fixture.deps, 't1', 'task', {});
    await drain(fixture);
    const paused = await getExecution(fixture.deps, 't1', execution.id);
    expect(paused).toMatchObject({ status: 'paused', pauseReason: 'confirmation' });
    expect(paused.counts.updated).toBeLessThanOrEqual(50);
    const broken = await fixture.deps.store.query('shards', 't1', { filters: [{ path: 'data.lastName', op: '=', value: 'Broken' }] }, { maxItems: 1000 });
    expect(broken.items.length).toBe(paused.counts.updated);

    await expect(controlExecution(fixture.deps, 't1', execution.id, 'resume')).resolves.toBeDefined();
    await drain(fixture);
    // Resuming without confirming asks again at the next batch that crosses the line.
    expect(await getExecution(fixture.deps, 't1', execution.id)).toMatchObject({ status: 'paused', pauseReason: 'confirmation' });

    await controlExecution(fixture.deps, 't1', execution.id, 'confirm', { type: 'operator', id: 'ana' });
    await drain(fixture);
    expect(await getExecution(fixture.deps, 't1', execution.id)).toMatchObject({ status: 'success', counts: { updated: 80, unchanged: 20 } });
  });

  it('confirming a run that is not waiting for confirmation is a 409', async () => {
    fixture = await syncFixture(10);
    const { execution } = await startExecution(fixture.deps, 't1', 'task', {});
    await expect(controlExecution(fixture.deps, 't1', execution.id, 'confirm')).rejects.toMatchObject({ status: 409 });
  });
});
