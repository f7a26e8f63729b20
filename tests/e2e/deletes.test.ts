import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeWooCommerce, type FakeWooCommerce } from '../../dev/fakes/fakeWooCommerce.js';
import type { AdminClient } from '../../dev/adminClient.js';
import { DEMO_CONNECTION, DEMO_CREDENTIALS } from '../../dev/demoSetup.js';
import { demoCustomersTask } from './customersTask.js';
import { startHostProcess, type HostProcess } from './hostProcess.js';
import { apiClient } from './apiClient.js';

/**
 * Deletes through the real host and a fake store of 100 customers (5 pages of 20): a customer
 * removed at the store is a tombstone after the next full run, not after an incremental one, and
 * is restored when it reappears.
 */
describe('deletes found by a complete full read', () => {
  let host: HostProcess;
  let fake: FakeWooCommerce;
  let api: AdminClient;

  beforeAll(async () => {
    fake = await startFakeWooCommerce({ seed: 12, counts: { customers: 100, products: 0, orders: 0 }, ...DEMO_CREDENTIALS });
    host = await startHostProcess({});
    api = apiClient(host.url, host.adminKey);
    await demoCustomersTask(api, fake.url);
  });
  afterAll(async () => {
    await host?.stop();
    await fake?.close();
  });

  const run = async (mode: 'full' | 'incremental') => {
    const accepted = await api.request('POST', 'tenants/demo/tasks/customers/executions', { mode });
    expect(accepted.status).toBe(202);
    return api.waitForExecution('demo', accepted.body.executionId);
  };
  const customer = (deleted: boolean) => api.ok('GET', `tenants/demo/shards?type=customer&externalId=7&connectionId=${DEMO_CONNECTION}&deleted=${deleted}`);

  it('a customer removed at the store stays live after an incremental run', async () => {
    expect(await run('full')).toMatchObject({ status: 'success', counts: { created: 100, deleted: 0 } });
    fake.deleteRecord('customers', 7);
    expect(await run('incremental')).toMatchObject({ status: 'success', counts: { deleted: 0 } });
    expect((await customer(false)).items).toHaveLength(1);
  });

  it('the next full run makes it a tombstone, counted deleted, left out of shard lists unless asked for', async () => {
    const view = await run('full');
    expect(view).toMatchObject({ status: 'success', counts: { fetched: 99, unchanged: 99, deleted: 1 }, streams: { customers: { counts: { deleted: 1 } } } });
    expect((await customer(false)).items).toEqual([]);
    const tombstones = (await customer(true)).items;
    expect(tombstones).toHaveLength(1);
    expect(tombstones[0]).toMatchObject({ deletedBy: view.id, deletedAt: expect.any(String) });
    expect(await api.ok('GET', `tenants/demo/shards/${tombstones[0].id}`)).toMatchObject({ deletedBy: view.id });
    expect(await api.ok('GET', 'tenants/demo/shards?type=customer&count=true')).toEqual({ count: 99 });
  });

  it('when the customer reappears at the store, the next run restores it and counts it updated', async () => {
    fake.restoreRecord('customers', 7);
    expect(await run('full')).toMatchObject({ status: 'success', counts: { updated: 1, unchanged: 99, deleted: 0 } });
    const [restored] = (await customer(false)).items;
    expect(restored).toBeDefined();
    expect(restored.deletedAt).toBeUndefined();
    expect((await customer(true)).items).toEqual([]);
  });
});
