import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type SqliteDatabase } from '../../shared/adapters/embedded/sqliteDatabase.js';
import { DnsServerHostResolver } from '../../shared/adapters/network/dnsServerHostResolver.js';
import { DestinationRefusedError } from '../../shared/connectors/http/destinationRefusedError.js';
import { OutboundGuard } from '../../shared/connectors/http/outboundGuard.js';
import { ProviderUnavailableError } from '../../shared/connectors/providerUnavailableError.js';
import { wooCommerceProvider } from '../../shared/connectors/woocommerce/wooCommerceProvider.js';
import type { ProviderDefinition } from '../../shared/connectors/providerDefinition.js';
import type { AlertEvent } from '../../shared/core/operations/alertPayload.js';
import { parseOutboundAllowList } from '../../shared/core/security/outboundAllowList.js';
import { syncPageMessage, syncStartMessage } from '../../shared/core/schemas/messages.js';
import { saveConnection } from '../../shared/sync/resources/connections.js';
import { saveConversionSchema } from '../../shared/sync/resources/conversionSchemas.js';
import { classifyProviderError } from '../../shared/sync/failures/errorClassification.js';
import { getExecution } from '../../shared/sync/executions/executionQueries.js';
import { listFailures } from '../../shared/sync/queries/failureQueries.js';
import { fetchPage } from '../../shared/sync/pages/fetchPage.js';
import { sendAlert } from '../../shared/sync/operations/sendAlert.js';
import { startExecution } from '../../shared/sync/executions/startExecution.js';
import { admitExecution } from '../../shared/sync/executions/admitExecution.js';
import { saveSyncTask } from '../../shared/sync/resources/syncTasks.js';
import type { Logger } from '../../shared/sync/syncDeps.js';
import { putTenant } from '../../shared/sync/tenants/tenants.js';
import { startFakeDnsServer, type FakeDnsServer } from '../../dev/fakes/fakeDnsServer.js';
import { DEMO_SCHEMAS } from '../../dev/demoSetup.js';
import { embeddedDeps } from '../unit/sync/embeddedDeps.js';

const credentials = { consumerKey: 'ck_connect', consumerSecret: 'cs_connect' };
const publicAddress = '93.184.216.34';

/**
 * WooCommerce connectors as the engine builds them, except that the test a save makes answers
 * without calling: at save the store's name still resolves to a public address, which tests must
 * not reach. The run's connection is what these tests are about.
 */
const untestedAtSave: ProviderDefinition = {
  ...wooCommerceProvider,
  create: (settings, given, context) => {
    const connector = wooCommerceProvider.create(settings, given, context);
    return {
      provider: connector.provider,
      streams: () => connector.streams(),
      listPage: (request) => connector.listPage(request),
      testConnection: async () => {},
      close: async () => connector.close?.(),
    };
  },
};

/**
 * Stands where an internal service would: counts every TCP connection it gets, and answers any
 * request as an empty WooCommerce list, so an allowed request succeeds.
 */
class CountingListener {
  connections = 0;
  private readonly server: Server = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'application/json', 'x-wp-total': '0', 'x-wp-totalpages': '0' }).end('[]');
  });

  async start(): Promise<number> {
    this.server.on('connection', () => (this.connections += 1));
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return (this.server.address() as AddressInfo).port;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

let dns: FakeDnsServer;
let listener: CountingListener;
let port: number;
let db: SqliteDatabase;

beforeEach(async () => {
  dns = await startFakeDnsServer();
  listener = new CountingListener();
  port = await listener.start();
  db = openDatabase(':memory:');
});

afterEach(async () => {
  db.close();
  await listener.close();
  await dns.close();
});

/** A guard resolving through the DNS stub; `allow` as in SHARDSYNC_OUTBOUND_ALLOW. */
const guard = (allow = '') => new OutboundGuard(parseOutboundAllowList(allow).allowList, new DnsServerHostResolver([dns.server]));

/** A WooCommerce connector as the engine builds it, for a store URL however it got saved. */
function connectorTo(baseUrl: string, outbound: OutboundGuard) {
  return wooCommerceProvider.create({ baseUrl, timeoutMs: 2_000 }, credentials, { outbound });
}

const firstPage = { stream: 'customers', page: 1, perPage: 10 };

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => expect.fail('expected a rejection'),
    (error: unknown) => error,
  );
}

