import { embeddedDeps } from './embeddedDeps.js';
import { openDatabase } from '../../../shared/adapters/embedded/sqliteDatabase.js';
import { SqliteBus } from '../../../shared/adapters/embedded/sqliteBus.js';
import { wooCommerceProvider } from '../../../shared/connectors/woocommerce/wooCommerceProvider.js';
import type { SyncDeps } from '../../../shared/sync/syncDeps.js';
import { putTenant } from '../../../shared/sync/tenants/tenants.js';
import { saveConnection } from '../../../shared/sync/resources/connections.js';
import { saveConversionSchema } from '../../../shared/sync/resources/conversionSchemas.js';
import { saveSyncTask } from '../../../shared/sync/resources/syncTasks.js';
import { admitExecution } from '../../../shared/sync/executions/admitExecution.js';
import { fetchPage } from '../../../shared/sync/pages/fetchPage.js';
import { processBatch } from '../../../shared/sync/pages/processBatch.js';
import { startFakeWooCommerce, type FakeWooCommerce, type FakeWooCommerceOptions } from '../../../dev/fakes/fakeWooCommerce.js';
import { DEMO_CREDENTIALS, DEMO_SCHEMAS } from '../../../dev/demoSetup.js';
import { syncBatchMessage, syncPageMessage, syncStartMessage, syncWriteBackMessage } from '../../../shared/core/schemas/messages.js';
import { startExecution } from '../../../shared/sync/executions/startExecution.js';
import { getExecution } from '../../../shared/sync/executions/executionQueries.js';
import { writeBack } from '../../../shared/sync/bidirectional/writeBack.js';
import type { ExecutionView } from '../../../shared/core/schemas/answers/executionView.js';
import { expect } from 'vitest';

export interface SyncFixture {
  deps: SyncDeps;
  bus: SqliteBus;
  fake: FakeWooCommerce;
  close(): Promise<void>;
}


/**
 * Use cases on the embedded adapters (in memory) against a fake store; task `task` syncs customers, `orders-task` orders.
 * `store.now` is the fake store's clock (the modification times its changes get).
 */
export async function syncFixture(customers: number, orders = 0, store: Pick<FakeWooCommerceOptions, 'now'> = {}): Promise<SyncFixture> {
  const db = openDatabase(':memory:');
  const deps = embeddedDeps(db, { providers: [wooCommerceProvider] });
  const { bus } = deps;
  const fake = await startFakeWooCommerce({ seed: 5, counts: { customers, products: orders > 0 ? 50 : 0, orders }, ...DEMO_CREDENTIALS, ...store });
  await putTenant(deps, 't1', {});
  await saveConnection(deps, 't1', { provider: 'woocommerce', settings: { baseUrl: fake.url }, credentials: DEMO_CREDENTIALS }, 'shop');
  await saveConversionSchema(deps, 't1', DEMO_SCHEMAS.customers, 'customers');
  await saveSyncTask(deps, 't1', { connectionId: 'shop', streams: [{ stream: 'customers', schemaId: 'customers' }], defaults: { batchSize: 50 } }, 'task');
  // A second task over the same records: tasks run one execution at a time, different tasks in parallel.
  await saveSyncTask(deps, 't1', { connectionId: 'shop', streams: [{ stream: 'customers', schemaId: 'customers' }], defaults: { batchSize: 50 } }, 'task-b');
  // Orders synced without their customers link pending at once instead of waiting for them.
  await saveConversionSchema(deps, 't1', { ...DEMO_SCHEMAS.orders, linkWait: { retries: 0 } }, 'orders');
  await saveSyncTask(deps, 't1', { connectionId: 'shop', streams: [{ stream: 'orders', schemaId: 'orders' }] }, 'orders-task');
  return {
    deps,
    bus,
    fake,
    close: async () => {
      await fake.close();
      db.close();
    },
  };
}

const handlers = (deps: SyncDeps) => ({
  'sync-start': (body: unknown, d: { messageId: string }) => admitExecution(deps, syncStartMessage.parse(body), d),
  'sync-page': (body: unknown, d: { messageId: string }) => fetchPage(deps, syncPageMessage.parse(body), d),
  'sync-batch': (body: unknown, d: { messageId: string }) => processBatch(deps, syncBatchMessage.parse(body), d),
});

/** Delivers up to `max` messages of one queue to its use case, completing each (one step of what the host does). */
export async function step<F extends Pick<SyncFixture, 'deps' | 'bus'>>(fixture: F, queue: 'sync-start' | 'sync-page' | 'sync-batch', max = 1): Promise<number> {
  const messages = await fixture.bus.receive(queue, max);
  for (const message of messages) {
    await handlers(fixture.deps)[queue](message.body, { messageId: message.messageId });
    await fixture.bus.complete(queue, message.lockToken);
  }
  return messages.length;
}

/** Runs queued messages through their use cases until the queues are empty (what the host does). */
export async function drain<F extends Pick<SyncFixture, 'deps' | 'bus'>>(fixture: F, options: { skipBatches?: boolean } = {}): Promise<void> {
  const run = handlers(fixture.deps);
  const queues = options.skipBatches ? (['sync-start', 'sync-page'] as const) : (['sync-start', 'sync-page', 'sync-batch'] as const);
  for (;;) {
    let handled = 0;
    for (const queue of queues) {
      for (const message of await fixture.bus.receive(queue, 100)) {
        await run[queue](message.body, { messageId: message.messageId });
        await fixture.bus.complete(queue, message.lockToken);
        handled += 1;
      }
    }
    if (handled === 0) return;
  }
}

/** Starts a run of the task, drains the queues and answers its view, which must be a success. */
export async function syncedView(fixture: Pick<SyncFixture, 'deps' | 'bus'>, taskId: string): Promise<ExecutionView> {
  const { execution } = await startExecution(fixture.deps, 't1', taskId, {});
  await drain(fixture);
  const view = await getExecution(fixture.deps, 't1', execution.id);
  expect(view.status).toBe('success');
  return view;
}

/** Delivers queued write-backs until none are left; returns how many ran. */
export async function deliverWriteBacks(fixture: Pick<SyncFixture, 'deps' | 'bus'>): Promise<number> {
  let ran = 0;
  for (;;) {
    const messages = await fixture.bus.receive('sync-writeback', 10);
    if (messages.length === 0) return ran;
    for (const message of messages) {
      await writeBack(fixture.deps, syncWriteBackMessage.parse(message.body));
      await fixture.bus.complete('sync-writeback', message.lockToken);
      ran += 1;
    }
  }
}
