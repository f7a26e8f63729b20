import { startFakeWooCommerce } from '../dev/fakes/fakeWooCommerce.js';
import { startFakeRestApi } from '../dev/fakes/restApi/fakeRestApi.js';
import { startFakeHubSpot } from '../dev/fakes/hubspot/fakeHubSpot.js';
import { startFakeQuickBooks } from '../dev/fakes/quickbooks/fakeQuickBooks.js';
import { startFakeSalesforce } from '../dev/fakes/salesforce/fakeSalesforce.js';
import { startFakeGooglePeople } from '../dev/fakes/google/fakeGooglePeople.js';
import { startFakeNotion } from '../dev/fakes/notion/fakeNotion.js';
import { startFakeOdoo } from '../dev/fakes/odoo/fakeOdoo.js';
import { startFakeErpNext } from '../dev/fakes/erpnext/fakeErpNext.js';
import { startFakeSupabase } from '../dev/fakes/supabase/fakeSupabase.js';
import { startLocalPostgres } from '../dev/postgres/localPostgres.js';
import { OutboundGuard } from '../shared/connectors/http/outboundGuard.js';
import { SystemHostResolver } from '../shared/adapters/network/systemHostResolver.js';
import { parseOutboundAllowList } from '../shared/core/security/outboundAllowList.js';
import { ProviderRegistry } from '../shared/connectors/providerRegistry.js';
import { registeredProviders } from '../shared/connectors/registeredProviders.js';
import type { Connector } from '../shared/connectors/connector.js';
import type { ProviderContext } from '../shared/connectors/providerDefinition.js';
import type { Figure } from './benchReport.js';

/** Pages read at once after page 1, as the engine fans numbered pages out. */
const PARALLEL_PAGES = 4;
const ROUNDS = 3;

/** How the bench starts a provider's fake and connects to it. Each provider issue adds its line. */
interface BenchedProvider {
  provider: string;
  /** `tokens`: an OAuth provider's token source. */
  start(): Promise<{ settings: unknown; credentials: unknown; records: number; tokens?: ProviderContext['tokens']; close(): Promise<void> }>;
}

