import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeWooCommerce, type FakeWooCommerce } from '../../dev/fakes/fakeWooCommerce.js';
import type { AdminClient } from '../../dev/adminClient.js';
import { apiClient } from './apiClient.js';
import { DEMO_CREDENTIALS, ensureDemoResources } from '../../dev/demoSetup.js';
import { startLocalAzureServers, type LocalAzureServers } from '../../dev/localAzureServers.js';
import { startHostProcess, type HostProcess } from './hostProcess.js';

/**
 * The host process on the Azure SDK adapters (Cosmos DB store, Service Bus bus) against the
 * local test servers: the same sync gives the same counts as on embedded defaults.
 */
describe('a sync on the Cosmos DB and Service Bus adapters', () => {
  let servers: LocalAzureServers;
  let fake: FakeWooCommerce;
  let host: HostProcess;
  let api: AdminClient;
  const counts = { customers: 260, products: 30, orders: 110 };
  const total = counts.customers + counts.products + counts.orders;

  beforeAll(async () => {
    servers = await startLocalAzureServers({ store: 'cosmos', bus: 'servicebus' });
    fake = await startFakeWooCommerce({ seed: 21, counts, ...DEMO_CREDENTIALS });
    host = await startHostProcess(servers.settings);
    api = apiClient(host.url, host.adminKey);
    await ensureDemoResources(api, fake.url);
  }, 60_000);
  afterAll(async () => {
    await host?.stop();
    await fake?.close();
    await servers?.close();
  });

  it('creates every record once, then finds them all unchanged', async () => {
    const requests: string[] = [];
    const stopObserving = servers.cosmos!.observe((request) => requests.push(request.body));
    const first = await api.ok('POST', 'tenants/demo/tasks/demo-full-sync/executions', {});
    const created = await api.waitForExecution('demo', first.executionId, { timeoutMs: 60_000 });
    stopObserving();
    expect(created).toMatchObject({ status: 'success', counts: { fetched: total, created: total, updated: 0, unchanged: 0, failed: 0 } });
    // Every query the app sent filtered by tenant in its SQL, not only through the partition key.
    const queries = requests.filter((body) => body.includes('"query"'));
    expect(queries.length).toBeGreaterThan(0);
    for (const query of queries) expect(query).toContain('c.tenantId = @tenantId');
    // Messages went through the broker: the app's queues saw every page and batch.
    const stats = servers.broker!.stats();
    expect(Object.keys(stats)).toEqual(expect.arrayContaining(['sync-start', 'sync-page', 'sync-batch']));

    const second = await api.ok('POST', 'tenants/demo/tasks/demo-full-sync/executions', {});
    const unchanged = await api.waitForExecution('demo', second.executionId, { timeoutMs: 60_000 });
    expect(unchanged.counts).toMatchObject({ created: 0, updated: 0, unchanged: total, failed: 0 });

    const customers = await api.ok('GET', 'tenants/demo/shards?type=customer&externalId=7');
    expect(customers.items).toHaveLength(1);
    expect(customers.items[0].data.email).toBe(fake.getRecord('customers', 7)!.email);
  }, 120_000);
});
