import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type SqliteDatabase } from '../../../../shared/adapters/embedded/sqliteDatabase.js';
import { DnsServerHostResolver } from '../../../../shared/adapters/network/dnsServerHostResolver.js';
import { OutboundGuard } from '../../../../shared/connectors/http/outboundGuard.js';
import { wooCommerceProvider } from '../../../../shared/connectors/woocommerce/wooCommerceProvider.js';
import type { ProviderDefinition } from '../../../../shared/connectors/providerDefinition.js';
import { parseOutboundAllowList } from '../../../../shared/core/security/outboundAllowList.js';
import type { Connection } from '../../../../shared/core/schemas/connection.js';
import type { Tenant } from '../../../../shared/core/schemas/tenant.js';
import { saveConnection } from '../../../../shared/sync/resources/connections.js';
import type { SyncDeps } from '../../../../shared/sync/syncDeps.js';
import { putTenant } from '../../../../shared/sync/tenants/tenants.js';
import { InvalidInputError } from '../../../../shared/sync/invalidInputError.js';
import { startFakeDnsServer, type FakeDnsServer } from '../../../../dev/fakes/fakeDnsServer.js';
import { embeddedDeps } from '../embeddedDeps.js';

const credentials = { consumerKey: 'ck_save_00', consumerSecret: 'cs_save_00' };

/**
 * WooCommerce's settings and credentials, with connectors that never leave this machine: a save
 * tests the connection it stores, and the stores here have public addresses.
 */
const offlineWooCommerce: ProviderDefinition = {
  ...wooCommerceProvider,
  create: () => ({
    provider: 'woocommerce',
    streams: () => [],
    listPage: () => Promise.reject(new Error('not called in these tests')),
    testConnection: async () => {},
  }),
};

let dns: FakeDnsServer;
let db: SqliteDatabase;
let deps: SyncDeps;
let secretWrites: string[];

beforeEach(async () => {
  dns = await startFakeDnsServer({
    'shop.public.test': ['93.184.216.34'],
    'hooks.public.test': ['2606:4700:4700::1111'],
    'shop.private.test': ['10.0.0.5'],
    'shop.mixed.test': ['93.184.216.34', 'fd00::5'],
    'shop.metadata.test': ['169.254.169.254'],
  });
  db = openDatabase(':memory:');
  // No allow-list: the policy as it runs in Azure.
  const outbound = new OutboundGuard(parseOutboundAllowList('').allowList, new DnsServerHostResolver([dns.server]));
  const base = embeddedDeps(db, { providers: [offlineWooCommerce], outbound });
  secretWrites = [];
  deps = {
    ...base,
    secrets: {
      get: (name) => base.secrets.get(name),
      set: async (name, value) => {
        secretWrites.push(name);
        await base.secrets.set(name, value);
      },
      delete: async (name) => {
        secretWrites.push(name);
        await base.secrets.delete(name);
      },
    },
  };
});

afterEach(async () => {
  db.close();
  await dns.close();
});

/** The use case's 422, with the issue paths it names. */
async function refusal(promise: Promise<unknown>): Promise<InvalidInputError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(InvalidInputError);
  return error as InvalidInputError;
}

const internalBaseUrls = [
  'http://169.254.169.254',
  'http://169.254.169.254/metadata/identity/oauth2/token',
  'http://10.0.0.8',
  'http://172.16.5.4/shop',
  'https://192.168.1.10:8443',
  'http://0.0.0.0:8080',
  'http://100.64.0.1',
  'http://[::1]',
  'http://[fd00::1]',
  'http://[fe80::1]',
  'http://[::ffff:169.254.169.254]',
  'http://[64:ff9b::a9fe:a9fe]',
  'http://2852039166',
  'http://0xa9fea9fe',
  'http://0251.0376.0251.0376',
  'http://127.1:7071',
  'http://localhost:7071',
  'http://metadata.google.internal',
  'http://metadata.azure.com',
  'http://instance-data',
  'https://shop.private.test',
  'https://shop.mixed.test',
  'https://shop.metadata.test',
  'https://nowhere.test',
];

const malformedBaseUrls = ['not a url', '', 'http:', 'file:///etc/passwd', 'ftp://shop.public.test', 'http://user:pw@shop.public.test'];

