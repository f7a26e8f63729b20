import type { AdminClient } from '../../dev/adminClient.js';
import { DEMO_CONNECTION, ensureDemoResources } from '../../dev/demoSetup.js';

/** The demo tenant on the store at `storeUrl`, with task `customers`: that stream alone, 20 records a batch. */
export async function demoCustomersTask(api: AdminClient, storeUrl: string): Promise<void> {
  await ensureDemoResources(api, storeUrl);
  await api.ok('PUT', 'tenants/demo/tasks/customers', {
    connectionId: DEMO_CONNECTION,
    streams: [{ stream: 'customers', schemaId: 'demo-customers' }],
    defaults: { batchSize: 20 },
  });
}
