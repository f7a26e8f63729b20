import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AdminClient } from '../../dev/adminClient.js';
import { startFakeQuickBooks, type FakeQuickBooks, type FakeQuickBooksRequest } from '../../dev/fakes/quickbooks/fakeQuickBooks.js';
import { QUICKBOOKS_BUILTIN_SCHEMAS } from '../../shared/connectors/quickbooks/quickBooksBuiltinSchemas.js';
import { ids } from '../../shared/core/ids.js';
import { apiClient } from './apiClient.js';
import { startHostProcess, type HostProcess } from './hostProcess.js';
import { eventually } from './eventually.js';

const CLIENT = { clientId: 'ABe2eQuickBooksClient', clientSecret: 'qb-e2e-client-secret' };
const VERIFIER_TOKEN = 'qb-e2e-webhook-verifier-token';
const DAY = 24 * 3600 * 1000;

/**
 * A `quickbooks` connection through the real host and the fake company: 10,000 records read by
 * the query language, increments and deletes from CDC, a SyncToken-guarded write-back, webhooks in
 * both formats, and CDC's 30-day reach.
 */
describe('a QuickBooks Online connection through the host', () => {
  const TENANT = 'books';
  const CONNECTION = 'company';
  const TASK = 'ledger';
  const COUNTS = { Customer: 5_000, Item: 1_000, Invoice: 4_000 } as const;
  const TOTAL = COUNTS.Customer + COUNTS.Item + COUNTS.Invoice;
  let host: HostProcess;
  let fake: FakeQuickBooks;
  let api: AdminClient;
  /** Added to the fake's clock: the company lives this far ahead of the host. */
  let shiftMs = 0;

  beforeAll(async () => {
    fake = await startFakeQuickBooks({ ...CLIENT, now: () => Date.now() + shiftMs });
    for (const [entity, n] of Object.entries(COUNTS)) fake.seed(entity as keyof typeof COUNTS, n);
    host = await startHostProcess({});
    api = apiClient(host.url, host.adminKey);
    await api.ok('PUT', `tenants/${TENANT}`, { name: 'QuickBooks tenant' });
  });
  afterAll(async () => {
    await host?.stop();
    await fake?.close();
  });

  const run = async (mode: 'full' | 'incremental') => {
    const accepted = await api.request('POST', `tenants/${TENANT}/tasks/${TASK}/executions`, { mode });
    expect(accepted.status).toBe(202);
    return api.waitForExecution(TENANT, accepted.body.executionId, { timeoutMs: 120_000 });
  };
  const shardsOf = async (shardType: string, externalId: string, deleted = false) =>
    (await api.ok('GET', `tenants/${TENANT}/shards?type=${shardType}&externalId=${externalId}&connectionId=${CONNECTION}&deleted=${deleted}`)).items;
  const shardOf = async (shardType: string, externalId: string) => {
    const items = await shardsOf(shardType, externalId);
    expect(items).toHaveLength(1);
    return items[0];
  };
  const count = async (shardType: string) => (await api.ok('GET', `tenants/${TENANT}/shards?type=${shardType}&count=true`)).count;
  const requestsSince = (since: number, predicate: (request: FakeQuickBooksRequest) => boolean = () => true) => fake.requests.slice(since).filter(predicate);
  const active = (entity: 'Customer' | 'Item') => fake.all(entity).filter((record) => record.Active !== false);

  it('saves the connection with the app and its refresh token, tested by one call, and a bidirectional task from the built-in schemas', async () => {
    const saved = await api.request('PUT', `tenants/${TENANT}/connections/${CONNECTION}`, {
      provider: 'quickbooks',
      name: 'QuickBooks company (fake)',
      settings: { realmId: fake.realmId, baseUrl: fake.url, tokenUrl: fake.tokenUrl },
      credentials: { ...CLIENT, refreshToken: fake.issueTokens().refresh_token },
      webhookSecret: VERIFIER_TOKEN,
      webhooks: { coalesceWindowMs: 0 },
    });
    expect(saved.status).toBe(201);
    expect(saved.body).toMatchObject({ provider: 'quickbooks', hasCredentials: true, connectionTest: { ok: true } });
    expect(JSON.stringify(saved.body)).not.toContain(CLIENT.clientSecret);
    expect(JSON.stringify(saved.body)).not.toContain(VERIFIER_TOKEN);
    for (const stream of ['customers', 'items', 'invoices'] as const) {
      await api.ok('PUT', `tenants/${TENANT}/schemas/quickbooks-${stream}`, { name: `QuickBooks ${stream}`, ...QUICKBOOKS_BUILTIN_SCHEMAS[`quickbooks/${stream}`] });
    }
    await api.ok('PUT', `tenants/${TENANT}/tasks/${TASK}`, {
      connectionId: CONNECTION,
      direction: 'bidirectional',
      streams: ['customers', 'items', 'invoices'].map((stream) => ({ stream, schemaId: `quickbooks-${stream}` })),
    });
  });

  it('a full run reads all 10,000 records by the query language and creates a shard per record', { timeout: 150_000 }, async () => {
    const before = fake.requests.length;
    const view = await run('full');
    expect(view).toMatchObject({ status: 'success', counts: { fetched: TOTAL, failed: 0 } });
    expect(view.streams.customers).toMatchObject({ counts: { fetched: COUNTS.Customer }, read: { kind: 'full' } });
    expect(await count('customer')).toBe(COUNTS.Customer);
    expect(await count('product')).toBe(COUNTS.Item);
    expect(await count('invoice')).toBe(COUNTS.Invoice);
    const calls = requestsSince(before);
    expect(calls.filter((call) => call.path.endsWith('/cdc'))).toEqual([]);
    expect(calls.filter((call) => call.status !== 200)).toEqual([]);
    expect(calls.every((call) => call.query.minorversion === '75')).toBe(true);

    const customer = fake.all('Customer')[123]!;
    expect((await shardOf('customer', customer.Id)).data).toMatchObject({
      externalId: customer.Id,
      email: (customer.PrimaryEmailAddr as { Address: string }).Address,
      displayName: customer.DisplayName,
      sourceModifiedAt: new Date(customer.MetaData.LastUpdatedTime).toISOString(),
    });
    const invoice = fake.all('Invoice')[77]!;
    expect((await shardOf('invoice', invoice.Id)).data).toMatchObject({ number: invoice.DocNumber, total: invoice.TotalAmt, customerExternalId: (invoice.CustomerRef as { value: string }).value });
  });

  it('an incremental run asks CDC only, takes the changes and marks deactivated customers and deleted invoices as tombstones', { timeout: 60_000 }, async () => {
    const customers = fake.all('Customer');
    const changed = [customers[0]!, customers[2_500]!, customers[4_999]!];
    for (const record of changed) fake.update('Customer', record.Id, { GivenName: `Renamed ${record.Id}` });
    const item = fake.all('Item')[10]!;
    fake.update('Item', item.Id, { UnitPrice: 999 });
    const deactivated = customers[42]!;
    fake.update('Customer', deactivated.Id, { Active: false });
    const removed = fake.all('Invoice').slice(5, 8);
    for (const invoice of removed) fake.remove('Invoice', invoice.Id);

    const before = fake.requests.length;
    const view = await run('incremental');
    expect(view).toMatchObject({ status: 'success', counts: { updated: changed.length + 1, created: 0, deleted: 1 + removed.length, failed: 0 } });
    for (const stream of ['customers', 'items', 'invoices']) expect(view.streams[stream].read).toEqual({ kind: 'incremental', reason: null });
    const calls = requestsSince(before);
    expect(calls.length).toBeGreaterThanOrEqual(3);
    expect(calls.map((call) => `${call.method} ${call.path.split('/').pop()} ${call.query.entities}`).sort()).toEqual(['GET cdc Customer', 'GET cdc Invoice', 'GET cdc Item']);
    for (const record of changed) expect((await shardOf('customer', record.Id)).data.firstName).toBe(`Renamed ${record.Id}`);
    expect((await shardOf('product', item.Id)).data.price).toBe(999);
    expect(await shardsOf('customer', deactivated.Id)).toEqual([]);
    expect(await shardsOf('customer', deactivated.Id, true)).toHaveLength(1);
    for (const invoice of removed) expect(await shardsOf('invoice', invoice.Id, true)).toHaveLength(1);
    expect(await count('customer')).toBe(COUNTS.Customer - 1);
    expect(await count('invoice')).toBe(COUNTS.Invoice - removed.length);
  });

  it('a shard edit is written back as a sparse update carrying the SyncToken last read, without reading first', { timeout: 30_000 }, async () => {
    const target = active('Customer')[7]!;
    const shard = await shardOf('customer', target.Id);
    const before = fake.requests.length;
    const edited = await api.request('PATCH', `tenants/${TENANT}/shards/${shard.id}`, { data: { lastName: 'Written Back' } });
    expect(edited.status).toBe(200);
    await eventually(async () => fake.get('Customer', target.Id)?.FamilyName === 'Written Back', 10_000, 'the edit did not reach the company');
    expect(fake.get('Customer', target.Id)).toMatchObject({ SyncToken: String(Number(target.SyncToken) + 1), DisplayName: target.DisplayName, GivenName: target.GivenName });
    const writes = requestsSince(before, (request) => request.path.endsWith('/customer'));
    expect(writes.map((request) => `${request.method} ${request.status}`)).toEqual(['POST 200']);

    const view = await run('incremental');
    expect(view).toMatchObject({ status: 'success', counts: { updated: 0, created: 0, conflicts: 0, failed: 0 } });
  });

  it('a customer changed in QuickBooks after its last read meets the stale SyncToken (Fault 5010): both edits are kept', { timeout: 30_000 }, async () => {
    const target = active('Customer')[8]!;
    const shard = await shardOf('customer', target.Id);
    fake.update('Customer', target.Id, { GivenName: 'Changed In QuickBooks' });
    const before = fake.requests.length;
    const edited = await api.request('PATCH', `tenants/${TENANT}/shards/${shard.id}`, { data: { lastName: 'Changed Here' } });
    expect(edited.status).toBe(200);
    await eventually(async () => fake.get('Customer', target.Id)?.FamilyName === 'Changed Here', 15_000, 'the edit did not reach the company');
    expect(fake.get('Customer', target.Id)?.GivenName).toBe('Changed In QuickBooks');
    const writes = requestsSince(before, (request) => request.path.endsWith('/customer'));
    expect(writes.map((request) => request.status)).toEqual([400, 200]);
    await eventually(async () => (await shardOf('customer', target.Id)).data.firstName === 'Changed In QuickBooks', 10_000, "the shard did not take QuickBooks' change");
    expect((await api.ok('GET', `tenants/${TENANT}/conflicts?status=open`)).items).toEqual([]);
  });

  it('signed webhooks in the legacy and the CloudEvents format reach their shards; a forged one is 401', { timeout: 30_000 }, async () => {
    const hookUrl = `${host.url}/api/webhooks/${TENANT}/${CONNECTION}`;
    const [legacy, cloud] = [active('Customer')[20]!, active('Customer')[21]!];
    fake.update('Customer', legacy.Id, { GivenName: 'Hooked Legacy' });
    fake.update('Customer', cloud.Id, { GivenName: 'Hooked Cloud' });
    const deleted = fake.all('Invoice')[30]!;
    fake.remove('Invoice', deleted.Id);
    expect(
      await fake.sendWebhook(hookUrl, {
        verifierToken: VERIFIER_TOKEN,
        format: 'legacy',
        entities: [
          { name: 'Customer', id: legacy.Id, operation: 'Update' },
          { name: 'Invoice', id: deleted.Id, operation: 'Delete' },
        ],
      }),
    ).toBe(202);
    expect(await fake.sendWebhook(hookUrl, { verifierToken: VERIFIER_TOKEN, format: 'cloudevents', entities: [{ name: 'Customer', id: cloud.Id, operation: 'Update' }] })).toBe(202);
    await eventually(async () => (await shardOf('customer', legacy.Id)).data.firstName === 'Hooked Legacy', 10_000, 'the legacy event did not land');
    await eventually(async () => (await shardOf('customer', cloud.Id)).data.firstName === 'Hooked Cloud', 10_000, 'the CloudEvents event did not land');
    await eventually(async () => (await shardsOf('invoice', deleted.Id, true)).length === 1, 10_000, 'the deleted invoice did not become a tombstone');

    const forged = await fake.sendWebhook(hookUrl, { verifierToken: 'not-the-verifier', format: 'legacy', entities: [{ name: 'Customer', id: legacy.Id, operation: 'Update' }] });
    expect(forged).toBe(401);
  });

  it('an incremental run 31 days after the last one is refused by CDC and reads in full instead, reason shown, counts exact', { timeout: 150_000 }, async () => {
    shiftMs = 31 * DAY;
    const before = fake.requests.length;
    const view = await run('incremental');
    const live = { customers: active('Customer').length, items: active('Item').length, invoices: fake.all('Invoice').length };
    expect(view).toMatchObject({ status: 'success', counts: { fetched: live.customers + live.items + live.invoices, created: 0, failed: 0 } });
    for (const stream of ['customers', 'items', 'invoices']) expect(view.streams[stream].read).toEqual({ kind: 'full', reason: 'state_expired' });
    const cdc = requestsSince(before, (request) => request.path.endsWith('/cdc'));
    // Every token was an hour old at the company's clock: refreshed once (401), then CDC refused each stream.
    expect(cdc.map((request) => request.status).filter((status) => status !== 401)).toEqual([400, 400, 400]);
    expect(await count('customer')).toBe(live.customers);
  });
});

