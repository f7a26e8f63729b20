import { afterEach, describe, expect, it } from 'vitest';
import { startFakeOdoo, type FakeOdoo, type FakeOdooRequest } from '../../dev/fakes/odoo/fakeOdoo.js';
import { AuthError } from '../../shared/connectors/authError.js';
import type { Connector, SourceRecord } from '../../shared/connectors/connector.js';
import { odooProvider } from '../../shared/connectors/odoo/odooProvider.js';
import { ProviderError } from '../../shared/connectors/providerError.js';
import { ProviderUnavailableError } from '../../shared/connectors/providerUnavailableError.js';
import { RecordNotFoundError } from '../../shared/connectors/recordNotFoundError.js';
import { ValidationError } from '../../shared/connectors/validationError.js';
import { WriteConflictError } from '../../shared/connectors/writeConflictError.js';
import { loopbackOutbound } from '../unit/sync/loopbackOutbound.js';

/** The Odoo connector against the fake, over JSON-2 and over JSON-RPC alike. */
const API_KEY = 'odoo_contract_test_api_key_0123456789';
const DATABASE = 'acme';
const LOGIN = 'api@acme.test';
let fake: FakeOdoo | undefined;
let connector: Connector | undefined;
afterEach(async () => {
  await connector?.close?.();
  await fake?.close();
  fake = undefined;
  connector = undefined;
});

let clock = Date.parse('2026-03-01T10:00:00Z');
async function startFake(): Promise<FakeOdoo> {
  clock = Date.parse('2026-03-01T10:00:00Z');
  fake = await startFakeOdoo({ apiKey: API_KEY, database: DATABASE, login: LOGIN, now: () => clock });
  return fake;
}

type Api = 'json2' | 'jsonrpc';
function connect(api: FakeOdoo, which: Api, apiKey = API_KEY): Connector {
  const settings = odooProvider.settingsSchema.parse({ baseUrl: api.url, api: which, database: DATABASE, ...(which === 'jsonrpc' ? { login: LOGIN } : {}) });
  connector = odooProvider.create(settings, { apiKey }, { outbound: loopbackOutbound() });
  return connector;
}

async function readAll(reader: Connector, stream: string, modifiedAfter?: Date): Promise<{ records: SourceRecord[]; deletedIds: string[] }> {
  const records: SourceRecord[] = [];
  const deletedIds: string[] = [];
  let next: string | undefined;
  for (let page = 1; ; page++) {
    expect(page).toBeLessThan(100);
    const answer = await reader.listChainedPage!({ stream, page, perPage: 500, ...(next ? { next } : {}), ...(modifiedAfter ? { modifiedAfter } : {}) });
    records.push(...answer.records);
    deletedIds.push(...(answer.deletedIds ?? []));
    if (answer.next === undefined) return { records, deletedIds };
    next = answer.next;
  }
}

const searches = (api: FakeOdoo, model: string): FakeOdooRequest[] => api.requests.filter((request) => request.call === `${model}.search_read`);
const idsOf = (records: readonly SourceRecord[]) => records.map((record) => Number(record.id));