const benched: BenchedProvider[] = [
  {
    provider: 'erpnext',
    async start() {
      const credentials = { apiKey: 'benchapikey', apiSecret: 'bench-api-secret' };
      // No rate limiter: Frappe sites have none unless configured, and the bench measures reading.
      const fake = await startFakeErpNext(credentials);
      const counts = { Customer: 5_000, Item: 1_000, 'Sales Invoice': 4_000 };
      for (const [doctype, n] of Object.entries(counts)) fake.seed(doctype, n);
      return { settings: { baseUrl: fake.url }, credentials, records: counts.Customer + counts.Item + counts['Sales Invoice'], close: () => fake.close() };
    },
  },
  {
    provider: 'woocommerce',
    async start() {
      const credentials = { consumerKey: 'ck_bench_connectors', consumerSecret: 'cs_bench_connectors' };
      const counts = { customers: 5_000, products: 2_000, orders: 3_000 };
      const fake = await startFakeWooCommerce({ seed: 7, counts, ...credentials });
      return { settings: { baseUrl: fake.url }, credentials, records: counts.customers + counts.products + counts.orders, close: () => fake.close() };
    },
  },
  {
    provider: 'generic-rest',
    async start() {
      const token = 'bench-generic-rest-token';
      const fake = await startFakeRestApi({ collections: ['contacts', 'companies'], auth: { bearer: token } });
      fake.seed('contacts', 5_000);
      fake.seed('companies', 5_000);
      const stream = (name: string, paginator: Record<string, unknown>) => ({
        name,
        path: name,
        recordsPath: 'data',
        modifiedField: 'updated_at',
        paginator,
        incremental: { param: 'updated_since' },
      });
      const spec = {
        title: 'Bench REST',
        baseUrl: `${fake.url}/v1`,
        auth: { kind: 'bearer' },
        maxPageSize: 100,
        streams: [
          stream('contacts', { kind: 'cursor', cursorParam: 'cursor', sizeParam: 'limit', nextCursorPath: 'next_cursor' }),
          stream('companies', { kind: 'linkHeader', sizeParam: 'limit' }),
        ],
      };
      return { settings: { spec }, credentials: { token }, records: 10_000, close: () => fake.close() };
    },
  },
  {
    provider: 'hubspot',
    async start() {
      const token = 'pat-na1-bench-connectors';
      // A limit no bench round meets: the bench measures reading, not waiting.
      const fake = await startFakeHubSpot({ accessToken: token, rateLimit: { max: 100_000 } });
      const counts = { contacts: 5_000, companies: 3_000, deals: 2_000 };
      for (const [type, n] of Object.entries(counts)) fake.seed(type as keyof typeof counts, n);
      return { settings: { baseUrl: fake.url }, credentials: { token }, records: counts.contacts + counts.companies + counts.deals, close: () => fake.close() };
    },
  },
  {
    provider: 'notion',
    async start() {
      const token = 'ntn_bench_connectors_token';
      const dataSourceId = '6e2f0b1a-0000-4000-8000-00000000d001';
      // A limit no bench round meets: the bench measures reading, not Notion's three a second.
      const fake = await startFakeNotion({ token, rateLimit: { perSecond: 100_000, burst: 100_000 } });
      fake.seed(dataSourceId, 10_000);
      return { settings: { baseUrl: fake.url, dataSourceId }, credentials: { token }, records: 10_000, close: () => fake.close() };
    },
  },
  {
    provider: 'odoo',
    async start() {
      const apiKey = 'odoo_bench_connectors_api_key';
      const fake = await startFakeOdoo({ apiKey, database: 'bench' });
      // Partners and products first: orders, quants and payments point at them.
      const counts = { 'res.partner': 4_000, 'product.product': 2_000, 'sale.order': 2_000, 'stock.quant': 1_000, 'account.payment': 1_000 } as const;
      for (const [model, n] of Object.entries(counts)) fake.seed(model as keyof typeof counts, n);
      const records = Object.values(counts).reduce((sum, n) => sum + n, 0);
      return { settings: { baseUrl: fake.url, api: 'json2', database: 'bench' }, credentials: { apiKey }, records, close: () => fake.close() };
    },
  },
  {
    provider: 'google-contacts',
    async start() {
      const accessToken = 'ya29.bench-connectors-google';
      const fake = await startFakeGooglePeople({ accessToken });
      fake.seed(10_000);
      // A token the fake accepts for the whole bench: nothing is refreshed.
      const session = async () => accessToken;
      return {
        settings: { baseUrl: fake.url, tokenUrl: `${fake.url}token` },
        credentials: { clientId: 'bench-google-client', clientSecret: 'bench-google-secret', refreshToken: 'bench-google-refresh-token' },
        records: 10_000,
        tokens: () => ({ accessToken: session, afterUnauthorized: session }),
        close: () => fake.close(),
      };
    },
  },
  {
    provider: 'quickbooks',
    async start() {
      const client = { clientId: 'bench-qbo-client', clientSecret: 'bench-qbo-secret' };
      // Intuit's per-company throttle is lifted: the bench measures reading, not waiting.
      const fake = await startFakeQuickBooks({ ...client, rateLimit: { perMinute: 1_000_000, concurrent: 1_000 } });
      const counts = { Customer: 5_000, Item: 1_000, Invoice: 4_000 };
      for (const [entity, n] of Object.entries(counts)) fake.seed(entity as keyof typeof counts, n);
      const issued = fake.issueTokens();
      const token = async () => issued.access_token;
      return {
        settings: { realmId: fake.realmId, baseUrl: fake.url, tokenUrl: fake.tokenUrl },
        credentials: { ...client, refreshToken: issued.refresh_token },
        records: counts.Customer + counts.Item + counts.Invoice,
        tokens: () => ({ accessToken: token, afterUnauthorized: token }),
        close: () => fake.close(),
      };
    },
  },
  {
    provider: 'supabase',
    async start() {
      // A throwaway PostgreSQL cluster behind the fake PostgREST, stopped with it.
      const db = await startLocalPostgres();
      const apiKey = 'sb_secret_bench_connectors_key';
      const fake = await startFakeSupabase({ connectionString: db.connectionString, apiKey });
      const counts = { customers: 6_000, orders: 4_000 };
      await fake.sql(`
        CREATE TABLE customers (id bigserial PRIMARY KEY, email text, name text, updated_at timestamptz NOT NULL DEFAULT now());
        CREATE TABLE orders (id bigserial PRIMARY KEY, customer_id bigint, total numeric, lines jsonb, updated_at timestamptz NOT NULL DEFAULT now());
        INSERT INTO customers (email, name) SELECT 'c' || n || '@example.org', 'Customer ' || n FROM generate_series(1, ${counts.customers}) n;
        INSERT INTO orders (customer_id, total, lines) SELECT 1 + n % 100, n * 1.5, jsonb_build_array(jsonb_build_object('sku', 'S' || n, 'qty', 2)) FROM generate_series(1, ${counts.orders}) n;
      `);
      return {
        settings: { url: fake.url, tables: [{ stream: 'customers', table: 'customers' }, { stream: 'orders', table: 'orders' }] },
        credentials: { apiKey },
        records: counts.customers + counts.orders,
        close: async () => {
          await fake.close();
          await db.stop();
        },
      };
    },
  },
  {
    provider: 'salesforce',
    async start() {
      const client = { clientId: 'bench-consumer-key', clientSecret: 'bench-consumer-secret' };
      const fake = await startFakeSalesforce(client);
      // Accounts first: contacts and opportunities point at them.
      const counts = { Account: 4_000, Contact: 3_000, Opportunity: 3_000 };
      for (const [type, n] of Object.entries(counts)) fake.seed(type as keyof typeof counts, n);
      // The session the authorization left outlives the bench: nothing is refreshed.
      const session = async () => fake.accessToken;
      return {
        settings: { instanceUrl: fake.url, loginUrl: fake.url },
        credentials: { ...client, refreshToken: fake.refreshToken },
        records: counts.Account + counts.Contact + counts.Opportunity,
        tokens: () => ({ accessToken: session, afterUnauthorized: session }),
        close: () => fake.close(),
      };
    },
  },
];

