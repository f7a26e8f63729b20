import { afterEach, describe, expect, it } from 'vitest';
import { startExecution } from '../../../../shared/sync/executions/startExecution.js';
import { getExecution } from '../../../../shared/sync/executions/executionQueries.js';
import { listOrCountFailures } from '../../../../shared/sync/queries/failureQueries.js';
import { retryExecution, retryFailures } from '../../../../shared/sync/failures/retryFailures.js';
import { checkStartRateLimit } from '../../../../shared/sync/operations/tenantRateLimit.js';
import { retryResult } from '../../../../shared/core/schemas/answers/retryResult.js';
import type { Execution } from '../../../../shared/core/schemas/execution.js';
import type { Failure } from '../../../../shared/core/schemas/failure.js';
import { TooManyRequestsError } from '../../../../shared/sync/tooManyRequestsError.js';
import { drain, syncFixture, type SyncFixture } from '../syncFixture.js';

const CUSTOMERS = 2500;

/** A run over every customer, each failing validation (no email): one open failure per record. */
async function everyRecordFailed(fixture: SyncFixture): Promise<string> {
  for (let id = 1; id <= CUSTOMERS; id++) fixture.fake.updateRecord('customers', id, { email: '' });
  const { execution } = await startExecution(fixture.deps, 't1', 'task', {});
  await drain(fixture);
  expect(await getExecution(fixture.deps, 't1', execution.id)).toMatchObject({ counts: { failed: CUSTOMERS, created: 0 } });
  return execution.id;
}

const openCount = async (fixture: SyncFixture, executionId: string) =>
  (await listOrCountFailures(fixture.deps, 't1', { executionId, status: 'open', count: 'true' })) as { count: number };

describe('retrying many failures', () => {
  let fixture: SyncFixture;
  afterEach(async () => fixture?.close());

  it('one call retries all 2,500 failures of a run in as many executions as it takes, and they sync every record', async () => {
    fixture = await syncFixture(CUSTOMERS);
    const failedRun = await everyRecordFailed(fixture);

    const result = retryResult.parse(await retryExecution(fixture.deps, 't1', failedRun));
    expect(result.retried).toBe(CUSTOMERS);
    expect(result.executions).toHaveLength(3);
    expect(result.executions.map((e) => e.failures)).toEqual([1000, 1000, 500]);
    expect(result.skipped).toEqual({ notOpen: 0, withoutTask: 0, takenByAnother: 0 });
    expect(await openCount(fixture, failedRun)).toEqual({ count: 0 });

    const runs = await Promise.all(result.executions.map((e) => fixture.deps.store.read<Execution>('executions', 't1', e.executionId)));
    const retriedIds = runs.flatMap((run) => run!.ids!.customers!);
    expect(new Set(retriedIds).size).toBe(CUSTOMERS);
    expect(runs.every((run) => run!.retryOf === failedRun)).toBe(true);

    for (let id = 1; id <= CUSTOMERS; id++) fixture.fake.updateRecord('customers', id, { email: `fixed${id}@example.com` });
    await drain(fixture);
    const finished = await Promise.all(result.executions.map((e) => getExecution(fixture.deps, 't1', e.executionId)));
    expect(finished.map((run) => run.status)).toEqual(['success', 'success', 'success']);
    expect(finished.reduce((sum, run) => sum + run.counts.created, 0)).toBe(CUSTOMERS);
  });

  it('repeating the call, or two at once, starts no second execution for the same failures', async () => {
    fixture = await syncFixture(CUSTOMERS);
    const failedRun = await everyRecordFailed(fixture);

    const [first, second] = await Promise.all([retryExecution(fixture.deps, 't1', failedRun), retryExecution(fixture.deps, 't1', failedRun)]);
    expect(first.retried + second.retried).toBe(CUSTOMERS);
    expect(first.skipped.takenByAnother + second.skipped.takenByAnother).toBe(CUSTOMERS);
    const started = new Set([...first.executions, ...second.executions].map((e) => e.executionId));
    expect(started.size).toBe(3);
    const retryRuns = (await fixture.deps.store.query<Execution>('executions', 't1', { filters: [{ path: 'retryOf', op: '=', value: failedRun }] })).items;
    expect(retryRuns).toHaveLength(3);

    expect(await retryExecution(fixture.deps, 't1', failedRun)).toEqual({
      retried: 0,
      executions: [],
      skipped: { notOpen: 0, withoutTask: 0, takenByAnother: 0 },
    });
    expect(await retryFailures(fixture.deps, 't1', { taskId: 'task' })).toMatchObject({ retried: 0, executions: [] });
  });

  it('an operator retry succeeds while the automation start budget is spent, and retries have a budget of their own', async () => {
    fixture = await syncFixture(10);
    fixture.fake.updateRecord('customers', 3, { email: '' });
    const { execution } = await startExecution(fixture.deps, 't1', 'task', {});
    await drain(fixture);
    // The default budget: 10 starts a minute; all spent.
    for (let i = 0; i < 10; i++) await checkStartRateLimit(fixture.deps, 't1');
    await expect(startExecution(fixture.deps, 't1', 'task', {}, { checkRateLimit: true })).rejects.toBeInstanceOf(TooManyRequestsError);

    expect(await retryExecution(fixture.deps, 't1', execution.id)).toMatchObject({ retried: 1, executions: [{ taskId: 'task', failures: 1 }] });

    for (let i = 0; i < 9; i++) await retryFailures(fixture.deps, 't1', { taskId: 'task' });
    await expect(retryFailures(fixture.deps, 't1', { taskId: 'task' })).rejects.toMatchObject({ status: 429, retryAfterSeconds: 6 });
  });

  it('listed ids: those no longer open are counted as skipped, and more than 10,000 are a 422', async () => {
    fixture = await syncFixture(10);
    fixture.fake.updateRecord('customers', 3, { email: '' });
    fixture.fake.updateRecord('customers', 4, { email: '' });
    const { execution } = await startExecution(fixture.deps, 't1', 'task', {});
    await drain(fixture);
    const failures = (await fixture.deps.store.query<Failure>('failures', 't1', { filters: [{ path: 'executionId', op: '=', value: execution.id }] })).items;
    expect(failures).toHaveLength(2);
    const ids = failures.map((f) => f.id);

    expect(await retryFailures(fixture.deps, 't1', { ids: [ids[0]] })).toMatchObject({ retried: 1, skipped: { notOpen: 0 } });
    expect(await retryFailures(fixture.deps, 't1', { ids })).toMatchObject({ retried: 1, skipped: { notOpen: 1 } });
    await expect(retryFailures(fixture.deps, 't1', { ids: Array.from({ length: 10_001 }, (_, i) => `fail_${i}`) })).rejects.toMatchObject({
      status: 422,
      issues: [{ path: 'ids' }],
    });
  });
});
