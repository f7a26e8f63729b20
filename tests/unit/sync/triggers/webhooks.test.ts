import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type SqliteDatabase } from '../../../../shared/adapters/embedded/sqliteDatabase.js';
import { wooCommerceProvider } from '../../../../shared/connectors/woocommerce/wooCommerceProvider.js';
import type { Execution } from '../../../../shared/core/schemas/execution.js';
import { webhookDeliveryKind } from '../../../../shared/core/schemas/coordination/webhookDelivery.js';
import { signWebhook } from '../../../../shared/core/triggers/webhookSignature.js';
import { WOOCOMMERCE_VERIFIER } from '../../../../shared/connectors/woocommerce/wooCommerceWebhooks.js';
import type { Store } from '../../../../shared/ports/store.js';
import { putTenant } from '../../../../shared/sync/tenants/tenants.js';
import { getConnection, saveConnection } from '../../../../shared/sync/resources/connections.js';
import { saveConversionSchema } from '../../../../shared/sync/resources/conversionSchemas.js';
import { saveSyncTask } from '../../../../shared/sync/resources/syncTasks.js';
import { receiveWebhook, type WebhookReceipt } from '../../../../shared/sync/triggers/receiveWebhook.js';
import { flushWebhookWindow } from '../../../../shared/sync/triggers/flushWebhooks.js';
import { webhookFlushMessage } from '../../../../shared/sync/triggers/webhookDeliveries.js';
import { closeWindow } from '../../../../shared/sync/triggers/webhookWindows.js';
import type { SyncDeps } from '../../../../shared/sync/syncDeps.js';
import type { SqliteBus } from '../../../../shared/adapters/embedded/sqliteBus.js';
import { startFakeWooCommerce } from '../../../../dev/fakes/fakeWooCommerce.js';
import { DEMO_CREDENTIALS, DEMO_SCHEMAS } from '../../../../dev/demoSetup.js';
import { embeddedDeps, quietLog } from '../embeddedDeps.js';
import { drain } from '../syncFixture.js';

const SECRET = 'whsec_unit_test_secret';

/** A tenant `t1` with connection `shop` (webhooks on, a secret), task `task` on customers and `orders-task` on orders; a clock the test moves. */
async function webhookFixture(webhooks: Record<string, unknown> = {}) {
  let nowMs = Date.now();
  const clock = { now: () => new Date(nowMs) };
  const db: SqliteDatabase = openDatabase(':memory:');
  const warnings: { message: string; fields?: Record<string, unknown> }[] = [];
  const log = { ...quietLog, warn: (message: string, fields?: Record<string, unknown>) => warnings.push({ message, ...(fields ? { fields } : {}) }) };
  const deps = embeddedDeps(db, { clock, providers: [wooCommerceProvider], log });
  const fake = await startFakeWooCommerce({ seed: 3, counts: { customers: 150, products: 0, orders: 10 }, ...DEMO_CREDENTIALS });
  await putTenant(deps, 't1', {});
  await saveConnection(deps, 't1', { provider: 'woocommerce', settings: { baseUrl: fake.url }, credentials: DEMO_CREDENTIALS, webhookSecret: SECRET, webhooks }, 'shop');
  await saveConversionSchema(deps, 't1', DEMO_SCHEMAS.customers, 'customers');
  await saveConversionSchema(deps, 't1', DEMO_SCHEMAS.orders, 'orders');
  await saveSyncTask(deps, 't1', { connectionId: 'shop', streams: [{ stream: 'customers', schemaId: 'customers' }] }, 'task');
  await saveSyncTask(deps, 't1', { connectionId: 'shop', streams: [{ stream: 'orders', schemaId: 'orders' }] }, 'orders-task');

  /** A WooCommerce delivery of customer `id` as the store would send it. */
  const deliver = (
    id: number,
    options: { deliveryId?: string; secret?: string; body?: string; topic?: string; tenantId?: string; connectionId?: string } = {},
  ): Promise<WebhookReceipt> => {
    const body = options.body ?? JSON.stringify(fake.getRecord('customers', id));
    const headers = new Headers({
      'content-type': 'application/json',
      'X-WC-Webhook-Topic': options.topic ?? 'customer.updated',
      'X-WC-Webhook-Resource': 'customer',
      'X-WC-Webhook-Event': 'updated',
      'X-WC-Webhook-Delivery-ID': options.deliveryId ?? `delivery-${id}`,
      'X-WC-Webhook-Signature': signWebhook(WOOCOMMERCE_VERIFIER, options.secret ?? SECRET, body),
    });
    return receiveWebhook(deps, { tenantId: options.tenantId ?? 't1', connectionId: options.connectionId ?? 'shop', headers, rawBody: Buffer.from(body) });
  };

  /** What the `webhooks` function does with every flush message due now; returns how many ran. */
  const flushDue = async (): Promise<number> => {
    const messages = await deps.bus.receive('webhooks', 100);
    for (const message of messages) {
      await flushWebhookWindow(deps, webhookFlushMessage.parse(message.body));
      await deps.bus.complete('webhooks', message.lockToken);
    }
    return messages.length;
  };

  const executions = async (): Promise<Execution[]> =>
    (await deps.store.query<Execution>('executions', 't1', { filters: [{ path: 'kind', op: '=', value: 'execution' }] }, { maxItems: 1000 })).items;

  const deliveryDocs = async () =>
    (await deps.store.query('coordination', 't1', { filters: [{ path: 'kind', op: '=', value: webhookDeliveryKind }] }, { maxItems: 1000 })).items;

  return {
    deps,
    bus: deps.bus as SqliteBus,
    fake,
    deliver,
    flushDue,
    executions,
    deliveryDocs,
    warnings,
    advance: (ms: number) => (nowMs += ms),
    queued: () => deps.bus.counts('webhooks'),
    close: async () => {
      await fake.close();
      db.close();
    },
  };
}

