import { afterEach, describe, expect, it } from 'vitest';
import { startExecution } from '../../../../shared/sync/executions/startExecution.js';
import { getExecution } from '../../../../shared/sync/executions/executionQueries.js';
import type { ExecutionView } from '../../../../shared/core/schemas/answers/executionView.js';
import type { ActivityEntry } from '../../../../shared/core/schemas/activity.js';
import { drain, syncFixture, type SyncFixture } from '../syncFixture.js';

/** WooCommerce customers cannot be filtered by modification time at the store: an incremental read fetches every page and keeps the changes. */
describe('incremental runs of a stream the provider cannot filter', () => {
  let fixture: SyncFixture;
  afterEach(async () => fixture?.close());

  const run = async (body: Record<string, unknown>): Promise<ExecutionView> => {
    const { execution } = await startExecution(fixture.deps, 't1', 'task', body);
    await drain(fixture);
    return getExecution(fixture.deps, 't1', execution.id);
  };
  const batchEntries = async (executionId: string) =>
    (
      await fixture.deps.store.query<ActivityEntry>(
        'activity',
        't1',
        { filters: [{ path: 'executionId', op: '=', value: executionId }, { path: 'action', op: '=', value: 'batch.processed' }] },
        { maxItems: 1000 },
      )
    ).items;

  it('2 changed customers of 1,000 cost a handful of batch entries, not one per page read', async () => {
    fixture = await syncFixture(1000);
    const first = await run({ mode: 'incremental', batchSize: 20 });
    expect(first.streams.customers).toMatchObject({ pagesTotal: 50, pagesDone: 50 });
    expect(await batchEntries(first.id)).toHaveLength(50);

    fixture.fake.updateRecord('customers', 3, { first_name: 'Changed' });
    fixture.fake.updateRecord('customers', 700, { first_name: 'Changed too' });
    const second = await run({ mode: 'incremental', batchSize: 20 });
    expect(second).toMatchObject({
      status: 'success',
      counts: { updated: 2, failed: 0 },
      streams: { customers: { pagesTotal: 50, pagesDone: 50, read: { kind: 'full', reason: 'provider_has_no_modified_filter' } } },
    });
    const entries = await batchEntries(second.id);
    expect(entries.length).toBeGreaterThanOrEqual(2);
    // The pages of the two changes, and of any record inside the overlap before the cursor.
    expect(entries.length).toBeLessThanOrEqual(2 + second.counts.unchanged);
    expect(second.counts.unchanged).toBeLessThan(3);
  });
});
