import { afterEach, describe, expect, it } from 'vitest';
import { startExecution } from '../../../../shared/sync/executions/startExecution.js';
import { getExecution } from '../../../../shared/sync/executions/executionQueries.js';
import { listFailures } from '../../../../shared/sync/queries/failureQueries.js';
import { retryExecution, retryFailures } from '../../../../shared/sync/failures/retryFailures.js';
import { StateConflictError } from '../../../../shared/sync/stateConflictError.js';
import { drain, syncFixture, type SyncFixture } from '../syncFixture.js';

describe('failures and their retry', () => {
  let fixture: SyncFixture;
  afterEach(async () => fixture?.close());

  it('a record failing validation ends the run partial and is listed; fixed at the source, a retry syncs just it', async () => {
    fixture = await syncFixture(60);
    fixture.fake.updateRecord('customers', 7, { email: '' });
    const { execution } = await startExecution(fixture.deps, 't1', 'task', {});
    await drain(fixture);
    expect(await getExecution(fixture.deps, 't1', execution.id)).toMatchObject({ status: 'partial', counts: { created: 59, failed: 1 } });

    const listed = await listFailures(fixture.deps, 't1', { executionId: execution.id });
    expect(listed.items).toEqual([
      expect.objectContaining({
        stage: 'transform',
        errorClass: 'ValidationError',
        status: 'open',
        details: [{ path: 'email', target: 'email', rule: 'required', message: '"email" is required but missing or empty' }],
        payloadRef: expect.objectContaining({ externalId: '7' }),
      }),
    ]);

    fixture.fake.updateRecord('customers', 7, { email: 'fixed@example.com' });
    const retry = await retryExecution(fixture.deps, 't1', execution.id);
    expect(retry.retried).toBe(1);
    expect(retry.executions).toHaveLength(1);
    await drain(fixture);
    const retried = await getExecution(fixture.deps, 't1', retry.executions[0]!.executionId);
    expect(retried).toMatchObject({ status: 'success', retryOf: execution.id, counts: { fetched: 1, created: 1, failed: 0 } });
    // The retry that synced the record closed the failure it took over.
    const closed = (await listFailures(fixture.deps, 't1', { executionId: execution.id, status: 'resolved' })).items;
    expect(closed).toHaveLength(1);
    expect(closed[0]).toMatchObject({ retriedBy: retried.id, resolvedBy: retried.id });

    // Nothing open is left: retrying again starts nothing.
    expect(await retryFailures(fixture.deps, 't1', { executionId: execution.id })).toEqual({
      retried: 0,
      executions: [],
      skipped: { notOpen: 0, withoutTask: 0, takenByAnother: 0 },
    });
  });

  it('retrying an execution that has not finished is refused with its state', async () => {
    fixture = await syncFixture(10);
    const { execution } = await startExecution(fixture.deps, 't1', 'task', {});
    await expect(retryExecution(fixture.deps, 't1', execution.id)).rejects.toBeInstanceOf(StateConflictError);
  });

  it('filters are validated and unknown failure ids are 404s', async () => {
    fixture = await syncFixture(10);
    await expect(listFailures(fixture.deps, 't1', { stage: 'nope' })).rejects.toMatchObject({ status: 422 });
    await expect(retryFailures(fixture.deps, 't1', { ids: ['fail_missing'] })).rejects.toMatchObject({ status: 404 });
    await expect(retryFailures(fixture.deps, 't1', { colour: 'red' })).rejects.toMatchObject({ status: 422 });
  });
});
