import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeWooCommerce, type FakeWooCommerce } from '../../dev/fakes/fakeWooCommerce.js';
import type { AdminClient } from '../../dev/adminClient.js';
import { apiClient } from './apiClient.js';
import { DEMO_CREDENTIALS, ensureDemoResources } from '../../dev/demoSetup.js';
import { defaultDedupeRules } from '../../shared/core/dedupe/defaultDedupeRules.js';
import { startHostProcess, type HostProcess } from './hostProcess.js';

/** Two stores holding the same customers, de-duplicated through the admin API of the real host. */
describe('entity resolution through the admin API', () => {
  let host: HostProcess;
  let first: FakeWooCommerce;
  let second: FakeWooCommerce;
  let api: AdminClient;
  const customers = 40;
  const counts = { customers, products: 0, orders: 0 };

  beforeAll(async () => {
    // The same seed: the second store holds the same people under the same ids.
    first = await startFakeWooCommerce({ seed: 11, counts, ...DEMO_CREDENTIALS });
    second = await startFakeWooCommerce({ seed: 11, counts, ...DEMO_CREDENTIALS });
    host = await startHostProcess({});
    api = apiClient(host.url, host.adminKey);
    await ensureDemoResources(api, first.url);
    await api.ok('PUT', 'tenants/demo/connections/second-woo', { provider: 'woocommerce', settings: { baseUrl: second.url }, credentials: DEMO_CREDENTIALS });
    for (const [taskId, connectionId] of [['first-customers', 'demo-woo'], ['second-customers', 'second-woo']]) {
      await api.ok('PUT', `tenants/demo/tasks/${taskId}`, { connectionId, streams: [{ stream: 'customers', schemaId: 'demo-customers' }] });
    }
  });
  afterAll(async () => {
    await host?.stop();
    await first?.close();
    await second?.close();
  });

  const run = async (taskId: string) => {
    const accepted = await api.ok('POST', `tenants/demo/tasks/${taskId}/executions`, {});
    return api.waitForExecution('demo', accepted.executionId);
  };

  it('rules that cannot match are refused with the reasons', async () => {
    const response = await api.request('PUT', 'tenants/demo/dedupe-rules/customer', {
      ...defaultDedupeRules.customer,
      threshold: 2,
      matchers: [{ field: 'favouriteColour', kind: 'exact', normalize: 'text', weight: 1 }],
    });
    expect(response.status).toBe(422);
    const paths = response.body.error.issues.map((d: { path: string }) => d.path);
    expect(paths).toEqual(expect.arrayContaining(['threshold', 'matchers.0.field']));
    expect((await api.request('GET', 'tenants/demo/dedupe-rules/customer')).status).toBe(404);
  });

  it('the same people from a second store join the first store’s shards, and one can be unmerged', async () => {
    expect((await api.request('PUT', 'tenants/demo/dedupe-rules/customer', defaultDedupeRules.customer)).status).toBe(201);
    expect((await run('first-customers')).counts).toMatchObject({ created: customers });
    const view = await run('second-customers');
    expect(view.counts).toMatchObject({ merged: customers, created: 0 });
    const listed = await api.ok('GET', 'tenants/demo/shards?type=customer&limit=1000');
    expect(listed.items).toHaveLength(customers);
    const [shard] = (await api.ok('GET', 'tenants/demo/shards?type=customer&externalId=7&connectionId=second-woo')).items;
    expect(shard.externalRelationships.map((r: { connectionId: string }) => r.connectionId).sort()).toEqual(['demo-woo', 'second-woo']);
    expect(shard.merges[0]).toMatchObject({ source: 'second-woo/customers/7', score: expect.any(Number) });

    const unmerged = await api.request('POST', `tenants/demo/shards/${shard.id}/unmerge`, { source: 'second-woo/customers/7' });
    expect(unmerged.status).toBe(200);
    expect(unmerged.body.restored.externalRelationships).toEqual([expect.objectContaining({ connectionId: 'second-woo', externalId: '7' })]);
    expect((await api.request('POST', `tenants/demo/shards/${shard.id}/unmerge`, { source: 'second-woo/customers/7' })).status).toBe(409);
    expect((await api.request('POST', 'tenants/demo/shards/shd_nope/unmerge', { source: 'x' })).status).toBe(404);
    expect((await api.request('POST', `tenants/demo/shards/${shard.id}/unmerge`, {})).status).toBe(422);
    expect((await api.ok('GET', 'tenants/demo/shards?type=customer&limit=1000')).items).toHaveLength(customers + 1);
    // A later run keeps them apart and changes nothing.
    expect((await run('second-customers')).counts).toMatchObject({ unchanged: customers, merged: 0 });
  });

  it('changed rules are rolled out to the stored shards in the background, keeping an unmerge', async () => {
    const saved = await api.request('PUT', 'tenants/demo/dedupe-rules/customer', { ...defaultDedupeRules.customer, threshold: 0.7 });
    expect(saved.status).toBe(200);
    expect(saved.body.version).toBe(2);
    const deadline = Date.now() + 20_000;
    let ruleSet = await api.ok('GET', 'tenants/demo/dedupe-rules/customer');
    while (!(ruleSet.rollout?.version === 2 && ruleSet.rollout.finishedAt) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      ruleSet = await api.ok('GET', 'tenants/demo/dedupe-rules/customer');
    }
    // The 40 merged shards and the one given back by the unmerge, none merged again.
    expect(ruleSet.rollout).toMatchObject({ version: 2, resolved: customers + 1, merged: 0, finishedAt: expect.any(String) });
    const listed = (await api.ok('GET', 'tenants/demo/shards?type=customer&limit=1000')).items;
    expect(listed).toHaveLength(customers + 1);
    expect(listed.every((shard: { resolvedWith?: number }) => shard.resolvedWith === 2)).toBe(true);
  });
});
