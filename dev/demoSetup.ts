import type { AdminClient } from './adminClient.js';
import { BUILTIN_SCHEMAS } from '../shared/connectors/woocommerce/wooCommerceBuiltinSchemas.js';

export const DEMO_TENANT = 'demo';
export const DEMO_CONNECTION = 'demo-woo';
export const DEMO_TASK = 'demo-full-sync';
/** Credentials of the fake store the demo starts; they open nothing else. */
export const DEMO_CREDENTIALS = { consumerKey: 'ck_demo_shardsync', consumerSecret: 'cs_demo_shardsync' };

/** The demo's schemas: the built-in WooCommerce ones (a customer with a company also gets a company_profile). */
export const DEMO_SCHEMAS = {
  customers: BUILTIN_SCHEMAS['woocommerce/customers'],
  products: BUILTIN_SCHEMAS['woocommerce/products'],
  orders: BUILTIN_SCHEMAS['woocommerce/orders'],
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