type Fixture = Awaited<ReturnType<typeof webhookFixture>>;

describe('webhook deliveries', () => {
  let f: Fixture;
  afterEach(async () => f?.close());

  it('100 deliveries with distinct delivery ids inside the window become one execution covering every id', async () => {
    f = await webhookFixture({ coalesceWindowMs: 1000 });
    const receipts: WebhookReceipt[] = [];
    for (let id = 1; id <= 100; id++) {
      f.fake.updateRecord('customers', id, { first_name: `Changed ${id}` });
      receipts.push(await f.deliver(id));
      f.advance(9); // 100 deliveries over 0.9 s
    }
    expect(receipts.every((r) => r.outcome === 'accepted')).toBe(true);
    expect(new Set(receipts.map((r) => (r.outcome === 'accepted' ? r.windowId : '')))).toHaveProperty('size', 1);
    // One flush message, scheduled for the window's end: nothing is due yet.
    expect(f.queued()).toMatchObject({ active: 0, scheduled: 1 });
    expect(await f.flushDue()).toBe(0);

    f.advance(100);
    expect(await f.flushDue()).toBe(1);
    const [execution, ...others] = await f.executions();
    expect(others).toHaveLength(0);
    expect(execution).toMatchObject({ taskId: 'task', mode: 'incremental', streams: { customers: expect.anything() } });
    expect(execution!.ids!.customers).toEqual(Array.from({ length: 100 }, (_, i) => String(i + 1)));

    await drain({ deps: f.deps, bus: f.bus, fake: f.fake, close: f.close });
    const done = (await f.deps.store.read<Execution>('executions', 't1', execution!.id))!;
    expect(done.status).toBe('success');
    expect(done.counts).toMatchObject({ fetched: 100, created: 100, failed: 0 });
  });

  it('100 copies of one delivery: one accepted, 99 replays, one execution with that one id', async () => {
    f = await webhookFixture({ coalesceWindowMs: 1000 });
    const receipts = await Promise.all(Array.from({ length: 100 }, () => f.deliver(7, { deliveryId: 'same-delivery' })));
    expect(receipts.filter((r) => r.outcome === 'accepted')).toHaveLength(1);
    expect(receipts.filter((r) => r.outcome === 'replay')).toHaveLength(99);
    f.advance(1000);
    expect(await f.flushDue()).toBe(1);
    const executions = await f.executions();
    expect(executions).toHaveLength(1);
    expect(executions[0]!.ids).toEqual({ customers: ['7'] });
  });

  it('a delivery recorded under the kind\'s old spelling (`webhook-delivery`) is flushed with its window', async () => {
    f = await webhookFixture({ coalesceWindowMs: 1000 });
    expect(await f.deliver(3)).toMatchObject({ outcome: 'accepted' });
    const [recorded, ...more] = await f.deliveryDocs();
    expect(more).toHaveLength(0);
    await f.deps.store.replace('coordination', { ...recorded!, kind: 'webhook-delivery' });
    expect(await f.deliver(4)).toMatchObject({ outcome: 'accepted' });
    f.advance(1000);
    expect(await f.flushDue()).toBe(1);
    const executions = await f.executions();
    expect(executions).toHaveLength(1);
    expect(executions[0]!.ids).toEqual({ customers: ['3', '4'] });
  });

  it('the same signed body with a new delivery id is a replay: 200, nothing enqueued, one execution', async () => {
    f = await webhookFixture({ coalesceWindowMs: 0 });
    expect(await f.deliver(5, { deliveryId: 'original' })).toMatchObject({ outcome: 'accepted' });
    expect(await f.flushDue()).toBe(1);
    for (const deliveryId of ['forged-1', 'forged-2', '']) expect(await f.deliver(5, { deliveryId })).toEqual({ outcome: 'replay' });
    expect(f.queued()).toMatchObject({ active: 0, scheduled: 0, locked: 0 });
    expect(await f.executions()).toHaveLength(1);
    expect(await f.deliveryDocs()).toHaveLength(1);
  });

  it('a different signed body of the same record is a new delivery', async () => {
    f = await webhookFixture({ coalesceWindowMs: 0 });
    expect(await f.deliver(5)).toMatchObject({ outcome: 'accepted' });
    f.fake.updateRecord('customers', 5, { first_name: 'Changed again' });
    expect(await f.deliver(5)).toMatchObject({ outcome: 'accepted' });
    expect(await f.flushDue()).toBe(2);
  });

  it('the same delivery id with another body is another delivery (WooCommerce reuses ids within a second)', async () => {
    f = await webhookFixture({ coalesceWindowMs: 1000 });
    expect(await f.deliver(1, { deliveryId: 'same-second' })).toMatchObject({ outcome: 'accepted' });
    expect(await f.deliver(2, { deliveryId: 'same-second' })).toMatchObject({ outcome: 'accepted' });
    f.advance(1000);
    await f.flushDue();
    expect((await f.executions())[0]!.ids).toEqual({ customers: ['1', '2'] });
  });

  it('window 0: each delivery is flushed at once, as its own execution', async () => {
    f = await webhookFixture({ coalesceWindowMs: 0 });
    expect(await f.deliver(1)).toMatchObject({ outcome: 'accepted' });
    expect(f.queued()).toMatchObject({ active: 1, scheduled: 0 });
    expect(await f.flushDue()).toBe(1);
    await f.deliver(2);
    expect(await f.flushDue()).toBe(1);
    const executions = await f.executions();
    expect(executions.map((e) => e.ids).sort((a, b) => a!.customers![0]!.localeCompare(b!.customers![0]!))).toEqual([{ customers: ['1'] }, { customers: ['2'] }]);
  });

  it('a replayed delivery after its flush: 200 replay, nothing enqueued, no new execution', async () => {
    f = await webhookFixture({ coalesceWindowMs: 0 });
    await f.deliver(5);
    await f.flushDue();
    f.advance(60_000);
    expect(await f.deliver(5)).toEqual({ outcome: 'replay' });
    expect(f.queued()).toMatchObject({ active: 0, scheduled: 0, locked: 0 });
    expect(await f.executions()).toHaveLength(1);
  });

  it('a replay is remembered for 24 hours; after that the same delivery counts again', async () => {
    f = await webhookFixture({ coalesceWindowMs: 0 });
    await f.deliver(5);
    f.advance(23 * 3600_000);
    expect(await f.deliver(5)).toEqual({ outcome: 'replay' });
    f.advance(2 * 3600_000);
    expect(await f.deliver(5)).toMatchObject({ outcome: 'accepted' });
  });

  it('a redelivered flush starts nothing twice', async () => {
    f = await webhookFixture({ coalesceWindowMs: 500 });
    const receipt = await f.deliver(3);
    f.advance(500);
    const windowId = receipt.outcome === 'accepted' ? receipt.windowId : '';
    await flushWebhookWindow(f.deps, { tenantId: 't1', connectionId: 'shop', windowId });
    await flushWebhookWindow(f.deps, { tenantId: 't1', connectionId: 'shop', windowId });
    expect(await f.executions()).toHaveLength(1);
    expect(f.bus.counts('sync-start').active).toBe(1);
  });

  it('only tasks that sync the changed stream run: an order delivery starts orders-task, not task', async () => {
    f = await webhookFixture({ coalesceWindowMs: 0 });
    const body = JSON.stringify(f.fake.getRecord('orders', 4));
    expect(await f.deliver(4, { body, topic: 'order.updated' })).toMatchObject({ outcome: 'accepted' });
    await f.flushDue();
    expect((await f.executions()).map((e) => [e.taskId, e.ids])).toEqual([['orders-task', { orders: ['4'] }]]);
  });

  it('a delivery written just after the flush closed its window moves to a new window and is not lost', async () => {
    f = await webhookFixture({ coalesceWindowMs: 1000 });
    const first = await f.deliver(1);
    const windowId = first.outcome === 'accepted' ? first.windowId : '';
    // The flush runs between the second delivery's window read and its write.
    const store = f.deps.store;
    const racing: SyncDeps = {
      ...f.deps,
      store: new Proxy(store, {
        get(target, name) {
          if (name !== 'create') return (Reflect.get(target, name) as (...args: unknown[]) => unknown).bind(target);
          return async (container: Parameters<Store['create']>[0], doc: { kind?: string }) => {
            if (doc.kind === webhookDeliveryKind) await flushWebhookWindow(f.deps, { tenantId: 't1', connectionId: 'shop', windowId });
            return target.create(container, doc as never);
          };
        },
      }),
    };
    const body = JSON.stringify(f.fake.getRecord('customers', 2));
    const headers = new Headers({ 'X-WC-Webhook-Topic': 'customer.updated', 'X-WC-Webhook-Delivery-ID': 'late', 'X-WC-Webhook-Signature': signWebhook(WOOCOMMERCE_VERIFIER, SECRET, body) });
    const late = await receiveWebhook(racing, { tenantId: 't1', connectionId: 'shop', headers, rawBody: Buffer.from(body) });
    expect(late).toMatchObject({ outcome: 'accepted' });
    expect(late.outcome === 'accepted' && late.windowId).not.toBe(windowId);
    expect((await f.executions()).map((e) => e.ids)).toEqual([{ customers: ['1'] }]);
    f.advance(1000);
    await f.flushDue();
    expect((await f.executions()).map((e) => e.ids?.customers ?? []).sort()).toEqual([['1'], ['2']]);
  });

  it('a closed window is never joined: the next delivery opens a new one', async () => {
    f = await webhookFixture({ coalesceWindowMs: 1000 });
    const first = await f.deliver(1);
    await closeWindow(f.deps, 't1', 'shop', first.outcome === 'accepted' ? first.windowId : '');
    const second = await f.deliver(2);
    expect(second.outcome === 'accepted' && second.windowId).not.toBe(first.outcome === 'accepted' && first.windowId);
  });
});