describe.each(['json2', 'jsonrpc'] as const)('the Odoo connector against the fake over %s', (which) => {
  it('reads all 1,234 partners by search_read, offset-paged 500 at a time in id order, archived ones included', async () => {
    const api = await startFake();
    api.seed('res.partner', 1234);
    const { records, deletedIds } = await readAll(connect(api, which), 'partners');
    expect(records).toHaveLength(1234);
    expect(deletedIds).toEqual([]);
    expect(idsOf(records)).toEqual(Array.from({ length: 1234 }, (_, index) => index + 1));
    expect(records[0]).toMatchObject({ id: 1, name: 'Partner 1', email: 'partner1@example.com', active: true, write_date: expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/) });
    const sent = searches(api, 'res.partner');
    expect(sent.map((request) => [request.args.offset, request.args.limit])).toEqual([[0, 500], [500, 500], [1000, 500]]);
    expect(sent.every((request) => request.status === 200 && request.database === DATABASE && request.error === undefined)).toBe(true);
    expect(sent[0]!.args).toMatchObject({ domain: [], order: 'id asc', context: { active_test: false }, fields: expect.arrayContaining(['id', 'name', 'active', 'write_date']) });
    if (which === 'jsonrpc') expect(api.requests[0]!.call).toBe('common.authenticate');
  });

  it('an incremental read asks write_date > the instant (a second earlier, naive UTC), ordered write_date then id', async () => {
    const api = await startFake();
    api.seed('sale.order', 600);
    clock += 3_600_000;
    const since = new Date(clock);
    clock += 2_000;
    for (const id of [42, 7, 599]) api.update('sale.order', id, { state: 'sale' });
    const { records } = await readAll(connect(api, which), 'sale_orders', since);
    expect(idsOf(records)).toEqual([7, 42, 599]);
    const [sent] = searches(api, 'sale.order');
    expect(sent!.args).toMatchObject({ domain: [['write_date', '>', '2026-03-01 10:59:59']], order: 'write_date asc, id asc', offset: 0 });
  });

  it('an archived partner comes back as a deleted id; an unlinked one is simply absent from a full read', async () => {
    const api = await startFake();
    api.seed('res.partner', 20);
    api.archive('res.partner', 4);
    api.unlink('res.partner', 9);
    const { records, deletedIds } = await readAll(connect(api, which), 'partners');
    expect(deletedIds).toEqual(['4']);
    expect(records).toHaveLength(18);
    expect(idsOf(records)).not.toContain(4);
    expect(idsOf(records)).not.toContain(9);
  });

  it('reads the records a webhook names by an id domain', async () => {
    const api = await startFake();
    api.seed('product.product', 50);
    const page = await connect(api, which).listChainedPage!({ stream: 'products', page: 1, perPage: 500, ids: ['3', '17'] });
    expect(idsOf(page.records)).toEqual([3, 17]);
    expect(searches(api, 'product.product')[0]!.args.domain).toEqual([['id', 'in', [3, 17]]]);
  });

  it('an update reads the record, compares write_date, writes and reads it back; a later edit is a conflict and nothing is written', async () => {
    const api = await startFake();
    const [partner] = api.seed('res.partner', 1);
    const odoo = connect(api, which);
    clock += 10_000;
    const written = await odoo.update!('partners', '1', { email: 'new@example.com' }, { modifiedAt: partner!.write_date });
    expect(written).toMatchObject({ externalId: '1', modifiedAt: '2026-03-01 10:00:10', record: { email: 'new@example.com' } });
    expect(api.get('res.partner', 1)).toMatchObject({ email: 'new@example.com', name: partner!.name });
    const calls = api.requests.filter((request) => request.model === 'res.partner').map((request) => request.method);
    expect(calls).toEqual(['read', 'write', 'read']);
    expect(api.requests.find((request) => request.method === 'write')!.args).toMatchObject({ ids: [1], vals: { email: 'new@example.com' } });

    clock += 10_000;
    api.update('res.partner', 1, { phone: '+32 2 000 0000' });
    const before = api.requests.length;
    const conflict = await odoo.update!('partners', '1', { email: 'stale@example.com' }, { modifiedAt: written.modifiedAt! }).catch((error: unknown) => error);
    expect(conflict).toBeInstanceOf(WriteConflictError);
    expect((conflict as WriteConflictError).message).toContain('2026-03-01 10:00:20');
    expect(api.requests.slice(before).some((request) => request.method === 'write')).toBe(false);
    expect(api.get('res.partner', 1)!.email).toBe('new@example.com');
  });

  it('a create answers the new id and reads the record', async () => {
    const api = await startFake();
    const created = await connect(api, which).create!('partners', { name: 'Deco Addict', email: 'deco@example.com' });
    expect(created).toMatchObject({ externalId: '1', record: { id: 1, name: 'Deco Addict', active: true }, modifiedAt: '2026-03-01 10:00:00' });
    expect(api.requests.filter((request) => request.model === 'res.partner').map((request) => request.method)).toEqual(['create', 'read']);
  });

  it('maps Odoo exceptions to the engine errors', async () => {
    const api = await startFake();
    api.seed('res.partner', 2);
    const odoo = connect(api, which);
    const failure = (promise: Promise<unknown>) => promise.then(() => undefined, (error: unknown) => error);
    const missing = await failure(odoo.update!('partners', '99', { name: 'x' }));
    expect(missing).toBeInstanceOf(RecordNotFoundError);
    expect((missing as RecordNotFoundError).code).toBe('odoo.exceptions.MissingError');
    const invalid = await failure(odoo.update!('partners', '1', { name: false }));
    expect(invalid).toBeInstanceOf(ValidationError);
    expect((invalid as ValidationError).message).toContain('mandatory field');
    api.failNext('serialization_failure');
    expect(await failure(readAll(odoo, 'partners'))).toBeInstanceOf(ProviderUnavailableError);
    api.failNext('server_error');
    const server = await failure(readAll(odoo, 'partners'));
    // JSON-2 answers 500 (recoverable); JSON-RPC's 200 with an unknown exception fails the page.
    expect(server).toBeInstanceOf(which === 'json2' ? ProviderUnavailableError : ProviderError);
    api.deny('res.partner');
    expect(await failure(readAll(odoo, 'partners'))).toBeInstanceOf(AuthError);
  });

  it('a wrong API key is an AuthError, and the key appears in no message', async () => {
    const api = await startFake();
    api.seed('res.partner', 1);
    const wrongKey = 'odoo_wrong_key_9876543210';
    const error = await readAll(connect(api, which, wrongKey), 'partners').then(() => undefined, (caught: unknown) => caught);
    expect(error).toBeInstanceOf(AuthError);
    expect((error as AuthError).message).not.toContain(wrongKey);
  });

  it('a malformed answer fails the page, naming the call and what is wrong', async () => {
    const api = await startFake();
    api.seed('res.partner', 3);
    api.failNext('malformed');
    const error = await readAll(connect(api, which), 'partners').then(() => undefined, (caught: unknown) => caught);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ code: 'invalid_response', retriable: false });
    const where = which === 'json2' ? 'Odoo POST /json/2/res.partner/search_read (stream partners): the body is not a JSON array' : 'Odoo POST /jsonrpc (stream partners): result is not a JSON array';
    expect((error as ProviderError).message).toBe(where);
  });
});

describe('the Odoo connector, JSON-2 only', () => {
  it('sends the bearer key and X-Odoo-Database, and a connection test reads one partner', async () => {
    const api = await startFake();
    api.seed('res.partner', 2);
    await connect(api, 'json2').testConnection();
    expect(searches(api, 'res.partner')).toMatchObject([{ api: 'json2', database: DATABASE, status: 200, args: { limit: 1 } }]);
  });
});
