import { afterEach, describe, expect, it } from 'vitest';
import { signWebhook } from '../../../../shared/core/triggers/webhookSignature.js';
import { WOOCOMMERCE_VERIFIER } from '../../../../shared/connectors/woocommerce/wooCommerceWebhooks.js';
import { ids } from '../../../../shared/core/ids.js';
import type { Execution } from '../../../../shared/core/schemas/execution.js';
import { syncBatchMessage, syncPageMessage, syncStartMessage } from '../../../../shared/core/schemas/messages.js';
import type { Store } from '../../../../shared/ports/store.js';
import type { SyncDeps } from '../../../../shared/sync/syncDeps.js';
import { saveConnection } from '../../../../shared/sync/resources/connections.js';
import { saveSyncTask } from '../../../../shared/sync/resources/syncTasks.js';
import { receiveWebhook, type WebhookReceipt } from '../../../../shared/sync/triggers/receiveWebhook.js';
import { flushWebhookWindow } from '../../../../shared/sync/triggers/flushWebhooks.js';
import { webhookFlushMessage } from '../../../../shared/sync/triggers/webhookDeliveries.js';
import { startExecution } from '../../../../shared/sync/executions/startExecution.js';
import { getExecution } from '../../../../shared/sync/executions/executionQueries.js';
import { admitExecution } from '../../../../shared/sync/executions/admitExecution.js';
import { fetchPage } from '../../../../shared/sync/pages/fetchPage.js';
import { processBatch } from '../../../../shared/sync/pages/processBatch.js';
import { getShard } from '../../../../shared/sync/queries/shardQueries.js';
import { DEMO_CREDENTIALS } from '../../../../dev/demoSetup.js';
import { defaultDedupeRules } from '../../../../shared/core/dedupe/defaultDedupeRules.js';
import { saveDedupeRules } from '../../../../shared/sync/entityResolution/dedupeRuleSets.js';
import { drain, syncedView, syncFixture, type SyncFixture } from '../syncFixture.js';

const SECRET = 'whsec_unit_test_secret';
const shardOf = (externalId: number) => ids.shardFor('shop', 'customers', String(externalId));

