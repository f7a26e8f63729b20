import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeWooCommerce, type FakeWooCommerce } from '../../dev/fakes/fakeWooCommerce.js';
import type { AdminClient } from '../../dev/adminClient.js';
import { DEMO_CONNECTION, DEMO_CREDENTIALS } from '../../dev/demoSetup.js';
import { demoCustomersTask } from './customersTask.js';
import { startHostProcess, type HostProcess } from './hostProcess.js';
import { apiClient } from './apiClient.js';

/**
 * Incremental runs through the real host and a fake store of 1,000 customers (50 pages of 20):
 * a record that keeps failing does not turn later runs into full reads, and its failure closes
 * itself once a run syncs it.
 */
describe('incremental runs after a partial run', () => {
  let host: HostProcess;
  let fake: FakeWooCommerce;
  let api: AdminClient;
  /** The store's clock runs ahead by this much: each change lands well after the one before. */
  let storeOffsetMs = 0;

  beforeAll(async () => {
    fake = await startFakeWooCommerce({ seed: 11, counts: { customers: 1000, products: 0, orders: 0 }, ...DEMO_CREDENTIALS, now: () => Date.now() + storeOffsetMs });
    host = await startHostProcess({});
    api = apiClient(host.url, host.adminKey);
    await demoCustomersTask(api, fake.url);
  });
  afterAll(async () => {
    await host?.stop();
    await fake?.close();
  });

  const runIncremental = async () => {
    const accepted = await api.request('POST', 'tenants/demo/tasks/customers/executions', { mode: 'incremental' });
    expect(accepted.status).toBe(202);
    return api.waitForExecution('demo', accepted.body.executionId);
  };
  const cursor = async (): Promise<string> => (await api.ok('GET', `tenants/demo/connections/${DEMO_CONNECTION}`)).cursors.customers;
  const batchEntries = async (executionId: string): Promise<unknown[]> =>
    (await api.ok('GET', `tenants/demo/activity?action=batch.processed&executionId=${executionId}&limit=1000`)).items;

  let partialId: string;

  it('a first incremental run reads everything and says why: there is no cursor yet', async () => {
    const view = await runIncremental();
    expect(view).toMatchObject({ status: 'success', counts: { fetched: 1000, created: 1000 } });
    expect(view.streams.customers.read).toEqual({ kind: 'full', reason: 'no_cursor' });
    expect(await cursor()).toEqual(expect.any(String));
  });

  it('a run where one record fails ends partial and still moves the cursor past what it read', async () => {
    const before = await cursor();
    fake.updateRecord('customers', 5, { email: '' });
    storeOffsetMs = 60_000;
    fake.updateRecord('customers', 80, { first_name: 'A minute later' });
    const view = await runIncremental();
    expect(view).toMatchObject({ status: 'partial', counts: { updated: 1, failed: 1 } });
    partialId = view.id;
    expect(Date.parse(await cursor())).toBeGreaterThan(Date.parse(before));
  });

  it('the next incremental run reads only the changes, in a handful of batches, and the failure stays open', async () => {
    storeOffsetMs = 120_000;
    fake.updateRecord('customers', 100, { first_name: 'Two minutes later' });
    const view = await runIncremental();
    // Record 100, and record 80 inside the overlap before the cursor: not the failed record 5.
    expect(view).toMatchObject({ status: 'success', counts: { fetched: 2, updated: 1, unchanged: 1, failed: 0 } });
    // Customers cannot be filtered at the store: every page was read, and only two held changes.
    expect(view.streams.customers).toMatchObject({ pagesTotal: 50, pagesDone: 50, read: { kind: 'full', reason: 'provider_has_no_modified_filter' } });
    expect(await batchEntries(view.id)).toHaveLength(2);

    const open = await api.ok('GET', 'tenants/demo/failures?status=open');
    expect(open.items).toHaveLength(1);
    expect(open.items[0]).toMatchObject({ executionId: partialId, payloadRef: { externalId: '5' } });
  });

  it('a later run that syncs the record closes its failure, naming that run', async () => {
    storeOffsetMs = 180_000;
    fake.updateRecord('customers', 5, { email: 'fixed@example.com' });
    const view = await runIncremental();
    expect(view).toMatchObject({ status: 'success', counts: { updated: 1, failed: 0 } });

    const { items } = await api.ok('GET', `tenants/demo/failures?executionId=${partialId}`);
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ status: 'resolved', resolvedBy: view.id, resolvedAt: expect.any(String) });
    expect((await api.ok('GET', 'tenants/demo/failures?status=open')).items).toEqual([]);
  });
});
