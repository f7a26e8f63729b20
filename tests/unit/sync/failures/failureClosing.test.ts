import { afterEach, describe, expect, it, vi } from 'vitest';
import { startExecution } from '../../../../shared/sync/executions/startExecution.js';
import { getExecution } from '../../../../shared/sync/executions/executionQueries.js';
import type { ExecutionView } from '../../../../shared/core/schemas/answers/executionView.js';
import { getFailure, listFailures } from '../../../../shared/sync/queries/failureQueries.js';
import { retryExecution } from '../../../../shared/sync/failures/retryFailures.js';
import type { Failure } from '../../../../shared/core/schemas/failure.js';
import { saveConversionSchema } from '../../../../shared/sync/resources/conversionSchemas.js';
import { DEMO_SCHEMAS } from '../../../../dev/demoSetup.js';
import { drain, syncFixture, type SyncFixture } from '../syncFixture.js';

describe('failures close themselves when a later run syncs their record', () => {
  let fixture: SyncFixture;
  afterEach(async () => {
    vi.restoreAllMocks();
    await fixture?.close();
  });

  const run = async (body: Record<string, unknown> = {}, taskId = 'task'): Promise<ExecutionView> => {
    const { execution } = await startExecution(fixture.deps, 't1', taskId, body);
    await drain(fixture);
    return getExecution(fixture.deps, 't1', execution.id);
  };
  const failureOf = async (executionId: string, externalId: string): Promise<Failure> => {
    const { items } = await listFailures(fixture.deps, 't1', { executionId });
    const found = items.find((failure) => failure.payloadRef?.externalId === externalId);
    expect(found, `failure of record ${externalId}`).toBeDefined();
    return getFailure(fixture.deps, 't1', found!.id);
  };

  it('a record fixed at the source and synced by another task closes its failure, naming that run; the others stay open', async () => {
    fixture = await syncFixture(40);
    fixture.fake.updateRecord('customers', 5, { email: '' });
    fixture.fake.updateRecord('customers', 7, { email: '' });
    const broken = await run();
    expect(broken).toMatchObject({ status: 'partial', counts: { failed: 2 } });

    fixture.fake.updateRecord('customers', 5, { email: 'fixed@example.com' });
    const fixing = await run({}, 'task-b');
    expect(fixing).toMatchObject({ status: 'partial', counts: { failed: 1 } });

    const closed = await failureOf(broken.id, '5');
    expect(closed).toMatchObject({ status: 'resolved', resolvedBy: fixing.id });
    expect(Date.parse(closed.resolvedAt!)).toBeGreaterThanOrEqual(Date.parse(closed.createdAt));
    expect(await failureOf(broken.id, '7')).toMatchObject({ status: 'open' });
    expect((await failureOf(fixing.id, '7')).status).toBe('open');
  });

  it('a record that failed a stricter schema and syncs unchanged once it is relaxed again closes its failure, although nothing is written', async () => {
    fixture = await syncFixture(20);
    await run();
    // Every customer's e-mail but record 3's is allowed.
    const emails = Array.from({ length: 20 }, (_, index) => fixture.fake.getRecord('customers', index + 1)!.email as string);
    const strict = { ...DEMO_SCHEMAS.customers, validations: [{ path: 'email', rule: 'enum', values: emails.filter((_, index) => index !== 2) }] };
    await saveConversionSchema(fixture.deps, 't1', strict, 'customers');
    const broken = await run();
    expect(broken).toMatchObject({ status: 'partial', counts: { failed: 1, unchanged: 19 } });

    await saveConversionSchema(fixture.deps, 't1', DEMO_SCHEMAS.customers, 'customers');
    const later = await run();
    expect(later).toMatchObject({ status: 'success', counts: { unchanged: 20, updated: 0 } });
    expect(await failureOf(broken.id, '3')).toMatchObject({ status: 'resolved', resolvedBy: later.id });
  });

  it('a failure is closed once: later runs that sync the record again leave it as the first closing run left it', async () => {
    fixture = await syncFixture(20);
    fixture.fake.updateRecord('customers', 3, { email: '' });
    const broken = await run();
    fixture.fake.updateRecord('customers', 3, { email: 'fixed@example.com' });
    const fixing = await run();
    const closed = await failureOf(broken.id, '3');
    expect(closed.resolvedBy).toBe(fixing.id);

    await run();
    expect(await failureOf(broken.id, '3')).toEqual(closed);
  });

  it('a dry run closes nothing: it writes no shard', async () => {
    fixture = await syncFixture(20);
    fixture.fake.updateRecord('customers', 3, { email: '' });
    const broken = await run();
    fixture.fake.updateRecord('customers', 3, { email: 'fixed@example.com' });
    expect((await run({ dryRun: true })).counts.created).toBe(1);
    expect((await failureOf(broken.id, '3')).status).toBe('open');
  });

  it('a retry skips records whose failures a later run closed', async () => {
    fixture = await syncFixture(40);
    fixture.fake.updateRecord('customers', 5, { email: '' });
    fixture.fake.updateRecord('customers', 7, { email: '' });
    const broken = await run();
    fixture.fake.updateRecord('customers', 5, { email: 'fixed@example.com' });
    await run({ ids: { customers: ['5'] } });
    expect((await failureOf(broken.id, '5')).status).toBe('resolved');

    const retry = await retryExecution(fixture.deps, 't1', broken.id);
    expect(retry.retried).toBe(1);
    expect(retry.executions).toHaveLength(1);
    const retryId = retry.executions[0]!.executionId;
    await drain(fixture);
    // Only record 7, which still fails.
    expect((await getExecution(fixture.deps, 't1', retryId)).counts).toMatchObject({ fetched: 1, failed: 1 });
    expect(await failureOf(broken.id, '7')).toMatchObject({ status: 'retried', retriedBy: retryId });
  });

  it('a retry that syncs the record closes the failure it took over, naming itself', async () => {
    fixture = await syncFixture(40);
    fixture.fake.updateRecord('customers', 9, { email: '' });
    const broken = await run();
    expect((await failureOf(broken.id, '9')).status).toBe('open');
    fixture.fake.updateRecord('customers', 9, { email: 'fixed@example.com' });

    const retry = await retryExecution(fixture.deps, 't1', broken.id);
    expect(retry.executions).toHaveLength(1);
    const retryId = retry.executions[0]!.executionId;
    await drain(fixture);
    expect((await getExecution(fixture.deps, 't1', retryId)).counts).toMatchObject({ fetched: 1, updated: 0, created: 1, failed: 0 });
    expect(await failureOf(broken.id, '9')).toMatchObject({ status: 'resolved', retriedBy: retryId, resolvedBy: retryId });
  });

  it('finding the failures a run closes costs no failure query, however many records it syncs', async () => {
    fixture = await syncFixture(150);
    fixture.fake.updateRecord('customers', 120, { email: '' });
    const broken = await run();
    fixture.fake.updateRecord('customers', 120, { email: 'fixed@example.com' });
    const query = vi.spyOn(fixture.deps.store, 'query');
    const { execution } = await startExecution(fixture.deps, 't1', 'task', {});
    await drain(fixture);
    const failureQueries = query.mock.calls.filter(([container]) => container === 'failures');
    expect(failureQueries).toEqual([]);
    expect((await failureOf(broken.id, '120')).resolvedBy).toBe(execution.id);
  });
});
