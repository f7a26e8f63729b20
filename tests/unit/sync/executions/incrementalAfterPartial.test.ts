import { afterEach, describe, expect, it } from 'vitest';
import { startExecution } from '../../../../shared/sync/executions/startExecution.js';
import { getExecution } from '../../../../shared/sync/executions/executionQueries.js';
import type { ExecutionView } from '../../../../shared/core/schemas/answers/executionView.js';
import { listFailures } from '../../../../shared/sync/queries/failureQueries.js';
import { controlExecution } from '../../../../shared/sync/executions/controlExecution.js';
import type { StreamCursor } from '../../../../shared/core/schemas/execution.js';
import { ids } from '../../../../shared/core/ids.js';
import { drain, step, syncFixture, type SyncFixture } from '../syncFixture.js';

describe('incremental runs after a partial run', () => {
  let fixture: SyncFixture;
  afterEach(async () => fixture?.close());

  const cursor = async (stream = 'customers') => (await fixture.deps.store.read<StreamCursor>('executions', 't1', ids.cursor('shop', stream)))?.value;
  const run = async (body: Record<string, unknown>, taskId = 'task'): Promise<ExecutionView> => {
    const { execution } = await startExecution(fixture.deps, 't1', taskId, body);
    await drain(fixture);
    return getExecution(fixture.deps, 't1', execution.id);
  };

  it('a run that read the stream to its end moves the cursor although a record failed; the next run reads only the changes and the failure stays open', async () => {
    let storeOffsetMs = 0;
    fixture = await syncFixture(120, 0, { now: () => Date.now() + storeOffsetMs });
    await run({ mode: 'incremental' });
    const settled = (await cursor())!;

    fixture.fake.updateRecord('customers', 5, { email: '' });
    storeOffsetMs = 60_000;
    fixture.fake.updateRecord('customers', 80, { first_name: 'A minute later' });
    const partial = await run({ mode: 'incremental' });
    expect(partial).toMatchObject({ status: 'partial', counts: { updated: 1, failed: 1 } });
    // Besides the two changes, only records inside the overlap before the first cursor (found unchanged).
    expect(partial.counts.fetched).toBe(2 + partial.counts.unchanged);
    expect(partial.counts.unchanged).toBeLessThan(5);
    const moved = (await cursor())!;
    expect(Date.parse(moved)).toBeGreaterThan(Date.parse(settled));
    expect(moved).toBe(`${fixture.fake.getRecord('customers', 80)!.date_modified_gmt as string}.000Z`);

    storeOffsetMs = 120_000;
    fixture.fake.updateRecord('customers', 100, { first_name: 'Two minutes later' });
    const next = await run({ mode: 'incremental' });
    // Record 100, and record 80 inside the overlap before the cursor: not the failed record 5, not the whole stream.
    expect(next).toMatchObject({ status: 'success', counts: { fetched: 2, updated: 1, unchanged: 1, failed: 0 } });
    const open = await listFailures(fixture.deps, 't1', { status: 'open' });
    expect(open.items).toHaveLength(1);
    expect(open.items[0]).toMatchObject({ executionId: partial.id, payloadRef: { externalId: '5' } });
  });

  it('a run whose pages could not all be fetched does not move the cursor: the next run reads those records', async () => {
    fixture = await syncFixture(120);
    await run({ mode: 'incremental' });
    const settled = (await cursor())!;
    fixture.fake.updateRecord('customers', 3, { first_name: 'On page 1' });
    fixture.fake.updateRecord('customers', 110, { first_name: 'On page 3' });

    const { execution } = await startExecution(fixture.deps, 't1', 'task', { mode: 'incremental', maxRetries: 0 });
    await step(fixture, 'sync-start');
    await step(fixture, 'sync-page');
    fixture.fake.setFaults({ serverErrorEvery: 1 });
    await drain(fixture);
    const broken = await getExecution(fixture.deps, 't1', execution.id);
    expect(broken).toMatchObject({ status: 'partial', counts: { updated: 1 }, streams: { customers: { failedPages: 2 } } });
    expect(await cursor()).toBe(settled);

    fixture.fake.setFaults({});
    const next = await run({ mode: 'incremental' });
    expect(next).toMatchObject({ status: 'success' });
    expect(next.counts.updated + next.counts.unchanged).toBeGreaterThanOrEqual(2);
    expect(next.counts.updated).toBe(1);
    expect(Date.parse((await cursor())!)).toBeGreaterThan(Date.parse(settled));
  });

  it('a cancelled run does not move the cursor', async () => {
    fixture = await syncFixture(120);
    await run({ mode: 'incremental' });
    const settled = (await cursor())!;
    fixture.fake.updateRecord('customers', 3, { first_name: 'Read, then cancelled' });
    const { execution } = await startExecution(fixture.deps, 't1', 'task', { mode: 'incremental' });
    await step(fixture, 'sync-start');
    await step(fixture, 'sync-page');
    await step(fixture, 'sync-batch');
    await controlExecution(fixture.deps, 't1', execution.id, 'cancel');
    await drain(fixture);
    expect((await getExecution(fixture.deps, 't1', execution.id)).status).toBe('cancelled');
    expect(await cursor()).toBe(settled);
  });
});

describe('how an execution says it read each stream', () => {
  let fixture: SyncFixture;
  afterEach(async () => fixture?.close());

  const run = async (body: Record<string, unknown>, taskId = 'task'): Promise<ExecutionView> => {
    const { execution } = await startExecution(fixture.deps, 't1', taskId, body);
    await drain(fixture);
    return getExecution(fixture.deps, 't1', execution.id);
  };

  it('an incremental run without a cursor read everything and says why; with one, it read only the changes', async () => {
    fixture = await syncFixture(10, 20);
    const first = await run({ mode: 'incremental' }, 'orders-task');
    expect(first.streams.orders!.read).toEqual({ kind: 'full', reason: 'no_cursor' });
    expect(first.counts.fetched).toBe(20);

    fixture.fake.updateRecord('orders', 4, { customer_note: 'changed' });
    const second = await run({ mode: 'incremental' }, 'orders-task');
    expect(second.streams.orders!.read).toEqual({ kind: 'incremental', reason: null });
    expect(second.counts.fetched).toBeLessThan(20);
  });

  it('a full run says it was asked to; a run over listed ids says so', async () => {
    fixture = await syncFixture(10);
    expect((await run({ mode: 'full' })).streams.customers!.read).toEqual({ kind: 'full', reason: 'requested' });
    expect((await run({ mode: 'incremental', ids: { customers: ['2'] } })).streams.customers!.read).toEqual({ kind: 'ids', reason: null });
  });

  it('an incremental run of WooCommerce customers says it read everything, because the store cannot filter them by modification time', async () => {
    fixture = await syncFixture(10);
    expect((await run({ mode: 'incremental' })).streams.customers!.read).toEqual({ kind: 'full', reason: 'no_cursor' });
    expect((await run({ mode: 'incremental' })).streams.customers!.read).toEqual({ kind: 'full', reason: 'provider_has_no_modified_filter' });
  });
});
