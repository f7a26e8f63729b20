import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeWooCommerce, type FakeWooCommerce } from '../../dev/fakes/fakeWooCommerce.js';
import type { AdminClient } from '../../dev/adminClient.js';
import { DEMO_CREDENTIALS, DEMO_SCHEMAS, ensureDemoResources } from '../../dev/demoSetup.js';
import { editedShardHash } from '../../shared/core/executions/editedShardHash.js';
import { startHostProcess, type HostProcess } from './hostProcess.js';
import { apiClient } from './apiClient.js';

/** A shard PATCH through the host, on a schema that computes `fullName` from first_name and last_name. */
describe('computed fields and the hash through the host', () => {
  let host: HostProcess;
  let fake: FakeWooCommerce;
  let api: AdminClient;

  beforeAll(async () => {
    fake = await startFakeWooCommerce({ seed: 4, counts: { customers: 3, products: 0, orders: 0 }, ...DEMO_CREDENTIALS });
    host = await startHostProcess({});
    api = apiClient(host.url, host.adminKey);
    await ensureDemoResources(api, fake.url);
    const fullName = { fromAll: { first: 'first_name', last: 'last_name' }, to: 'fullName', transforms: [{ op: 'template', template: '{first} {last}' }] };
    await api.ok('PUT', 'tenants/demo/schemas/demo-customers', { name: 'customers with a full name', ...DEMO_SCHEMAS.customers, fields: [...DEMO_SCHEMAS.customers.fields, fullName] });
    await api.ok('PUT', 'tenants/demo/tasks/both-ways', { connectionId: 'demo-woo', direction: 'bidirectional', streams: [{ stream: 'customers', schemaId: 'demo-customers' }] });
    const accepted = await api.ok('POST', 'tenants/demo/tasks/both-ways/executions', {});
    expect((await api.waitForExecution('demo', accepted.executionId)).status).toBe('success');
  });
  afterAll(async () => {
    await host?.stop();
    await fake?.close();
  });

  it('PATCHing the computed field is a 422 naming it; PATCHing an input computes it again and moves the hash to the new data', async () => {
    const [shard] = (await api.ok('GET', 'tenants/demo/shards?type=customer&externalId=2')).items;
    expect(shard.data.fullName).toBe(`${shard.data.firstName} ${shard.data.lastName}`);

    const refused = await api.request('PATCH', `tenants/demo/shards/${shard.id}`, { data: { fullName: 'Someone Else' } });
    expect(refused.status).toBe(422);
    expect(refused.body.error.issues).toEqual([{ path: 'data.fullName', message: expect.stringContaining('computed by the conversion schema from first_name, last_name') }]);

    const edited = await api.request('PATCH', `tenants/demo/shards/${shard.id}`, { data: { firstName: 'Edited' } });
    expect(edited.status).toBe(200);
    const stored = await api.ok('GET', `tenants/demo/shards/${shard.id}`);
    expect(stored.data.fullName).toBe(`Edited ${shard.data.lastName}`);
    expect(stored.hash).not.toBe(shard.hash);
    expect(stored.hash).toBe(editedShardHash(stored, stored.data));
  });
});
