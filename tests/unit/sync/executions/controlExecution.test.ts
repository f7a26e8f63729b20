import { afterEach, describe, expect, it } from 'vitest';
import { startExecution } from '../../../../shared/sync/executions/startExecution.js';
import { controlExecution } from '../../../../shared/sync/executions/controlExecution.js';
import { getExecution } from '../../../../shared/sync/executions/executionQueries.js';
import { StateConflictError } from '../../../../shared/sync/stateConflictError.js';
import { listActivity } from '../../../../shared/sync/queries/activityQueries.js';
import { drain, step, syncFixture, type SyncFixture } from '../syncFixture.js';

describe('controlling an execution', () => {
  let fixture: SyncFixture;
  afterEach(async () => fixture?.close());

  const shardCount = async () => (await fixture.deps.store.query('shards', 't1', { filters: [{ path: 'shardType', op: '=', value: 'customer' }] }, { maxItems: 1000 })).items.length;

  it('pausing a run defers its pages and batches; resuming completes it with exact counts', async () => {
    fixture = await syncFixture(300);
    const { execution } = await startExecution(fixture.deps, 't1', 'task', {});
    await step(fixture, 'sync-start');
    await step(fixture, 'sync-page'); // page 1: fans out pages 2..6 and asks for batch 1
    await step(fixture, 'sync-batch');
    const paused = await controlExecution(fixture.deps, 't1', execution.id, 'pause', { type: 'operator', id: 'ana@example.com' });
    expect(paused).toMatchObject({ status: 'paused', pauseReason: 'operator', phase: 'paused' });

    await drain(fixture); // every message that arrives now is parked, not processed
    const whilePaused = await getExecution(fixture.deps, 't1', execution.id);
    expect(whilePaused.counts).toMatchObject({ created: 50, fetched: 50 });
    expect(await shardCount()).toBe(50);

    const resumed = await controlExecution(fixture.deps, 't1', execution.id, 'resume');
    expect(resumed.status).toBe('running');
    await drain(fixture);
    const done = await getExecution(fixture.deps, 't1', execution.id);
    expect(done).toMatchObject({ status: 'success', counts: { fetched: 300, created: 300, unchanged: 0, failed: 0 } });
    expect(await shardCount()).toBe(300);

    // The audit trail tells the story, newest first, with who paused it.
    const activity = await listActivity(fixture.deps, 't1', { executionId: execution.id, limit: '100' });
    const actions = activity.items.map((entry) => entry.action).reverse();
    expect(actions.filter((action) => !action.startsWith('batch.'))).toEqual([
      'execution.queued',
      'execution.running',
      'execution.paused',
      'execution.resumed',
      'execution.success',
    ]);
    expect(actions.filter((action) => action === 'batch.processed')).toHaveLength(6);
    expect(activity.items.find((entry) => entry.action === 'execution.paused')?.actor).toEqual({ type: 'operator', id: 'ana@example.com' });
  });

  it('cancel stops the run within one batch and drops what was waiting', async () => {
    fixture = await syncFixture(300);
    const { execution } = await startExecution(fixture.deps, 't1', 'task', {});
    await step(fixture, 'sync-start');
    await step(fixture, 'sync-page');
    await step(fixture, 'sync-batch');
    const cancelled = await controlExecution(fixture.deps, 't1', execution.id, 'cancel');
    expect(cancelled.status).toBe('cancelled');
    await drain(fixture);
    const after = await getExecution(fixture.deps, 't1', execution.id);
    expect(after).toMatchObject({ status: 'cancelled', counts: { created: 50 } });
    expect(after.finishedAt).not.toBeNull();
    expect(await shardCount()).toBe(50);
  });

  it('a paused run that is cancelled drops its parked messages and never resumes', async () => {
    fixture = await syncFixture(120);
    const { execution } = await startExecution(fixture.deps, 't1', 'task', {});
    await controlExecution(fixture.deps, 't1', execution.id, 'pause');
    await drain(fixture);
    await controlExecution(fixture.deps, 't1', execution.id, 'cancel');
    await drain(fixture);
    expect((await getExecution(fixture.deps, 't1', execution.id)).status).toBe('cancelled');
    expect(await shardCount()).toBe(0);
    const parked = await fixture.deps.store.query('executions', 't1', { filters: [{ path: 'kind', op: '=', value: 'parked' }] });
    expect(parked.items).toHaveLength(0);
  });

  it('actions the state does not allow are refused with the current state', async () => {
    fixture = await syncFixture(20);
    const { execution } = await startExecution(fixture.deps, 't1', 'task', {});
    await drain(fixture);
    const refusal = controlExecution(fixture.deps, 't1', execution.id, 'pause');
    await expect(refusal).rejects.toBeInstanceOf(StateConflictError);
    await expect(refusal).rejects.toMatchObject({ currentState: { status: 'success' } });
    await expect(controlExecution(fixture.deps, 't1', execution.id, 'resume')).rejects.toThrow(/cannot resume an execution that is success/);
    const second = await startExecution(fixture.deps, 't1', 'task', {});
    await controlExecution(fixture.deps, 't1', second.execution.id, 'cancel');
    await expect(controlExecution(fixture.deps, 't1', second.execution.id, 'cancel')).rejects.toThrow(/cannot cancel an execution that is cancelled/);
  });
});