describe('webhook replays under a signed timestamp (Stripe-style `timestamp.body`)', () => {
  let f: Fixture;
  afterEach(async () => f?.close());

  const verifier = {
    kind: 'hmac',
    header: 'X-Signature',
    algorithm: 'sha256',
    encoding: 'hex',
    signedPayload: 'timestamp.body',
    timestampHeader: 'X-Timestamp',
    toleranceSeconds: 86_400,
    topicHeader: 'X-Topic',
    deliveryIdHeader: 'X-Delivery-Id',
  } as const;

  /** Customer 5's delivery signed at `signedAtMs`, with an unsigned delivery id. */
  const deliverSigned = (signedAtMs: number, deliveryId: string): Promise<WebhookReceipt> => {
    const body = JSON.stringify(f.fake.getRecord('customers', 5));
    const timestamp = String(Math.floor(signedAtMs / 1000));
    const headers = new Headers({ 'X-Topic': 'customer.updated', 'X-Delivery-Id': deliveryId, 'X-Timestamp': timestamp, 'X-Signature': signWebhook(verifier, SECRET, body, timestamp) });
    return receiveWebhook(f.deps, { tenantId: 't1', connectionId: 'shop', headers, rawBody: Buffer.from(body) });
  };

  it('the same timestamp and body with a new delivery id is a replay; the same body signed at another time is a new delivery', async () => {
    f = await webhookFixture({ coalesceWindowMs: 0, verifier });
    const signedAt = f.deps.clock.now().getTime();
    expect(await deliverSigned(signedAt, 'a')).toMatchObject({ outcome: 'accepted' });
    expect(await deliverSigned(signedAt, 'b')).toEqual({ outcome: 'replay' });
    expect(await deliverSigned(signedAt + 1000, 'a')).toMatchObject({ outcome: 'accepted' });
    expect(await f.flushDue()).toBe(2);
  });

  it('a delivery is remembered as long as its signature is accepted, beyond 24 hours', async () => {
    f = await webhookFixture({ coalesceWindowMs: 0, verifier });
    // Signed a day ahead of our clock: accepted from now until 48 hours from now.
    const signedAt = f.deps.clock.now().getTime() + 24 * 3600_000;
    expect(await deliverSigned(signedAt, 'a')).toMatchObject({ outcome: 'accepted' });
    f.advance(47 * 3600_000);
    expect(await deliverSigned(signedAt, 'b')).toEqual({ outcome: 'replay' });
    f.advance(2 * 3600_000);
    expect(await deliverSigned(signedAt, 'c')).toEqual({ outcome: 'invalid_signature' });
    expect(f.warnings.at(-1)?.fields).toMatchObject({ reason: 'stale_timestamp' });
  });
});