describe('tenant-supplied URLs are checked at save', () => {
  it('a connection whose baseUrl leads to an internal destination is a 422 naming settings.baseUrl, and nothing is stored', async () => {
    await putTenant(deps, 'acme', {});
    expect(internalBaseUrls.length).toBeGreaterThan(0);
    for (const baseUrl of internalBaseUrls) {
      const error = await refusal(saveConnection(deps, 'acme', { provider: 'woocommerce', settings: { baseUrl }, credentials }, 'shop'));
      expect(error.issues, baseUrl).toEqual([{ path: 'settings.baseUrl', message: expect.stringMatching(/^refused: /) }]);
    }
    expect(await deps.store.read<Connection>('connections', 'acme', 'shop')).toBeUndefined();
    expect(secretWrites).toEqual([]);
  });

  it('the refusal says why: the address, what it is, and what a name resolved to', async () => {
    await putTenant(deps, 'acme', {});
    const message = async (baseUrl: string) =>
      (await refusal(saveConnection(deps, 'acme', { provider: 'woocommerce', settings: { baseUrl }, credentials }))).issues[0]?.message;
    expect(await message('http://0xa9fea9fe')).toBe('refused: 169.254.169.254 is a link-local address');
    expect(await message('http://[::ffff:169.254.169.254]')).toBe(
      'refused: ::ffff:a9fe:a9fe is an IPv4-mapped address of 169.254.169.254, a link-local address',
    );
    expect(await message('https://shop.private.test')).toBe('refused: shop.private.test resolves to 10.0.0.5, a private address');
    expect(await message('https://nowhere.test')).toBe('refused: nowhere.test does not resolve to any address');
  });

  it('a baseUrl that is not an http(s) URL without credentials is a 422 naming settings.baseUrl, never a 500', async () => {
    await putTenant(deps, 'acme', {});
    expect(malformedBaseUrls.length).toBeGreaterThan(0);
    for (const baseUrl of malformedBaseUrls) {
      const error = await refusal(saveConnection(deps, 'acme', { provider: 'woocommerce', settings: { baseUrl }, credentials }, 'shop'));
      expect(error.status).toBe(422);
      expect(error.issues.map((issue) => issue.path), JSON.stringify(baseUrl)).toContain('settings.baseUrl');
    }
    expect(await deps.store.read<Connection>('connections', 'acme', 'shop')).toBeUndefined();
    expect(secretWrites).toEqual([]);
  });

  it('a public store is saved, and a later update to an internal URL leaves it as it was', async () => {
    await putTenant(deps, 'acme', {});
    const saved = await saveConnection(deps, 'acme', { provider: 'woocommerce', settings: { baseUrl: 'https://shop.public.test' }, credentials }, 'shop');
    expect(saved.created).toBe(true);
    const writesBefore = secretWrites.length;
    await refusal(
      saveConnection(deps, 'acme', { provider: 'woocommerce', settings: { baseUrl: 'http://169.254.169.254' }, credentials: { consumerKey: 'ck_2_0000', consumerSecret: 'cs_2_0000' } }, 'shop'),
    );
    const stored = await deps.store.read<Connection>('connections', 'acme', 'shop');
    expect(stored?.settings).toMatchObject({ baseUrl: 'https://shop.public.test' });
    expect(secretWrites.length).toBe(writesBefore);
  });

  it('an alert URL must be a public http(s) URL: anything else is a 422 naming settings.alerts.url, and no tenant is stored', async () => {
    const urls = [
      'file:///etc/passwd',
      'not a url',
      '',
      'http:',
      'gopher://hooks.public.test/',
      'http://169.254.169.254/latest/meta-data/',
      'http://[::1]:9000/hook',
      'http://2130706433/hook',
      'https://hooks.user:secret@hooks.public.test/x',
      'https://shop.private.test/hook',
      'http://metadata.google.internal/',
    ];
    expect(urls.length).toBeGreaterThan(0);
    for (const url of urls) {
      const error = await refusal(putTenant(deps, 'acme', { settings: { alerts: { url }, alertSigningSecret: 'whsec_0123456789abcdef' } }));
      expect(error.issues.map((issue) => issue.path), JSON.stringify(url)).toContain('settings.alerts.url');
    }
    expect(await deps.store.read<Tenant>('tenants', 'acme', 'acme')).toBeUndefined();
    expect(secretWrites).toEqual([]);
  });

  it('a public alert URL is saved', async () => {
    const { tenant } = await putTenant(deps, 'acme', { settings: { alerts: { url: 'https://hooks.public.test/x' } } });
    expect(tenant.settings.alerts?.url).toBe('https://hooks.public.test/x');
  });
});
