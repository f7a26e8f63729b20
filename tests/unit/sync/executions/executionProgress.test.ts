import { afterEach, describe, expect, it, vi } from 'vitest';
import { startExecution } from '../../../../shared/sync/executions/startExecution.js';
import { controlExecution } from '../../../../shared/sync/executions/controlExecution.js';
import { getExecution } from '../../../../shared/sync/executions/executionQueries.js';
import { saveSyncTask } from '../../../../shared/sync/resources/syncTasks.js';
import { drain, step, syncFixture, type SyncFixture } from '../syncFixture.js';

describe('the progress an execution view shows', () => {
  let fixture: SyncFixture;
  afterEach(async () => fixture?.close());

  it('is estimated from the page size the run recorded when it started: reading the view reads no connection', async () => {
    fixture = await syncFixture(500);
    const { deps } = fixture;
    await saveSyncTask(deps, 't1', { connectionId: 'shop', streams: [{ stream: 'customers', schemaId: 'customers' }], defaults: { batchSize: 150 } }, 'big-batches');
    const { execution } = await startExecution(deps, 't1', 'big-batches', {});
    // The provider serves at most 100 a page: that, not the batch size, is what the run asks for.
    expect(execution.pageSize).toBe(100);
    const read = vi.spyOn(deps.store, 'read');
    await getExecution(deps, 't1', execution.id);
    expect(read.mock.calls.length).toBeGreaterThan(0);
    expect(read.mock.calls.filter(([container]) => container === 'connections')).toEqual([]);
  });

  it('is above 0 with an ETA while page 2 of 10 is fetched, although a later stream has no totals yet; a finished run shows 100 and no ETA', async () => {
    fixture = await syncFixture(500, 100); // customers: 10 pages of 50
    const { deps, fake } = fixture;
    // Orders wait for their customers: their totals come only after every customer page.
    const streams = [{ stream: 'customers', schemaId: 'customers' }, { stream: 'orders', schemaId: 'orders' }];
    await saveSyncTask(deps, 't1', { connectionId: 'shop', streams, defaults: { batchSize: 50 } }, 'customers-and-orders');
    const { execution } = await startExecution(deps, 't1', 'customers-and-orders', {});
    await step(fixture, 'sync-start');
    await step(fixture, 'sync-page'); // customers page 1: X-WP-TotalPages 10, pages 2..10 queued
    await step(fixture, 'sync-batch');

    fake.setFaults({ latencyMs: 500 });
    let fetched = false;
    const pageTwo = step(fixture, 'sync-page').then(() => (fetched = true));
    await new Promise((resolve) => setTimeout(resolve, 100));
    const view = await getExecution(deps, 't1', execution.id);
    const stillFetching = !fetched;
    await pageTwo;
    expect(stillFetching).toBe(true);
    expect(fake.requestLog.at(-1)).toMatchObject({ path: '/wp-json/wc/v3/customers', query: { page: '2' } });

    expect(view).toMatchObject({ status: 'running', phase: 'fetching', total: null, streams: { customers: { pagesTotal: 10, recordsTotal: 500, pagesDone: 1 } } });
    // 1 page of 20 expected: orders are expected as large as customers until their page 1 says.
    expect(view.percent).toBe(5);
    expect(view.etaMs).toEqual(expect.any(Number));
    expect(view.etaMs).toBeGreaterThan(0);
    expect(Date.parse(view.eta!)).toBeGreaterThan(Date.parse(view.startedAt!));

    fake.setFaults({});
    await drain(fixture);
    const done = await getExecution(deps, 't1', execution.id);
    expect(done).toMatchObject({ status: 'success', percent: 100, etaMs: null, eta: null, total: 600 });
  });

  it('a run cancelled mid-way shows how far it got, below 100, and no ETA', async () => {
    fixture = await syncFixture(500);
    const { execution } = await startExecution(fixture.deps, 't1', 'task', {});
    await step(fixture, 'sync-start');
    await step(fixture, 'sync-page'); // page 1 of 10 queues pages 2..10
    await step(fixture, 'sync-page');
    await step(fixture, 'sync-batch', 2);
    expect((await getExecution(fixture.deps, 't1', execution.id)).percent).toBe(20);

    await controlExecution(fixture.deps, 't1', execution.id, 'cancel');
    await drain(fixture); // the other pages are dropped
    const cancelled = await getExecution(fixture.deps, 't1', execution.id);
    expect(cancelled).toMatchObject({ status: 'cancelled', phase: 'done', percent: 20, etaMs: null, eta: null, counts: { created: 100 } });
  });
});
