import type { AdminClient } from './adminClient.js';

export const DEMO_TENANT = 'demo';
export const DEMO_CONNECTION = 'demo-woo';
export const DEMO_TASK = 'demo-full-sync';
/** Credentials of the fake store the demo starts; they open nothing else. */
export const DEMO_CREDENTIALS = { consumerKey: 'ck_demo_shardsync', consumerSecret: 'cs_demo_shardsync' };

/** The demo's mapping of each WooCommerce stream to a shard type (built-in schemas come with issue 6). */
export const DEMO_SCHEMAS = {
  customers: {
    shardType: 'customer',
    fields: [
      { source: 'email', target: 'email', required: true },
      { source: 'first_name', target: 'firstName' },
      { source: 'last_name', target: 'lastName' },
      { source: 'billing.phone', target: 'phone' },
      { source: 'billing.company', target: 'company' },
      { source: 'billing.city', target: 'address.city' },
      { source: 'billing.postcode', target: 'address.postcode' },
      { source: 'billing.country', target: 'address.country' },
      { source: 'date_modified_gmt', target: 'sourceModifiedAt' },
    ],
  },
  products: {
    shardType: 'product',
    fields: [
      { source: 'name', target: 'name', required: true },
      { source: 'sku', target: 'sku' },
      { source: 'price', target: 'price' },
      { source: 'stock_status', target: 'stockStatus' },
      { source: 'stock_quantity', target: 'stockQuantity' },
      { source: 'categories.0.name', target: 'category' },
      { source: 'date_modified_gmt', target: 'sourceModifiedAt' },
    ],
  },
  orders: {
    shardType: 'order',
    fields: [
      { source: 'number', target: 'number', required: true },
      { source: 'status', target: 'status' },
      { source: 'currency', target: 'currency' },
      { source: 'total', target: 'total' },
      { source: 'customer_id', target: 'customerExternalId' },
      { source: 'billing.email', target: 'email' },
      { source: 'date_created_gmt', target: 'placedAt' },
      { source: 'date_modified_gmt', target: 'sourceModifiedAt' },
    ],
  },
} as const;

export type DemoStream = keyof typeof DEMO_SCHEMAS;

/** How the demo splits N records over the streams: half customers, a fifth products, the rest orders. */
export function demoCounts(records: number): Record<DemoStream, number> {
  const customers = Math.ceil(records / 2);
  const products = Math.floor(records / 5);
  return { customers, products, orders: records - customers - products };
}

/**
 * Creates or updates the demo's tenant, connection, schemas and task through the admin API.
 * Every call is a PUT with a fixed id, so a second demo run reuses them.
 */
export async function ensureDemoResources(api: AdminClient, storeUrl: string): Promise<void> {
  await api.ok('PUT', `tenants/${DEMO_TENANT}`, { name: 'Demo tenant' });
  await api.ok('PUT', `tenants/${DEMO_TENANT}/connections/${DEMO_CONNECTION}`, {
    provider: 'woocommerce',
    name: 'Demo WooCommerce store (fake)',
    settings: { baseUrl: storeUrl },
    credentials: DEMO_CREDENTIALS,
  });
  for (const [stream, schema] of Object.entries(DEMO_SCHEMAS)) {
    await api.ok('PUT', `tenants/${DEMO_TENANT}/schemas/demo-${stream}`, { name: `WooCommerce ${stream}`, ...schema });
  }
  await api.ok('PUT', `tenants/${DEMO_TENANT}/tasks/${DEMO_TASK}`, {
    name: 'Demo: all WooCommerce streams',
    connectionId: DEMO_CONNECTION,
    streams: Object.keys(DEMO_SCHEMAS).map((stream) => ({ stream, schemaId: `demo-${stream}` })),
  });
}