/**
 * Every record of every stream. Numbered streams: page 1 first (it brings the total), then the rest
 * four at a time. Chained streams: one page after the other, each naming the next.
 */
async function readEverything(connector: Connector, perPage: number): Promise<number> {
  let read = 0;
  for (const { name: stream, paging } of connector.streams()) {
    if (paging === 'chained') {
      let next: string | undefined;
      let page = 1;
      do {
        const answer = await connector.listChainedPage!({ stream, page, perPage, ...(next !== undefined ? { next } : {}) });
        read += answer.records.length;
        next = answer.next;
        page += 1;
      } while (next !== undefined);
      continue;
    }
    const first = await connector.listPage({ stream, page: 1, perPage });
    read += first.records.length;
    const rest = Array.from({ length: Math.max(0, first.totalPages - 1) }, (_, index) => index + 2);
    for (let start = 0; start < rest.length; start += PARALLEL_PAGES) {
      const pages = await Promise.all(rest.slice(start, start + PARALLEL_PAGES).map((page) => connector.listPage({ stream, page, perPage })));
      read += pages.reduce((sum, page) => sum + page.records.length, 0);
    }
  }
  return read;
}

/**
 * Records per second each registered connector reads from its fake: every stream in full, through
 * the connector's real HTTP client, auth and parsing (no engine, no store), best of three rounds.
 */
export async function connectorsBench(): Promise<Figure[]> {
  const registry = new ProviderRegistry(registeredProviders);
  const outbound = new OutboundGuard(parseOutboundAllowList('127.0.0.1').allowList, new SystemHostResolver());
  const missing = registeredProviders.filter((definition) => !benched.some((entry) => entry.provider === definition.provider));
  if (missing.length > 0) throw new Error(`the connectors bench has no fake for ${missing.map((definition) => definition.provider).join(', ')}`);
  const figures: Figure[] = [];
  for (const entry of benched) {
    const definition = registry.definition(entry.provider);
    const fake = await entry.start();
    const connector = definition.create(fake.settings, fake.credentials, { outbound, ...(fake.tokens ? { tokens: fake.tokens } : {}) });
    try {
      let best = 0;
      for (let round = 0; round < ROUNDS; round += 1) {
        const started = performance.now();
        const read = await readEverything(connector, definition.maxPageSize(fake.settings));
        if (read !== fake.records) throw new Error(`${entry.provider}: read ${read} records of ${fake.records}`);
        best = Math.max(best, read / ((performance.now() - started) / 1000));
      }
      figures.push({ bench: 'connectors', metric: `${entry.provider}_records_per_s`, value: Math.round(best), unit: 'records/s' });
    } finally {
      await connector.close?.();
      await fake.close();
    }
  }
  return figures;
}
