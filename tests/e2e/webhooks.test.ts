import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeWooCommerce, type FakeWooCommerce } from '../../dev/fakes/fakeWooCommerce.js';
import type { AdminClient } from '../../dev/adminClient.js';
import { apiClient } from './apiClient.js';
import { DEMO_CONNECTION, DEMO_CREDENTIALS, DEMO_TASK, DEMO_TENANT, ensureDemoResources } from '../../dev/demoSetup.js';
import { startHostProcess, type HostProcess } from './hostProcess.js';

const SECRET = 'whsec_e2e_webhook_secret';

/** Provider webhooks through the real local host process: signed deliveries from the fake store become incremental runs. */
describe('provider webhooks', () => {
  let host: HostProcess;
  let fake: FakeWooCommerce;
  let api: AdminClient;
  let hookUrl: string;

  const configureWebhooks = (webhooks: Record<string, unknown>) =>
    api.ok('PUT', `tenants/${DEMO_TENANT}/connections/${DEMO_CONNECTION}`, {
      provider: 'woocommerce',
      settings: { baseUrl: fake.url },
      webhookSecret: SECRET,
      webhooks,
    });

  const customerShard = async (id: number) => (await api.ok('GET', `tenants/${DEMO_TENANT}/shards?type=customer&externalId=${id}`)).items[0];

  const executionIds = async (): Promise<string[]> =>
    (await api.ok('GET', `tenants/${DEMO_TENANT}/executions?taskId=${DEMO_TASK}&limit=1000`)).items.map((e: { id: string }) => e.id);

  /** Polls until `check` returns something truthy, or fails after `timeoutMs`. */
  const eventually = async <T>(check: () => Promise<T | undefined | false>, timeoutMs: number, what: string): Promise<T> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await check();
      if (value) return value;
      if (Date.now() > deadline) throw new Error(`${what} within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };

  beforeAll(async () => {
    fake = await startFakeWooCommerce({ seed: 11, counts: { customers: 150, products: 10, orders: 10 }, ...DEMO_CREDENTIALS });
    host = await startHostProcess({});
    api = apiClient(host.url, host.adminKey);
    hookUrl = `${host.url}/api/webhooks/${DEMO_TENANT}/${DEMO_CONNECTION}`;
    await ensureDemoResources(api, fake.url);
    const accepted = await api.ok('POST', `tenants/${DEMO_TENANT}/tasks/${DEMO_TASK}/executions`, {});
    expect((await api.waitForExecution(DEMO_TENANT, accepted.executionId)).status).toBe('success');
  }, 60_000);
  afterAll(async () => {
    await host?.stop();
    await fake?.close();
  });

  it('WooCommerce\'s creation ping is answered 200', async () => {
    await configureWebhooks({ coalesceWindowMs: 1000 });
    const ping = await fake.sendWebhookPing(hookUrl, 31);
    expect(ping).toEqual({ status: 200, body: { status: 'ping' } });
  });

  it('a customer changed on the store and sent as a signed webhook shows in its shard within 10 s', async () => {
    await configureWebhooks({ coalesceWindowMs: 1000 });
    fake.updateRecord('customers', 5, { first_name: 'Hooked' });
    const sentAt = Date.now();
    const response = await fake.sendWebhook(hookUrl, { resource: 'customer', id: 5, secret: SECRET });
    expect(response.status).toBe(202);
    expect(response.body).toMatchObject({ status: 'accepted' });
    await eventually(async () => (await customerShard(5))?.data.firstName === 'Hooked', 10_000, 'the shard did not change');
    expect(Date.now() - sentAt).toBeLessThan(10_000);

    // The run is marked as the webhook's, which keeps it from moving the incremental cursors.
    const activity = await api.ok('GET', `tenants/${DEMO_TENANT}/activity?action=execution.queued&limit=1`);
    expect(activity.items[0].actor).toEqual({ type: 'webhook', id: DEMO_CONNECTION });
  });

  it('a forged signature is answered 401 and changes nothing', async () => {
    await configureWebhooks({ coalesceWindowMs: 0 });
    const before = await customerShard(6);
    const runsBefore = await executionIds();
    fake.updateRecord('customers', 6, { first_name: 'Forged' });
    const forged = await fake.sendWebhook(hookUrl, { resource: 'customer', id: 6, secret: 'not-the-secret' });
    expect(forged.status).toBe(401);
    expect(forged.body).toMatchObject({ error: { code: 'invalid_signature' } });
    const wrongHeader = await fake.sendWebhook(hookUrl, { resource: 'customer', id: 6, secret: SECRET, signatureOverride: 'AAAA' });
    expect(wrongHeader.status).toBe(401);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(await executionIds()).toEqual(runsBefore);
    expect(await customerShard(6)).toEqual(before);
  });

  it('webhooks turned off, an unknown tenant and an unknown connection: the same 401 as a forged signature, nothing runs', async () => {
    await configureWebhooks({ coalesceWindowMs: 0 });
    const runsBefore = await executionIds();
    const forged = await fake.sendWebhook(hookUrl, { resource: 'customer', id: 7, secret: 'not-the-secret' });
    expect(forged).toMatchObject({ status: 401, body: { error: { code: 'invalid_signature' } } });

    const unknownTenant = await fake.sendWebhook(`${host.url}/api/webhooks/no-such-tenant/${DEMO_CONNECTION}`, { resource: 'customer', id: 7, secret: SECRET });
    const unknownConnection = await fake.sendWebhook(`${host.url}/api/webhooks/${DEMO_TENANT}/no-such-connection`, { resource: 'customer', id: 7, secret: SECRET });
    await configureWebhooks({ enabled: false });
    const disabled = await fake.sendWebhook(hookUrl, { resource: 'customer', id: 7, secret: SECRET });
    for (const refused of [unknownTenant, unknownConnection, disabled]) expect(refused).toEqual(forged);

    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await executionIds()).toEqual(runsBefore);
  });

  it('the same signed body re-sent with a new delivery id is a replay: 200, nothing runs', async () => {
    await configureWebhooks({ coalesceWindowMs: 0 });
    fake.updateRecord('customers', 8, { first_name: 'Once' });
    const first = await fake.sendWebhook(hookUrl, { resource: 'customer', id: 8, secret: SECRET, deliveryId: 'original' });
    expect(first.status).toBe(202);
    const runsAfterFirst = await eventually(async () => {
      const runs = await executionIds();
      return (await customerShard(8))?.data.firstName === 'Once' && runs;
    }, 10_000, 'the first delivery did not sync');

    const replayed = await fake.sendWebhook(hookUrl, { resource: 'customer', id: 8, secret: SECRET, deliveryId: 'a-new-unsigned-id' });
    expect(replayed).toEqual({ status: 200, body: { status: 'replay' } });
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await executionIds()).toEqual(runsAfterFirst);
  });

  it('100 distinct deliveries inside the window become one execution covering every changed id, read from the deliveries', async () => {
    await configureWebhooks({ coalesceWindowMs: 3000 });
    const changed = Array.from({ length: 100 }, (_, i) => i + 21);
    for (const id of changed) fake.updateRecord('customers', id, { last_name: `Webhooked ${id}` });
    const runsBefore = new Set(await executionIds());
    const requestsBefore = fake.requestLog.length;

    const responses = await Promise.all(changed.map((id) => fake.sendWebhook(hookUrl, { resource: 'customer', id, secret: SECRET })));
    expect(responses.map((r) => r.status)).toEqual(changed.map(() => 202));
    expect(new Set(responses.map((r) => (r.body as { windowId: string }).windowId)).size).toBe(1);

    const executionId = await eventually(async () => (await executionIds()).find((id) => !runsBefore.has(id)), 10_000, 'no execution started');
    const view = await api.waitForExecution(DEMO_TENANT, executionId, { timeoutMs: 30_000 });
    expect(view).toMatchObject({ status: 'success', mode: 'incremental', counts: { fetched: 100, updated: 100, failed: 0 } });
    expect(Object.keys(view.streams)).toEqual(['customers']);
    // Exactly one run, and it took the records the deliveries carried whole: not one request to the store.
    expect((await executionIds()).filter((id) => !runsBefore.has(id))).toEqual([executionId]);
    expect(fake.requestLog.slice(requestsBefore)).toEqual([]);
    for (const id of [changed[0]!, changed[50]!, changed[99]!]) expect((await customerShard(id)).data.lastName).toBe(`Webhooked ${id}`);
  });
});
