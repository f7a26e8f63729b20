import odooModule from '@fernandoslim/odoo-jsonrpc';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeOdoo, type FakeOdoo } from '../../dev/fakes/odoo/fakeOdoo.js';

/** Node's ESM loader hands over the CommonJS exports object, vitest its `default`: either way, the class. */
const OdooJSONRpc = ((odooModule as { default?: unknown }).default ?? odooModule) as typeof odooModule.default;
type OdooClient = InstanceType<typeof OdooJSONRpc>;

/**
 * The fake Odoo driven by a client written for the real one: `@fernandoslim/odoo-jsonrpc` 2.0.2
 * (JSON-RPC: `common.authenticate`, then `object.execute_kw` with the API key). `odoo-await`
 * (the client PROVIDERS.md names) speaks XML-RPC only, which neither the connector nor the fake
 * speaks. JSON-2 has no client library: it is driven with plain fetch, as Odoo's documentation does.
 */
const API_KEY = 'odoo_fake_test_api_key_0123456789';
let fake: FakeOdoo | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function start(): Promise<FakeOdoo> {
  fake = await startFakeOdoo({ apiKey: API_KEY, database: 'acme', login: 'api@acme.test', uid: 7 });
  return fake;
}

async function client(api: FakeOdoo, apiKey = API_KEY): Promise<OdooClient> {
  const url = new URL(api.url);
  const odoo = new OdooJSONRpc({ baseUrl: `${url.protocol}//${url.hostname}`, port: Number(url.port), db: api.database, username: api.login, apiKey });
  await odoo.connect();
  return odoo;
}

