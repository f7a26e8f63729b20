import { afterEach, describe, expect, it } from 'vitest';
import { signWebhook } from '../../../../shared/core/triggers/webhookSignature.js';
import { WOOCOMMERCE_VERIFIER } from '../../../../shared/connectors/woocommerce/wooCommerceWebhooks.js';
import { ids } from '../../../../shared/core/ids.js';
import type { Execution } from '../../../../shared/core/schemas/execution.js';
import { saveConnection } from '../../../../shared/sync/resources/connections.js';
import { saveSyncTask } from '../../../../shared/sync/resources/syncTasks.js';
import { receiveWebhook, type WebhookReceipt } from '../../../../shared/sync/triggers/receiveWebhook.js';
import { flushWebhookWindow } from '../../../../shared/sync/triggers/flushWebhooks.js';
import { webhookFlushMessage } from '../../../../shared/sync/triggers/webhookDeliveries.js';
import { getExecution } from '../../../../shared/sync/executions/executionQueries.js';
import { getShard } from '../../../../shared/sync/queries/shardQueries.js';
import { DEMO_CREDENTIALS } from '../../../../dev/demoSetup.js';
import { drain, syncedView, syncFixture, type SyncFixture } from '../syncFixture.js';

const SECRET = 'whsec_unit_test_secret';
const shardOf = (externalId: number) => ids.shardFor('shop', 'customers', String(externalId));

describe('records delivered whole by webhooks', () => {
  let fixture: SyncFixture;
  afterEach(async () => fixture?.close());

  async function synced() {
    fixture = await syncFixture(10);
    await saveConnection(
      fixture.deps,
      't1',
      { provider: 'woocommerce', settings: { baseUrl: fixture.fake.url }, credentials: DEMO_CREDENTIALS, webhookSecret: SECRET, webhooks: { coalesceWindowMs: 0 } },
      'shop',
    );
    await saveSyncTask(fixture.deps, 't1', { connectionId: 'shop', streams: [{ stream: 'orders', schemaId: 'orders' }] }, 'task-b');
    expect(await syncedView(fixture, 'task')).toMatchObject({ counts: { created: 10 } });
  }

  /** A signed `customer.updated` delivery whose body is `record`, as WooCommerce sends the REST representation. */
  const deliver = (record: Record<string, unknown>, deliveryId: string): Promise<WebhookReceipt> => {
    const body = JSON.stringify(record);
    const headers = new Headers({
      'content-type': 'application/json',
      'X-WC-Webhook-Topic': 'customer.updated',
      'X-WC-Webhook-Delivery-ID': deliveryId,
      'X-WC-Webhook-Signature': signWebhook(WOOCOMMERCE_VERIFIER, SECRET, body),
    });
    return receiveWebhook(fixture.deps, { tenantId: 't1', connectionId: 'shop', headers, rawBody: Buffer.from(body) });
  };

  async function flushed(): Promise<Execution> {
    const messages = await fixture.bus.receive('webhooks', 10);
    expect(messages).toHaveLength(1);
    await flushWebhookWindow(fixture.deps, webhookFlushMessage.parse(messages[0]!.body));
    await fixture.bus.complete('webhooks', messages[0]!.lockToken);
    const runs = (await fixture.deps.store.query<Execution>('executions', 't1', { filters: [{ path: 'kind', op: '=', value: 'execution' }] }, { maxItems: 100 })).items.filter(
      (execution) => execution.mode === 'incremental',
    );
    expect(runs).toHaveLength(1);
    await drain(fixture);
    return runs[0]!;
  }

  it('a delivery carrying the whole record updates the shard without asking the store', async () => {
    await synced();
    const record = { ...fixture.fake.getRecord('customers', 3)!, last_name: 'Delivered', date_modified_gmt: '2099-01-01T00:00:00' };
    const requestsBefore = fixture.fake.requestLog.length;
    expect(await deliver(record, 'd-1')).toMatchObject({ outcome: 'accepted' });
    const run = await flushed();
    expect(run.delivered).toEqual({ windowId: expect.any(String), streams: ['customers'] });
    expect(await getExecution(fixture.deps, 't1', run.id)).toMatchObject({ status: 'success', counts: { fetched: 1, updated: 1 } });
    expect(fixture.fake.requestLog.slice(requestsBefore)).toEqual([]);
    expect((await getShard(fixture.deps, 't1', shardOf(3))).data).toMatchObject({ lastName: 'Delivered' });
  });

  it('a delivery older than what the shard last took from the store changes nothing', async () => {
    await synced();
    const before = await getShard(fixture.deps, 't1', shardOf(4));
    const record = { ...fixture.fake.getRecord('customers', 4)!, last_name: 'Stale', date_modified_gmt: '2000-01-01T00:00:00' };
    await deliver(record, 'd-2');
    const run = await flushed();
    expect(await getExecution(fixture.deps, 't1', run.id)).toMatchObject({ status: 'success', counts: { fetched: 1, unchanged: 1, updated: 0 } });
    expect(await getShard(fixture.deps, 't1', shardOf(4))).toEqual(before);
  });

  it('a body without the modified time is not taken for the record: the run fetches it', async () => {
    await synced();
    const requestsBefore = fixture.fake.requestLog.length;
    await deliver({ id: 5, last_name: 'Partial' }, 'd-3');
    const run = await flushed();
    expect(run).not.toHaveProperty('delivered');
    expect(await getExecution(fixture.deps, 't1', run.id)).toMatchObject({ status: 'success' });
    expect(fixture.fake.requestLog.slice(requestsBefore).some((entry) => entry.query.include === '5')).toBe(true);
    expect((await getShard(fixture.deps, 't1', shardOf(5))).data).not.toMatchObject({ lastName: 'Partial' });
  });
});
