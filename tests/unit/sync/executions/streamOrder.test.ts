import { afterEach, describe, expect, it } from 'vitest';
import { startExecution } from '../../../../shared/sync/executions/startExecution.js';
import { getExecution } from '../../../../shared/sync/executions/executionQueries.js';
import { saveSyncTask } from '../../../../shared/sync/resources/syncTasks.js';
import { saveConversionSchema } from '../../../../shared/sync/resources/conversionSchemas.js';
import { DEMO_SCHEMAS } from '../../../../dev/demoSetup.js';
import { drain, step, syncFixture, type SyncFixture } from '../syncFixture.js';

describe('stream dependency order', () => {
  let fixture: SyncFixture;
  afterEach(async () => fixture?.close());

  it('orders start only once customers and products are done', async () => {
    fixture = await syncFixture(60, 40);
    await saveConversionSchema(fixture.deps, 't1', DEMO_SCHEMAS.products, 'products');
    await saveSyncTask(
      fixture.deps,
      't1',
      {
        connectionId: 'shop',
        // Listed in the "wrong" order on purpose: the provider's dependencies decide.
        streams: [
          { stream: 'orders', schemaId: 'orders' },
          { stream: 'products', schemaId: 'products' },
          { stream: 'customers', schemaId: 'customers' },
        ],
        defaults: { batchSize: 20 },
      },
      'everything',
    );
    const { execution } = await startExecution(fixture.deps, 't1', 'everything', {});
    await step(fixture, 'sync-start');
    const firstPages = await fixture.bus.receive('sync-page', 10);
    expect(firstPages.map((m) => (m.body as { stream: string }).stream).sort()).toEqual(['customers', 'products']);
    for (const message of firstPages) await fixture.bus.abandon('sync-page', message.lockToken);

    // Until customers and products are done, no orders page is requested.
    let stepsBeforeUpstreamDone = 0;
    while (await step(fixture, 'sync-page')) {
      const view = await getExecution(fixture.deps, 't1', execution.id);
      const upstreamDone = ['customers', 'products'].every((s) => view.streams[s]!.pagesTotal !== null && view.streams[s]!.pagesDone === view.streams[s]!.pagesTotal);
      if (!upstreamDone) {
        stepsBeforeUpstreamDone += 1;
        expect(view.streams.orders!.pagesTotal).toBeNull();
      }
      await step(fixture, 'sync-batch', 10);
    }
    expect(stepsBeforeUpstreamDone).toBeGreaterThan(0);
    await drain(fixture);
    const done = await getExecution(fixture.deps, 't1', execution.id);
    expect(done).toMatchObject({ status: 'success' });
    expect(done.streams.orders!.counts.created).toBe(40);
    expect(done.streams.customers!.counts.created).toBe(60);
  });
});