const json2 = (api: FakeOdoo, path: string, body: unknown, headers: Record<string, string> = { authorization: `bearer ${API_KEY}` }) =>
  fetch(`${api.url}/json/2/${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

describe('the fake Odoo, driven by a JSON-RPC client library', () => {
  it('authenticates with the API key and answers the uid; search_read pages with offset, limit and order', async () => {
    const api = await start();
    api.seed('res.partner', 25);
    const odoo = await client(api);
    expect(odoo.uId).toBe(7);
    const first = await odoo.searchRead<{ id: number; name: string }>('res.partner', [], ['name', 'write_date'], { offset: 0, limit: 10, order: 'id asc' });
    const rest = await odoo.searchRead<{ id: number }>('res.partner', [], ['name'], { offset: 10, limit: 100, order: 'id asc' });
    expect(first).toHaveLength(10);
    expect(rest).toHaveLength(15);
    expect(first[0]).toEqual({ id: 1, name: 'Partner 1', write_date: expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/) });
    expect([...first, ...rest].map((row) => row.id)).toEqual(Array.from({ length: 25 }, (_, index) => index + 1));
    expect(api.requests.map((request) => request.call)).toEqual(['common.authenticate', 'res.partner.search_read', 'res.partner.search_read']);
  });

  it('a wrong key authenticates to false, and execute_kw with it is refused as AccessDenied', async () => {
    const api = await start();
    api.seed('res.partner', 1);
    const odoo = await client(api, 'not_the_right_key_at_all');
    expect(odoo.uId).toBe(false);
    // The client sends nothing more without a uid; a raw execute_kw with the wrong key meets Odoo's error inside a 200.
    await expect(odoo.searchRead('res.partner', [], ['name'])).rejects.toThrow('connect');
    const raw = await fetch(`${api.url}/jsonrpc`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', method: 'call', id: 4, params: { service: 'object', method: 'execute_kw', args: ['acme', 7, 'not_the_right_key_at_all', 'res.partner', 'search_read', [[]], {}] } }),
    });
    expect(raw.status).toBe(200);
    expect(await raw.json()).toEqual({
      jsonrpc: '2.0',
      id: 4,
      error: { code: 200, message: 'Odoo Server Error', data: { name: 'odoo.exceptions.AccessDenied', message: 'Access Denied', arguments: ['Access Denied'], context: {}, debug: expect.any(String) } },
    });
    expect(api.requests.at(-1)).toMatchObject({ call: 'res.partner.search_read', error: 'odoo.exceptions.AccessDenied', status: 200 });
  });

  it('create, write (which stamps write_date), read and unlink; a read of the unlinked record is a MissingError', async () => {
    let now = Date.parse('2026-03-01T10:00:00Z');
    fake = await startFakeOdoo({ apiKey: API_KEY, database: 'acme', login: 'api@acme.test', now: () => now });
    const odoo = await client(fake);
    const id = await odoo.create('res.partner', { name: 'Deco Addict', email: 'deco@example.com' });
    expect(id).toBe(1);
    now += 5_000;
    expect(await odoo.update('res.partner', id, { phone: '+32 2 555 0101' })).toBe(true);
    const [read] = await odoo.read<Record<string, unknown>>('res.partner', [id], ['name', 'phone', 'write_date', 'create_date']);
    expect(read).toEqual({ id, name: 'Deco Addict', phone: '+32 2 555 0101', create_date: '2026-03-01 10:00:00', write_date: '2026-03-01 10:00:05' });
    expect(await odoo.delete('res.partner', id)).toBe(true);
    await expect(odoo.read('res.partner', [id], ['name'])).rejects.toThrow('Record does not exist or has been deleted');
  });

  it('archived records are hidden unless the context says active_test: false', async () => {
    const api = await start();
    api.seed('product.product', 4);
    const odoo = await client(api);
    expect(await odoo.action('product.product', 'action_archive', [2])).toBe(true);
    const visible = await odoo.searchRead<{ id: number; active: boolean }>('product.product', [], ['active']);
    const everything = await odoo.searchRead<{ id: number; active: boolean }>('product.product', [], ['active'], { context: { active_test: false } });
    expect(visible.map((row) => row.id)).toEqual([1, 3, 4]);
    expect(everything.filter((row) => !row.active).map((row) => row.id)).toEqual([2]);
  });

  it('filters by write_date with a naive UTC string, ordered write_date then id', async () => {
    let now = Date.parse('2026-03-01T10:00:00Z');
    fake = await startFakeOdoo({ apiKey: API_KEY, database: 'acme', login: 'api@acme.test', now: () => now });
    fake.seed('sale.order', 30);
    now += 60_000;
    fake.update('sale.order', 12, { state: 'sale' });
    fake.update('sale.order', 3, { state: 'cancel' });
    const odoo = await client(fake);
    const changed = await odoo.searchRead<{ id: number }>('sale.order', [['write_date', '>', '2026-03-01 10:00:30']], ['state'], { order: 'write_date asc, id asc' });
    expect(changed).toEqual([{ id: 3, state: 'cancel' }, { id: 12, state: 'sale' }]);
  });
});

describe('the fake Odoo over JSON-2', () => {
  it('takes named arguments with a bearer key and the database header', async () => {
    const api = await start();
    api.seed('res.partner', 3);
    const answer = await json2(api, 'res.partner/search_read', { domain: [['id', 'in', [1, 3]]], fields: ['name'], order: 'id desc', context: { active_test: false } }, { authorization: `bearer ${API_KEY}`, 'x-odoo-database': 'acme' });
    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual([{ id: 3, name: 'Partner 3' }, { id: 1, name: 'Partner 1' }]);
    expect(api.requests.at(-1)).toMatchObject({ api: 'json2', call: 'res.partner.search_read', database: 'acme', status: 200 });
  });

  it('answers a wrong key 401 "Invalid apikey" and other failures with their status and {name, message, arguments, context, debug}', async () => {
    const api = await start();
    api.seed('res.partner', 1);
    const unauthorized = await json2(api, 'res.partner/search_read', {}, { authorization: 'bearer nope' });
    expect(unauthorized.status).toBe(401);
    expect(await unauthorized.json()).toMatchObject({ name: 'werkzeug.exceptions.Unauthorized', message: 'Invalid apikey', arguments: expect.any(Array), context: {}, debug: expect.any(String) });
    const missing = await json2(api, 'res.partner/write', { ids: [99], vals: { name: 'x' } });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ name: 'odoo.exceptions.MissingError' });
    const invalid = await json2(api, 'res.partner/write', { ids: [1], vals: { name: false } });
    expect(invalid.status).toBe(422);
    expect(await invalid.json()).toMatchObject({ name: 'odoo.exceptions.ValidationError', message: expect.stringContaining('mandatory field') });
    api.deny('res.partner');
    const denied = await json2(api, 'res.partner/read', { ids: [1] });
    expect(denied.status).toBe(403);
    expect(await denied.json()).toMatchObject({ name: 'odoo.exceptions.AccessError' });
  });
});