describe('webhook refusals', () => {
  let f: Fixture;
  afterEach(async () => f?.close());

  const nothingRecorded = async () => {
    expect(f.queued()).toMatchObject({ active: 0, scheduled: 0 });
    expect(await f.deliveryDocs()).toEqual([]);
  };

  it('a bad or missing signature is refused and records nothing', async () => {
    f = await webhookFixture();
    expect(await f.deliver(1, { secret: 'not-the-secret' })).toEqual({ outcome: 'invalid_signature' });
    const body = JSON.stringify(f.fake.getRecord('customers', 1));
    const tampered = body.replace(/"first_name":"[^"]*"/, '"first_name":"Mallory"');
    const signedOriginal = new Headers({ 'X-WC-Webhook-Topic': 'customer.updated', 'X-WC-Webhook-Signature': signWebhook(WOOCOMMERCE_VERIFIER, SECRET, body) });
    expect(await receiveWebhook(f.deps, { tenantId: 't1', connectionId: 'shop', headers: signedOriginal, rawBody: Buffer.from(tampered) })).toEqual({ outcome: 'invalid_signature' });
    const unsigned = new Headers({ 'X-WC-Webhook-Topic': 'customer.updated' });
    expect(await receiveWebhook(f.deps, { tenantId: 't1', connectionId: 'shop', headers: unsigned, rawBody: Buffer.from(body) })).toEqual({ outcome: 'invalid_signature' });
    await nothingRecorded();
  });

  it('without a webhook secret on the connection every delivery is refused', async () => {
    f = await webhookFixture();
    await saveConnection(f.deps, 't1', { provider: 'woocommerce', settings: { baseUrl: f.fake.url }, credentials: DEMO_CREDENTIALS }, 'bare');
    const body = JSON.stringify({ id: 1 });
    const headers = new Headers({ 'X-WC-Webhook-Topic': 'customer.updated', 'X-WC-Webhook-Signature': signWebhook(WOOCOMMERCE_VERIFIER, '', body) });
    expect(await receiveWebhook(f.deps, { tenantId: 't1', connectionId: 'bare', headers, rawBody: Buffer.from(body) })).toEqual({ outcome: 'invalid_signature' });
  });

  it('webhooks off for the tenant, or for the connection: refused as a bad signature is, nothing recorded, the reason logged', async () => {
    f = await webhookFixture();
    await putTenant(f.deps, 't1', { settings: { webhooksEnabled: false } });
    expect(await f.deliver(1)).toEqual({ outcome: 'invalid_signature' });
    await putTenant(f.deps, 't1', { settings: { webhooksEnabled: true } });
    await saveConnection(f.deps, 't1', { provider: 'woocommerce', settings: { baseUrl: f.fake.url }, webhooks: { enabled: false } }, 'shop');
    expect(await f.deliver(1)).toEqual({ outcome: 'invalid_signature' });
    await nothingRecorded();
    expect(f.warnings.map((w) => w.fields?.['reason'])).toEqual(['webhooks_disabled', 'webhooks_disabled']);
    // Turning them back on keeps the secret.
    await saveConnection(f.deps, 't1', { provider: 'woocommerce', settings: { baseUrl: f.fake.url }, webhooks: { enabled: true } }, 'shop');
    expect(await f.deliver(1)).toMatchObject({ outcome: 'accepted' });
  });

  it('a signed body over the limit is refused (413); unsigned, or for an unknown connection, it is a 401 like any other', async () => {
    f = await webhookFixture({ maxBodyBytes: 1024 });
    const body = JSON.stringify({ id: 1, padding: 'x'.repeat(1100) });
    expect(await f.deliver(1, { body })).toEqual({ outcome: 'too_large', limitBytes: 1024 });
    expect(await f.deliver(1, { body, secret: 'not-the-secret' })).toEqual({ outcome: 'invalid_signature' });
    expect(await f.deliver(1, { body, connectionId: 'nothing' })).toEqual({ outcome: 'invalid_signature' });
    await nothingRecorded();
  });

  it('the default limit is 1 MiB', async () => {
    f = await webhookFixture();
    expect(await f.deliver(1, { body: JSON.stringify({ id: 1, padding: 'x'.repeat(1024 * 1024) }) })).toMatchObject({ outcome: 'too_large', limitBytes: 1024 * 1024 });
  });

  it('WooCommerce\'s unsigned creation ping is answered without enqueuing anything, the same whether the endpoint exists or not', async () => {
    f = await webhookFixture();
    const headers = new Headers({ 'content-type': 'application/x-www-form-urlencoded' });
    for (const [tenantId, connectionId] of [['t1', 'shop'], ['nobody', 'shop'], ['t1', 'nothing']] as const) {
      expect(await receiveWebhook(f.deps, { tenantId, connectionId, headers, rawBody: Buffer.from('webhook_id=12') })).toEqual({ outcome: 'ping' });
    }
    await nothingRecorded();
  });

  it('unknown tenant or connection, even with a valid signature: refused exactly as a bad signature is, nothing recorded, the reason logged', async () => {
    f = await webhookFixture();
    const badSignature = await f.deliver(1, { secret: 'not-the-secret' });
    expect(badSignature).toEqual({ outcome: 'invalid_signature' });
    const cases = [
      { tenantId: 'nobody', connectionId: 'shop', reason: 'unknown_tenant' },
      { tenantId: 't1', connectionId: 'nothing', reason: 'unknown_connection' },
      { tenantId: 'not an id/..', connectionId: 'shop', reason: 'unknown_tenant' },
      { tenantId: 't1', connectionId: '#?', reason: 'unknown_connection' },
    ];
    for (const { tenantId, connectionId } of cases) expect(await f.deliver(1, { tenantId, connectionId })).toEqual(badSignature);
    await nothingRecorded();
    expect(await f.deps.store.query('coordination', 'nobody', { filters: [] }, { maxItems: 10 })).toMatchObject({ items: [] });
    expect(f.warnings.map((w) => w.fields?.['reason'])).toEqual(['mismatch', ...cases.map((c) => c.reason)]);
    expect(JSON.stringify(f.warnings)).not.toContain(SECRET);
  });

  it('events that name no synced record are acknowledged and ignored', async () => {
    f = await webhookFixture();
    expect(await f.deliver(1, { topic: 'action.woocommerce_new_order', body: JSON.stringify({ action: 'woocommerce_new_order', arg: 5 }) })).toMatchObject({ outcome: 'ignored' });
    await nothingRecorded();
  });

  it('a verifier that signs a timestamp without naming its header is refused, naming the field', async () => {
    f = await webhookFixture();
    const verifier = { kind: 'hmac', header: 'X-Signature', algorithm: 'sha256', encoding: 'hex', signedPayload: 'timestamp.body' };
    const saving = saveConnection(f.deps, 't1', { provider: 'woocommerce', settings: { baseUrl: f.fake.url }, webhooks: { verifier } }, 'shop');
    await expect(saving).rejects.toMatchObject({ issues: expect.arrayContaining([expect.objectContaining({ path: expect.stringContaining('webhooks.verifier') })]) });
  });

  it('the connection shows whether a webhook secret is set, never the secret', async () => {
    f = await webhookFixture();
    const view = await getConnection(f.deps, 't1', 'shop');
    expect(view).toMatchObject({ hasWebhookSecret: true, webhooks: { enabled: true, coalesceWindowMs: 1000 } });
    expect(JSON.stringify(view)).not.toContain(SECRET);
    expect(view).not.toHaveProperty('webhookSecretRef');
  });
});
