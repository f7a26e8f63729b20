import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeOdoo, type FakeOdoo, type FakeOdooRequest } from '../../dev/fakes/odoo/fakeOdoo.js';
import type { AdminClient } from '../../dev/adminClient.js';
import { ODOO_BUILTIN_SCHEMAS } from '../../shared/connectors/odoo/odooBuiltinSchemas.js';
import { startHostProcess, type HostProcess } from './hostProcess.js';
import { apiClient } from './apiClient.js';

/**
 * An `odoo` connection (JSON-2) through the real host and the fake: a full read of 10,000
 * partners, an incremental read of the changes only (a write_date domain), write-backs under the
 * check-then-write rule (write_date read and compared first), and deletes: an archived partner
 * (read with `active: false`) and an unlinked one (absent from a full read) both become tombstones.
 * Last, a JSON-RPC connection to an older server (a second fake) syncs and writes back the same way.
 */
const API_KEY = 'odoo_e2e_api_key_0123456789abcdef';
const DATABASE = 'acme';
const TENANT = 'erp';
const CONNECTION = 'odoo-main';
const TASK = 'partners';
const PARTNERS = 10_000;

describe('an Odoo connection through the host', () => {
  let host: HostProcess;
  let fake: FakeOdoo;
  let api: AdminClient;

  beforeAll(async () => {
    fake = await startFakeOdoo({ apiKey: API_KEY, database: DATABASE });
    fake.seed('res.partner', PARTNERS);
    host = await startHostProcess({});
    api = apiClient(host.url, host.adminKey);
    await api.ok('PUT', `tenants/${TENANT}`, { name: 'Odoo tenant' });
  });
  afterAll(async () => {
    await host?.stop();
    await fake?.close();
  });

  const run = async (mode: 'full' | 'incremental', task = TASK) => {
    const accepted = await api.request('POST', `tenants/${TENANT}/tasks/${task}/executions`, { mode });
    expect(accepted.status).toBe(202);
    return api.waitForExecution(TENANT, accepted.body.executionId, { timeoutMs: 120_000 });
  };
  const shardsOf = async (id: number, deleted = false, connection = CONNECTION) =>
    (await api.ok('GET', `tenants/${TENANT}/shards?type=customer&externalId=${id}&connectionId=${connection}&deleted=${deleted}`)).items;
  const shardOf = async (id: number, connection = CONNECTION) => {
    const items = await shardsOf(id, false, connection);
    expect(items).toHaveLength(1);
    return items[0];
  };
  const count = async () => (await api.ok('GET', `tenants/${TENANT}/shards?type=customer&count=true`)).count;
  const requestsSince = (since: number, predicate: (request: FakeOdooRequest) => boolean) => fake.requests.slice(since).filter(predicate);
  const isSearch = (request: FakeOdooRequest) => request.call === 'res.partner.search_read';
  const callsOn = (since: number, id: number, requests = fake.requests) =>
    requests.slice(since).filter((request) => request.model === 'res.partner' && request.method !== 'search_read' && JSON.stringify(request.args.ids) === `[${id}]`).map((request) => `${request.method} ${request.status}`);
  const until = async (check: () => boolean | Promise<boolean>, what: string, timeoutMs = 15_000) => {
    const deadline = Date.now() + timeoutMs;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error(`${what} within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };

  it('saves the connection with its API key (never shown again) and a bidirectional task from the built-in schema', async () => {
    const saved = await api.request('PUT', `tenants/${TENANT}/connections/${CONNECTION}`, {
      provider: 'odoo',
      name: 'Odoo (fake)',
      settings: { baseUrl: fake.url, api: 'json2', database: DATABASE },
      credentials: { apiKey: API_KEY },
    });
    expect(saved.status).toBe(201);
    expect(saved.body).toMatchObject({ provider: 'odoo', hasCredentials: true, connectionTest: { ok: true } });
    expect(JSON.stringify(saved.body)).not.toContain(API_KEY);
    await api.ok('PUT', `tenants/${TENANT}/schemas/odoo-partners`, { name: 'Odoo partners', ...ODOO_BUILTIN_SCHEMAS['odoo/partners'] });
    await api.ok('PUT', `tenants/${TENANT}/tasks/${TASK}`, { connectionId: CONNECTION, direction: 'bidirectional', streams: [{ stream: 'partners', schemaId: 'odoo-partners' }] });
  });

  it('a full run reads all 10,000 partners by offset pages of search_read', { timeout: 150_000 }, async () => {
    const before = fake.requests.length;
    const startedAt = Date.now();
    const view = await run('full');
    const tookMs = Date.now() - startedAt;
    expect(view).toMatchObject({ status: 'success', counts: { fetched: PARTNERS, created: PARTNERS, failed: 0 } });
    expect(await count()).toBe(PARTNERS);
    const searches = requestsSince(before, isSearch);
    expect(searches.length).toBeGreaterThanOrEqual(PARTNERS / 500);
    expect(searches.every((request) => request.status === 200 && request.api === 'json2' && request.database === DATABASE)).toBe(true);
    expect(searches.every((request) => request.args.order === 'id asc' && JSON.stringify(request.args.domain) === '[]')).toBe(true);
    // One page after the other, each `limit` further on, the last one short.
    const limit = searches[0]!.args.limit as number;
    expect(limit).toBeGreaterThan(0);
    expect(searches.map((request) => request.args.offset)).toEqual(searches.map((_, index) => index * limit));
    console.info(`odoo e2e: full run of ${PARTNERS} partners in ${searches.length} search_read calls took ${tookMs} ms`);

    const partner = fake.get('res.partner', 1234)!;
    expect((await shardOf(1234)).data).toMatchObject({ externalId: 1234, email: partner.email, displayName: partner.name, phone: partner.phone });
  });

  it('an incremental run fetches only the partners written since, by a write_date domain', { timeout: 60_000 }, async () => {
    const changed = [1, 5_000, 9_999];
    for (const id of changed) fake.update('res.partner', id, { email: `moved.${id}@example.org` });
    const before = fake.requests.length;
    const view = await run('incremental');
    expect(view).toMatchObject({ status: 'success', counts: { updated: changed.length, created: 0, failed: 0 } });
    expect(view.streams.partners.read).toEqual({ kind: 'incremental', reason: null });
    // The second of the last record read is asked again (`>` a second earlier): a few unchanged ones at most.
    expect(view.counts.fetched).toBeGreaterThanOrEqual(changed.length);
    expect(view.counts.fetched).toBeLessThan(changed.length + 10);
    const searches = requestsSince(before, isSearch);
    expect(searches).toHaveLength(1);
    expect(searches[0]!.args).toMatchObject({ domain: [['write_date', '>', expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/)]], order: 'write_date asc, id asc' });
    for (const id of changed) expect((await shardOf(id)).data.email).toBe(`moved.${id}@example.org`);
  });

  it('a shard edit is written back after reading the partner and comparing write_date', { timeout: 30_000 }, async () => {
    const shard = await shardOf(7);
    const before = fake.requests.length;
    const edited = await api.request('PATCH', `tenants/${TENANT}/shards/${shard.id}`, { data: { phone: '+32 2 555 0007' } });
    expect(edited.status).toBe(200);
    await until(() => fake.get('res.partner', 7)?.phone === '+32 2 555 0007', 'the edit did not reach Odoo');
    await until(() => callsOn(before, 7).length === 3, 'the write was not read back');
    expect(callsOn(before, 7)).toEqual(['read 200', 'write 200', 'read 200']);
    expect(requestsSince(before, (request) => request.method === 'write')[0]!.args).toMatchObject({ ids: [7], vals: { phone: '+32 2 555 0007' } });
    expect(fake.get('res.partner', 7)).toMatchObject({ name: 'Partner 7', email: 'partner7@example.com' });
  });

  it('the same field edited in Odoo since the last read is not overwritten: the write_date check makes it a conflict', { timeout: 30_000 }, async () => {
    const shard = await shardOf(12);
    // A second later than anything the shard saw, so write_date differs from the one kept.
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    fake.update('res.partner', 12, { phone: '+32 2 555 0001' });
    const before = fake.requests.length;
    const edited = await api.request('PATCH', `tenants/${TENANT}/shards/${shard.id}`, { data: { phone: '+32 2 555 0002' } });
    expect(edited.status).toBe(200);
    await until(async () => (await api.ok('GET', `tenants/${TENANT}/conflicts?status=open`)).items.length === 1, 'no conflict was opened');
    const [conflict] = (await api.ok('GET', `tenants/${TENANT}/conflicts?status=open`)).items;
    expect(conflict).toMatchObject({ shardId: shard.id, path: 'phone', local: '+32 2 555 0002', remote: '+32 2 555 0001' });
    expect(callsOn(before, 12).every((call) => call.startsWith('read'))).toBe(true);
    expect(callsOn(before, 12).length).toBeGreaterThan(0);
    expect(fake.get('res.partner', 12)?.phone).toBe('+32 2 555 0001');
  });

  it('a partner archived in Odoo is read (active_test false) and tombstoned by the next incremental run', { timeout: 60_000 }, async () => {
    fake.archive('res.partner', 42);
    const view = await run('incremental');
    expect(view).toMatchObject({ status: 'success', counts: { deleted: 1, failed: 0 } });
    expect(await shardsOf(42)).toEqual([]);
    expect(await shardsOf(42, true)).toHaveLength(1);
  });

  it('a partner unlinked in Odoo is absent from the next full run, which tombstones it by comparing ids', { timeout: 150_000 }, async () => {
    fake.unlink('res.partner', 43);
    const view = await run('full');
    // 42 is archived (tombstoned by an earlier run, not counted again) and 43 gone.
    expect(view).toMatchObject({ status: 'success', counts: { deleted: 1, failed: 0 } });
    expect(view.counts.fetched).toBe(PARTNERS - 2);
    expect(await shardsOf(43)).toEqual([]);
    expect(await shardsOf(43, true)).toHaveLength(1);
    expect(await shardsOf(42, true)).toHaveLength(1);
    expect(await count()).toBe(PARTNERS - 2);
  });

  it('a JSON-RPC connection (an older server) authenticates once per connector, reads, and writes back the same way', { timeout: 60_000 }, async () => {
    const legacy = await startFakeOdoo({ apiKey: API_KEY, database: 'legacy', login: 'sync@legacy.test', uid: 9 });
    try {
      legacy.seed('res.partner', 300);
      const saved = await api.request('PUT', `tenants/${TENANT}/connections/odoo-legacy`, {
        provider: 'odoo',
        name: 'Odoo 16 (fake)',
        settings: { baseUrl: legacy.url, api: 'jsonrpc', database: 'legacy', login: 'sync@legacy.test' },
        credentials: { apiKey: API_KEY },
      });
      expect(saved.status).toBe(201);
      expect(saved.body).toMatchObject({ connectionTest: { ok: true } });
      await api.ok('PUT', `tenants/${TENANT}/tasks/legacy-partners`, { connectionId: 'odoo-legacy', direction: 'bidirectional', streams: [{ stream: 'partners', schemaId: 'odoo-partners' }] });
      const view = await run('full', 'legacy-partners');
      expect(view).toMatchObject({ status: 'success', counts: { fetched: 300, created: 300, failed: 0 } });
      const searches = legacy.requests.filter((request) => request.call === 'res.partner.search_read');
      const logins = legacy.requests.filter((request) => request.call === 'common.authenticate');
      expect(searches.length).toBeGreaterThan(1);
      expect(searches.every((request) => request.api === 'jsonrpc' && request.status === 200 && request.error === undefined)).toBe(true);
      console.info(`odoo e2e: JSON-RPC full run of 300 partners: ${searches.length} search_read calls, ${logins.length} common.authenticate calls`);
      // Once per connector (the connection test's and the run's, or one shared), never once per call.
      expect(searches.length).toBeGreaterThanOrEqual(4);
      expect(logins.length).toBeGreaterThan(0);
      expect(logins.length).toBeLessThanOrEqual(2);

      const shard = await shardOf(5, 'odoo-legacy');
      const before = legacy.requests.length;
      const edited = await api.request('PATCH', `tenants/${TENANT}/shards/${shard.id}`, { data: { phone: '+32 2 555 0005' } });
      expect(edited.status).toBe(200);
      await until(() => legacy.get('res.partner', 5)?.phone === '+32 2 555 0005', 'the edit did not reach the JSON-RPC server');
      await until(() => callsOn(before, 5, legacy.requests).length === 3, 'the write was not read back');
      expect(callsOn(before, 5, legacy.requests)).toEqual(['read 200', 'write 200', 'read 200']);
    } finally {
      await legacy.close();
    }
  });
});