describe('deletes reported by webhooks', () => {
  let fixture: SyncFixture;
  afterEach(async () => fixture?.close());

  /** 30 customers synced by a full run; the connection takes signed WooCommerce deliveries, flushed `coalesceWindowMs` after the first. */
  async function synced(coalesceWindowMs = 0) {
    fixture = await syncFixture(30);
    await saveConnection(
      fixture.deps,
      't1',
      { provider: 'woocommerce', settings: { baseUrl: fixture.fake.url }, credentials: DEMO_CREDENTIALS, webhookSecret: SECRET, webhooks: { coalesceWindowMs } },
      'shop',
    );
    // One task on customers, so one run per flush: `task-b` moves to orders.
    await saveSyncTask(fixture.deps, 't1', { connectionId: 'shop', streams: [{ stream: 'orders', schemaId: 'orders' }] }, 'task-b');
    expect(await syncedView(fixture, 'task')).toMatchObject({ counts: { created: 30, deleted: 0 } });
  }

  /** A signed WooCommerce delivery about customer `id`: `customer.deleted` carries only `{id}`, as the store sends it. */
  const deliver = (id: number, topic: 'customer.deleted' | 'customer.updated'): Promise<WebhookReceipt> => {
    const body = JSON.stringify(topic === 'customer.deleted' ? { id } : (fixture.fake.getRecord('customers', id) ?? { id }));
    const headers = new Headers({
      'content-type': 'application/json',
      'X-WC-Webhook-Topic': topic,
      'X-WC-Webhook-Delivery-ID': `delivery-${topic}-${id}`,
      'X-WC-Webhook-Signature': signWebhook(WOOCOMMERCE_VERIFIER, SECRET, body),
    });
    return receiveWebhook(fixture.deps, { tenantId: 't1', connectionId: 'shop', headers, rawBody: Buffer.from(body) });
  };

  /** The runs webhook deliveries started (the full run that synced first excluded). */
  const webhookRuns = async (): Promise<Execution[]> =>
    (await fixture.deps.store.query<Execution>('executions', 't1', { filters: [{ path: 'kind', op: '=', value: 'execution' }] }, { maxItems: 100 })).items.filter(
      (execution) => execution.mode === 'incremental',
    );

  /** Flushes the due window (exactly one), twice as a redelivery would, and answers the one run it started for `task`. */
  async function flushedRun(): Promise<Execution> {
    const messages = await fixture.bus.receive('webhooks', 10);
    expect(messages).toHaveLength(1);
    const flush = webhookFlushMessage.parse(messages[0]!.body);
    await flushWebhookWindow(fixture.deps, flush);
    // A redelivered flush starts nothing more.
    await flushWebhookWindow(fixture.deps, flush);
    await fixture.bus.complete('webhooks', messages[0]!.lockToken);
    const runs = await webhookRuns();
    expect(runs).toHaveLength(1);
    return runs[0]!;
  }

  const untouched = async (externalIds: readonly number[], before: Map<number, unknown>) => {
    expect(externalIds.length).toBeGreaterThan(0);
    for (const id of externalIds) expect(await getShard(fixture.deps, 't1', shardOf(id))).toEqual(before.get(id));
  };

  const snapshot = async (externalIds: readonly number[]) => new Map(await Promise.all(externalIds.map(async (id) => [id, await getShard(fixture.deps, 't1', shardOf(id))] as const)));

  it('a customer deleted at the store and reported deleted is a tombstone of the run the delivery starts; other shards are untouched', async () => {
    await synced();
    const others = [1, 6, 8, 30];
    const before = await snapshot(others);
    fixture.fake.deleteRecord('customers', 7);

    expect(await deliver(7, 'customer.deleted')).toMatchObject({ outcome: 'accepted' });
    const run = await flushedRun();
    expect(run).toMatchObject({ ids: { customers: ['7'] }, deletedIds: { customers: ['7'] } });
    await drain(fixture);

    const done = await getExecution(fixture.deps, 't1', run.id);
    expect(done).toMatchObject({ status: 'success', counts: { fetched: 0, deleted: 1 }, streams: { customers: { counts: { deleted: 1 } } } });
    expect(await getShard(fixture.deps, 't1', shardOf(7))).toMatchObject({ deletedBy: run.id, deletedAt: expect.any(String) });
    await untouched(others, before);
  });

  it('a delete reported for a customer still at the store tombstones nothing: the shard is refreshed as for any change', async () => {
    await synced();
    fixture.fake.updateRecord('customers', 7, { first_name: 'Still Here' });

    expect(await deliver(7, 'customer.deleted')).toMatchObject({ outcome: 'accepted' });
    const run = await flushedRun();
    expect(run.deletedIds).toEqual({ customers: ['7'] });
    await drain(fixture);

    expect(await getExecution(fixture.deps, 't1', run.id)).toMatchObject({ status: 'success', counts: { fetched: 1, updated: 1, deleted: 0 } });
    const shard = await getShard(fixture.deps, 't1', shardOf(7));
    expect(shard.deletedAt).toBeUndefined();
    expect(shard.deletedBy).toBeUndefined();
    expect(JSON.stringify(shard)).toContain('Still Here');
  });

  it('an update delivery for a customer gone from the store tombstones nothing: only reported deletes are judged', async () => {
    await synced();
    const before = await snapshot([7]);
    fixture.fake.deleteRecord('customers', 7);

    expect(await deliver(7, 'customer.updated')).toMatchObject({ outcome: 'accepted' });
    const run = await flushedRun();
    expect(run).toMatchObject({ ids: { customers: ['7'] } });
    expect(run).not.toHaveProperty('deletedIds');
    await drain(fixture);

    expect(await getExecution(fixture.deps, 't1', run.id)).toMatchObject({ status: 'success', counts: { deleted: 0 } });
    await untouched([7], before);
  });

  it('one window with updates and deletes: one run refreshes the updated customers and tombstones only the deleted ones', async () => {
    await synced(60_000);
    fixture.fake.updateRecord('customers', 3, { first_name: 'Renamed' });
    for (const id of [7, 12]) fixture.fake.deleteRecord('customers', id);
    const receipts = [await deliver(3, 'customer.updated'), await deliver(12, 'customer.deleted'), await deliver(7, 'customer.deleted')];
    expect(receipts.every((receipt) => receipt.outcome === 'accepted')).toBe(true);
    const windows = new Set(receipts.map((receipt) => (receipt.outcome === 'accepted' ? receipt.windowId : '')));
    expect(windows.size).toBe(1);
    // The window's flush, run now rather than at the window's end.
    await flushWebhookWindow(fixture.deps, { tenantId: 't1', connectionId: 'shop', windowId: [...windows][0]! });
    const runs = await webhookRuns();
    expect(runs).toHaveLength(1);
    const run = runs[0]!;
    expect(run).toMatchObject({ ids: { customers: ['3', '7', '12'] }, deletedIds: { customers: ['7', '12'] } });
    await drain(fixture);

    expect(await getExecution(fixture.deps, 't1', run.id)).toMatchObject({ status: 'success', counts: { fetched: 1, updated: 1, deleted: 2 } });
    for (const id of [7, 12]) expect(await getShard(fixture.deps, 't1', shardOf(id))).toMatchObject({ deletedBy: run.id, deletedAt: expect.any(String) });
    const renamed = await getShard(fixture.deps, 't1', shardOf(3));
    expect(renamed.deletedAt).toBeUndefined();
    expect(JSON.stringify(renamed)).toContain('Renamed');
  });

  it('reported deletes of most of a stream are tombstoned without pausing for confirmation: each was confirmed gone by id', async () => {
    await synced(60_000);
    const gone = Array.from({ length: 20 }, (_, i) => i + 1);
    const receipts: WebhookReceipt[] = [];
    for (const id of gone) {
      fixture.fake.deleteRecord('customers', id);
      receipts.push(await deliver(id, 'customer.deleted'));
    }
    const accepted = receipts.flatMap((receipt) => (receipt.outcome === 'accepted' ? [receipt.windowId] : []));
    expect(accepted).toHaveLength(gone.length);
    await flushWebhookWindow(fixture.deps, { tenantId: 't1', connectionId: 'shop', windowId: accepted[0]! });
    await drain(fixture);

    const [run, ...others] = await webhookRuns();
    expect(others).toHaveLength(0);
    // Inferred deletes of this share of the stream would pause (the task allows half); a run of ids names each record.
    expect(run!.options.maxChangeShare).toBe(0.5);
    expect(run!.streams['customers']!.baseline).toBe(0);
    expect(await getExecution(fixture.deps, 't1', run!.id)).toMatchObject({ status: 'success', counts: { deleted: 20 } });
  });

  it('a full read after a webhook run still pauses before deleting most of the stream: its baseline is the last full read, not the webhook run', async () => {
    await synced();
    expect(await deliver(1, 'customer.updated')).toMatchObject({ outcome: 'accepted' });
    await flushedRun();
    await drain(fixture);
    for (let id = 1; id <= 20; id += 1) fixture.fake.deleteRecord('customers', id);
    const { execution } = await startExecution(fixture.deps, 't1', 'task', {});
    await drain(fixture);
    expect(execution.streams['customers']!.baseline).toBe(30);
    expect(await getExecution(fixture.deps, 't1', execution.id)).toMatchObject({ status: 'paused', pauseReason: 'confirmation' });
    expect(await getShard(fixture.deps, 't1', shardOf(1))).not.toHaveProperty('deletedAt');
  });

  it('a reported delete of one record of a merged shard takes out that record only: the shard stays with the other', async () => {
    fixture = await syncFixture(30);
    await saveDedupeRules(fixture.deps, 't1', defaultDedupeRules.customer, 'customer');
    const original = fixture.fake.getRecord('customers', 1) as { email: string; first_name: string; last_name: string; billing: Record<string, string> };
    fixture.fake.updateRecord('customers', 2, { email: original.email.toUpperCase(), first_name: original.first_name, last_name: original.last_name, billing: original.billing });
    await saveConnection(
      fixture.deps,
      't1',
      { provider: 'woocommerce', settings: { baseUrl: fixture.fake.url }, credentials: DEMO_CREDENTIALS, webhookSecret: SECRET, webhooks: { coalesceWindowMs: 0 } },
      'shop',
    );
    await saveSyncTask(fixture.deps, 't1', { connectionId: 'shop', streams: [{ stream: 'orders', schemaId: 'orders' }] }, 'task-b');
    expect((await syncedView(fixture, 'task')).counts).toMatchObject({ created: 29, merged: 1 });
    const merged = await getShard(fixture.deps, 't1', shardOf(1));
    expect(merged.externalRelationships.map((r) => r.externalId).sort()).toEqual(['1', '2']);

    fixture.fake.deleteRecord('customers', 2);
    await deliver(2, 'customer.deleted');
    const run = await flushedRun();
    await drain(fixture);
    expect(await getExecution(fixture.deps, 't1', run.id)).toMatchObject({ status: 'success', counts: { deleted: 1 } });
    const after = await getShard(fixture.deps, 't1', shardOf(1));
    expect(after.deletedAt).toBeUndefined();
    expect(after.externalRelationships.map((r) => r.externalId)).toEqual(['1']);
  });

  it('a delete reported for a customer never synced tombstones nothing and creates nothing', async () => {
    await synced();
    // The store has customers 1..30: customer 31 was created and deleted there between two runs.
    expect(fixture.fake.getRecord('customers', 31)).toBeUndefined();
    expect(await deliver(31, 'customer.deleted')).toMatchObject({ outcome: 'accepted' });
    const run = await flushedRun();
    await drain(fixture);
    expect(await getExecution(fixture.deps, 't1', run.id)).toMatchObject({ status: 'success', counts: { created: 0, deleted: 0 } });
    expect(await fixture.deps.store.read('shards', 't1', shardOf(31))).toBeUndefined();
  });

  it('a run that tombstoned a reported delete and failed to finish, delivered again, counts the delete once', async () => {
    await synced();
    fixture.fake.deleteRecord('customers', 7);
    await deliver(7, 'customer.deleted');
    const first = await flushedRun();
    expect(first.deletedIds).toEqual({ customers: ['7'] });

    // The run's completion fails once, after its deletes are written: the message comes back.
    let failFinish = true;
    const store = fixture.deps.store;
    const failing: SyncDeps = {
      ...fixture.deps,
      store: new Proxy(store, {
        get(target, name) {
          if (name !== 'replace') return (Reflect.get(target, name) as (...args: unknown[]) => unknown).bind(target);
          return async (container: Parameters<Store['replace']>[0], doc: { kind?: string; status?: string }, options?: Parameters<Store['replace']>[2]) => {
            if (failFinish && container === 'executions' && doc.kind === 'execution' && doc.status === 'success') {
              failFinish = false;
              throw new Error('store unavailable');
            }
            return target.replace(container, doc as never, options);
          };
        },
      }),
    };
    // The host's loop: the message whose handling threw is not completed and comes back, here twice.
    const handlers = {
      'sync-start': (deps: SyncDeps, body: unknown, messageId: string) => admitExecution(deps, syncStartMessage.parse(body), { messageId }),
      'sync-page': (deps: SyncDeps, body: unknown, messageId: string) => fetchPage(deps, syncPageMessage.parse(body), { messageId }),
      'sync-batch': (deps: SyncDeps, body: unknown, messageId: string) => processBatch(deps, syncBatchMessage.parse(body), { messageId }),
    };
    let redelivered = 0;
    for (let handled = 1; handled > 0; ) {
      handled = 0;
      for (const [queue, handle] of Object.entries(handlers) as Array<[keyof typeof handlers, (typeof handlers)[keyof typeof handlers]]>) {
        for (const message of await fixture.bus.receive(queue, 100)) {
          handled += 1;
          const failed = await handle(failing, message.body, message.messageId).then(
            () => false,
            (error: Error) => {
              if (error.message !== 'store unavailable') throw error;
              return true;
            },
          );
          if (failed) {
            // The tombstone and its count were written before the completion failed.
            expect(await getShard(fixture.deps, 't1', shardOf(7))).toMatchObject({ deletedBy: first.id });
            await handle(fixture.deps, message.body, message.messageId);
            await handle(fixture.deps, message.body, message.messageId);
            redelivered += 1;
          }
          await fixture.bus.complete(queue, message.lockToken);
        }
      }
    }
    expect(redelivered).toBe(1);

    expect(await getExecution(fixture.deps, 't1', first.id)).toMatchObject({ status: 'success', counts: { deleted: 1 }, streams: { customers: { counts: { deleted: 1 } } } });
    expect(await getShard(fixture.deps, 't1', shardOf(7))).toMatchObject({ deletedBy: first.id });
  });

  it('deletedIds not within ids is refused (422), naming each id outside', async () => {
    await synced();
    const starting = startExecution(fixture.deps, 't1', 'task', { mode: 'incremental', ids: { customers: ['1', '2'] }, deletedIds: { customers: ['2', '3'] } });
    await expect(starting).rejects.toMatchObject({ status: 422, issues: [expect.objectContaining({ path: 'deletedIds.customers.1' })] });
    const withoutIds = startExecution(fixture.deps, 't1', 'task', { mode: 'incremental', deletedIds: { customers: ['4'] } });
    await expect(withoutIds).rejects.toMatchObject({ issues: [expect.objectContaining({ path: 'deletedIds.customers.0' })] });
  });
});
