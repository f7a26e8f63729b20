import type { AdminClient } from '../../dev/adminClient.js';

/**
 * Tenant `acme` with a connection to a store nobody listens on, a customers schema and task `sync`:
 * enough for API tests that never need a provider to answer.
 */
export async function createMinimalTenant(api: AdminClient): Promise<void> {
  await api.ok('PUT', 'tenants/acme', { name: 'Acme' });
  await api.ok('PUT', 'tenants/acme/connections/shop', {
    provider: 'woocommerce',
    settings: { baseUrl: 'http://127.0.0.1:9' },
    credentials: { consumerKey: 'ck_secret_key', consumerSecret: 'cs_very_secret' },
  });
  await api.ok('PUT', 'tenants/acme/schemas/customers', {
    shardType: 'customer',
    fields: [{ from: 'email', to: 'email' }],
    validations: [{ path: 'email', rule: 'required' }],
  });
  await api.ok('PUT', 'tenants/acme/tasks/sync', { connectionId: 'shop', streams: [{ stream: 'customers', schemaId: 'customers' }] });
}