/**
 * Two host processes, four workers each, share one data directory and one QuickBooks connection
 * whose access tokens live two seconds and are also killed at random moments, at a token endpoint
 * whose refresh tokens are single-use. A lost or twice-spent refresh token ends the sync for good.
 */
describe('QuickBooks token rotation across two host processes', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'shardsync-qbo-rotation-'));
  const hosts: HostProcess[] = [];
  let fake: FakeQuickBooks | undefined;
  afterAll(async () => {
    for (const host of hosts) await host.stop();
    await fake?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const storedRefreshToken = () => {
    const secrets = JSON.parse(readFileSync(join(dataDir, 'secrets.json'), 'utf8')) as Record<string, string>;
    return (JSON.parse(secrets[ids.secretForConnection('rot', 'qbo')] ?? '{}') as { refreshToken?: string }).refreshToken;
  };

  it('every refresh is honoured and the one live refresh token is the stored one, run after run', { timeout: 240_000 }, async () => {
    const company = await startFakeQuickBooks({ ...CLIENT, accessTokenTtlSeconds: 2, latencyMs: 15 });
    fake = company;
    company.seed('Customer', 1_500);
    company.seed('Item', 300);
    company.seed('Invoice', 1_200);
    const env = { SHARDSYNC_DATA_DIR: dataDir, AzureFunctionsJobHost__extensions__serviceBus__maxConcurrentCalls: '4' };
    hosts.push(await startHostProcess(env), await startHostProcess(env));
    const [a, b] = hosts.map((host) => apiClient(host.url, host.adminKey)) as [AdminClient, AdminClient];
    await a.ok('PUT', 'tenants/rot', { name: 'QuickBooks rotation' });
    const saved = await a.ok('PUT', 'tenants/rot/connections/qbo', {
      provider: 'quickbooks',
      settings: { realmId: company.realmId, baseUrl: company.url, tokenUrl: company.tokenUrl },
      credentials: { ...CLIENT, refreshToken: company.issueTokens().refresh_token },
      protection: { requestsPerMinute: 450 },
    });
    expect(saved.connectionTest).toMatchObject({ ok: true });
    for (const stream of ['customers', 'items', 'invoices'] as const) await a.ok('PUT', `tenants/rot/schemas/${stream}`, QUICKBOOKS_BUILTIN_SCHEMAS[`quickbooks/${stream}`]);
    await a.ok('PUT', 'tenants/rot/tasks/all', {
      connectionId: 'qbo',
      streams: ['customers', 'items', 'invoices'].map((stream) => ({ stream, schemaId: stream })),
      defaults: { batchSize: 20 },
    });

    // Forced expiry on top of the 2-second lifetime: every token in flight dies at once, now and then.
    const killer = setInterval(() => company.expireAccessTokens(), 1_300);
    try {
      const started = Date.now();
      const first = await a.ok('POST', 'tenants/rot/tasks/all/executions', { mode: 'full' });
      const view = await b.waitForExecution('rot', first.executionId, { timeoutMs: 180_000 });
      const durationMs = Date.now() - started;
      expect(view).toMatchObject({ status: 'success', counts: { fetched: 3_000, failed: 0 } });
      console.info(`QuickBooks rotation: 3,000 records in ${durationMs} ms, ${company.tokenCounts.refreshes} refreshes, ${company.requests.filter((r) => r.status === 401).length} calls answered 401`);
      expect(durationMs).toBeGreaterThan(3 * 2_000);
      expect(company.tokenCounts.refreshes).toBeGreaterThanOrEqual(3);
      expect(company.tokenCounts.refusedGrants).toBe(0);
      expect(company.liveRefreshTokens()).toEqual([storedRefreshToken()]);

      const second = await b.ok('POST', 'tenants/rot/tasks/all/executions', { mode: 'full' });
      expect(await a.waitForExecution('rot', second.executionId, { timeoutMs: 180_000 })).toMatchObject({ status: 'success', counts: { fetched: 3_000, unchanged: 3_000, failed: 0 } });
    } finally {
      clearInterval(killer);
    }
    expect(company.tokenCounts.refusedGrants).toBe(0);
    expect(company.liveRefreshTokens()).toEqual([storedRefreshToken()]);
    for (const host of hosts) expect(host.output()).not.toContain('ERROR');
  });
});
