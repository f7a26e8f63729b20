import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeWooCommerce, type FakeWooCommerce } from '../../dev/fakes/fakeWooCommerce.js';
import type { AdminClient } from '../../dev/adminClient.js';
import { apiClient } from './apiClient.js';
import { DEMO_CREDENTIALS, ensureDemoResources } from '../../dev/demoSetup.js';
import { startHostProcess, type HostProcess } from './hostProcess.js';

/** Both ways between the fake store and our shards, through the real host: edits, write-backs, a conflict and its resolution. */
describe('bidirectional sync through the host', () => {
  let host: HostProcess;
  let fake: FakeWooCommerce;
  let api: AdminClient;

  beforeAll(async () => {
    fake = await startFakeWooCommerce({ seed: 3, counts: { customers: 10, products: 0, orders: 0 }, ...DEMO_CREDENTIALS });
    host = await startHostProcess({});
    api = apiClient(host.url, host.adminKey);
    await ensureDemoResources(api, fake.url);
    await api.ok('PUT', 'tenants/demo/tasks/both-ways', {
      connectionId: 'demo-woo',
      direction: 'bidirectional',
      streams: [{ stream: 'customers', schemaId: 'demo-customers' }],
    });
    const accepted = await api.ok('POST', 'tenants/demo/tasks/both-ways/executions', {});
    expect((await api.waitForExecution('demo', accepted.executionId)).status).toBe('success');
  });
  afterAll(async () => {
    await host?.stop();
    await fake?.close();
  });

  const provider = () => fake.getRecord('customers', 4) as { first_name: string; last_name: string; billing: { phone: string } };
  const until = async (check: () => Promise<boolean> | boolean) => {
    for (let i = 0; i < 200; i++) {
      if (await check()) return;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    throw new Error('timed out');
  };

  it('X edited on both sides, Y here, Z at the provider: one conflict on X, Y and Z on both sides, resolving X reaches the provider', async () => {
    const [shard] = (await api.ok('GET', 'tenants/demo/shards?type=customer&externalId=4')).items;
    const base = provider();
    fake.updateRecord('customers', 4, { first_name: 'Remote-X', last_name: 'Remote-Z' });
    const edited = await api.request('PATCH', `tenants/demo/shards/${shard.id}`, { data: { firstName: 'Local-X', phone: '+1 555 0123' } });
    expect(edited.status).toBe(200);

    // The write-back finds the provider changed since the base (its precondition fails) and meets it field by field.
    await until(() => provider().billing.phone === '+1 555 0123');
    await until(async () => (await api.ok('GET', 'tenants/demo/conflicts?status=open')).items.length === 1);
    const { items, stats } = await api.ok('GET', 'tenants/demo/conflicts?status=open');
    expect(stats.byType).toEqual({ DataMismatch: 1 });
    expect(items[0]).toMatchObject({ path: 'firstName', base: base.first_name, local: 'Local-X', remote: 'Remote-X' });
    expect(provider()).toMatchObject({ first_name: 'Remote-X', last_name: 'Remote-Z' });
    expect((await api.ok('GET', `tenants/demo/shards/${shard.id}`)).data).toMatchObject({ firstName: 'Local-X', lastName: 'Remote-Z', phone: '+1 555 0123' });

    const resolved = await api.request('POST', `tenants/demo/conflicts/${items[0].id}/resolve`, { action: 'accept_local' });
    expect(resolved.status).toBe(200);
    await until(() => provider().first_name === 'Local-X');
    expect((await api.request('POST', `tenants/demo/conflicts/${items[0].id}/resolve`, { action: 'reject' })).status).toBe(409);
    expect((await api.request('POST', 'tenants/demo/conflicts/conf_nope/resolve', { action: 'reject' })).status).toBe(404);
    expect((await api.request('POST', `tenants/demo/conflicts/${items[0].id}/resolve`, { action: 'frobnicate' })).status).toBe(422);

    // The echo of our writes changes nothing.
    const accepted = await api.ok('POST', 'tenants/demo/tasks/both-ways/executions', {});
    const view = await api.waitForExecution('demo', accepted.executionId);
    expect(view.counts).toMatchObject({ unchanged: 10, updated: 0, conflicts: 0 });
  });

  it('an edit that fails the shard type’s validation is refused with the field', async () => {
    const [shard] = (await api.ok('GET', 'tenants/demo/shards?type=customer&externalId=5')).items;
    const response = await api.request('PATCH', `tenants/demo/shards/${shard.id}`, { data: { email: 'not an email' } });
    expect(response.status).toBe(422);
    expect(response.body.error.issues).toEqual([expect.objectContaining({ path: 'data.email' })]);
  });
});