describe('destinations are checked again when connecting', () => {
  it('a store name that rebinds from a public to a loopback address fails the run at once, and nothing connects', async () => {
    dns.setAddresses('shop.rebind.test', [publicAddress]);
    const deps = embeddedDeps(db, { providers: [untestedAtSave], outbound: guard() });
    await putTenant(deps, 'acme', {});
    const saved = await saveConnection(deps, 'acme', { provider: 'woocommerce', settings: { baseUrl: `http://shop.rebind.test:${port}` }, credentials }, 'shop');
    expect(saved.created).toBe(true);
    await saveConversionSchema(deps, 'acme', DEMO_SCHEMAS.customers, 'customers');
    await saveSyncTask(deps, 'acme', { connectionId: 'shop', streams: [{ stream: 'customers', schemaId: 'customers' }] }, 'task');

    dns.setAddresses('shop.rebind.test', ['127.0.0.1']);
    const queriesBefore = dns.queries.length;
    const { execution } = await startExecution(deps, 'acme', 'task', {});
    for (const message of await deps.bus.receive('sync-start', 10)) {
      await admitExecution(deps, syncStartMessage.parse(message.body), { messageId: message.messageId });
      await deps.bus.complete('sync-start', message.lockToken);
    }
    const pages = await deps.bus.receive('sync-page', 10);
    expect(pages).toHaveLength(1);
    for (const message of pages) {
      await fetchPage(deps, syncPageMessage.parse(message.body), { messageId: message.messageId });
      await deps.bus.complete('sync-page', message.lockToken);
    }

    expect(dns.queries.slice(queriesBefore).map((query) => query.name)).toContain('shop.rebind.test');
    expect(listener.connections).toBe(0);
    expect((await getExecution(deps, 'acme', execution.id)).status).toBe('failed');
    const failures = await listFailures(deps, 'acme', { executionId: execution.id });
    expect(failures.items).toHaveLength(1);
    expect(failures.items[0]).toMatchObject({
      stage: 'fetch',
      attempts: 1,
      message: expect.stringContaining('outbound connection refused: shop.rebind.test resolves to 127.0.0.1, a loopback address'),
    });
    expect(JSON.stringify(failures.items)).not.toContain(credentials.consumerSecret);
  });

  it('with 127.0.0.1 allowed the same name connects, to the address the guard resolved', async () => {
    // Only the DNS stub knows this name (.test is reserved), so reaching the listener proves the
    // socket went to the address the guard checked, not to one net.connect looked up itself.
    dns.setAddresses('shop.rebind.test', ['127.0.0.1']);
    const connector = connectorTo(`http://shop.rebind.test:${port}`, guard('127.0.0.1'));
    try {
      await expect(connector.listPage(firstPage)).resolves.toMatchObject({ records: [], totalRecords: 0 });
      expect(listener.connections).toBe(1);
    } finally {
      await connector.close?.();
    }
  });

  it('every address a name resolves to is checked, not only the one connected to', async () => {
    dns.setAddresses('shop.mixed.test', ['127.0.0.1', '10.0.0.5']);
    const connector = connectorTo(`http://shop.mixed.test:${port}`, guard('127.0.0.1'));
    try {
      const error = await rejection(connector.listPage(firstPage));
      expect(error).toBeInstanceOf(DestinationRefusedError);
      expect((error as Error).message).toBe('outbound connection refused: shop.mixed.test resolves to 10.0.0.5, a private address');
      expect(listener.connections).toBe(0);
    } finally {
      await connector.close?.();
    }
  });

  it('IP-literal hosts, which skip any lookup, and refused names are refused when connecting, as a permanent error', async () => {
    // Each would reach the listener (0.0.0.0 connects to this host too) if it were let through.
    const literals: Array<[string, string]> = [
      [`http://127.0.0.1:${port}`, '127.0.0.1 is a loopback address'],
      [`http://127.1:${port}`, '127.0.0.1 is a loopback address'],
      [`http://2130706433:${port}`, '127.0.0.1 is a loopback address'],
      [`http://0x7f000001:${port}`, '127.0.0.1 is a loopback address'],
      [`http://0.0.0.0:${port}`, '0.0.0.0 is the unspecified address'],
      [`http://[::ffff:127.0.0.1]:${port}`, '::ffff:7f00:1 is an IPv4-mapped address of 127.0.0.1, a loopback address'],
      [`http://[::127.0.0.1]:${port}`, '::7f00:1 is an IPv4-compatible address of 127.0.0.1, a loopback address'],
      [`http://localhost:${port}`, 'localhost is a name under .localhost, which is for local networks'],
      [`http://metadata.google.internal:${port}`, 'metadata.google.internal is a cloud metadata host name'],
    ];
    expect(literals.length).toBeGreaterThan(0);
    for (const [baseUrl, reason] of literals) {
      const connector = connectorTo(baseUrl, guard());
      try {
        const error = await rejection(connector.listPage(firstPage));
        expect(error, baseUrl).toBeInstanceOf(DestinationRefusedError);
        expect((error as Error).message).toBe(`outbound connection refused: ${reason}`);
        expect(classifyProviderError(error)).toEqual({ kind: 'permanent', name: 'DestinationRefusedError' });
      } finally {
        await connector.close?.();
      }
    }
    expect(listener.connections).toBe(0);
  });

  it('a name that stops resolving is a network error the engine retries, not a refusal', async () => {
    const connector = connectorTo(`http://gone.test:${port}`, guard());
    try {
      const error = await rejection(connector.listPage(firstPage));
      expect(error).toBeInstanceOf(ProviderUnavailableError);
      expect(error).toMatchObject({ code: 'ENOTFOUND' });
      expect(classifyProviderError(error)?.kind).toBe('recoverable');
    } finally {
      await connector.close?.();
    }
  });

  it('an alert URL that rebinds to loopback is neither posted nor retried', async () => {
    dns.setAddresses('hooks.rebind.test', [publicAddress]);
    const warnings: Array<Record<string, unknown> | undefined> = [];
    const log: Logger = { info: () => {}, warn: (_message, fields) => void warnings.push(fields), error: () => {} };
    const deps = embeddedDeps(db, { outbound: guard(), log });
    await putTenant(deps, 'acme', { settings: { alerts: { url: `http://hooks.rebind.test:${port}/hook` } } });
    dns.setAddresses('hooks.rebind.test', ['127.0.0.1']);

    const event: AlertEvent = { type: 'execution.failed', tenantId: 'acme', occurredAt: new Date().toISOString(), executionId: 'exe_1', taskId: 'task' };
    const delivery = await sendAlert(deps, event, { sleep: async () => {} });
    expect(delivery).toEqual({ delivered: false, attempts: 1 });
    expect(warnings.at(-1)).toMatchObject({ error: 'destination_refused' });
    expect(listener.connections).toBe(0);
    await deps.outbound.close();
  });
});
