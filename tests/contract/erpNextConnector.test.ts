import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeErpNext, type FakeErpNext } from '../../dev/fakes/erpnext/fakeErpNext.js';
import { AuthError } from '../../shared/connectors/authError.js';
import type { ChainedSourcePage, Connector } from '../../shared/connectors/connector.js';
import { erpNextProvider, erpNextProviderWith } from '../../shared/connectors/erpnext/erpNextProvider.js';
import { ProviderError } from '../../shared/connectors/providerError.js';
import { RateLimitError } from '../../shared/connectors/rateLimitError.js';
import { RecordNotFoundError } from '../../shared/connectors/recordNotFoundError.js';
import { ValidationError } from '../../shared/connectors/validationError.js';
import { WriteConflictError } from '../../shared/connectors/writeConflictError.js';
import { loopbackOutbound } from '../unit/sync/loopbackOutbound.js';

const apiKey = 'contractkey01';
const apiSecret = 'contract-secret-01';
const outbound = loopbackOutbound();
const settingsOf = (fake: FakeErpNext) => ({ baseUrl: fake.url, doctypes: [{ stream: 'suppliers', doctype: 'Supplier', fields: ['supplier_name', 'supplier_group'] }] });
const connectorFor = (fake: FakeErpNext, secret = apiSecret): Connector => erpNextProvider.create(settingsOf(fake), { apiKey, apiSecret: secret }, { outbound });

async function readAll(connector: Connector, stream: string, options: { modifiedAfter?: Date; ids?: string[]; perPage?: number } = {}): Promise<ChainedSourcePage[]> {
  const pages: ChainedSourcePage[] = [];
  let next: string | undefined;
  for (let page = 1; page < 100; page++) {
    const answer = await connector.listChainedPage!({ stream, page, perPage: options.perPage ?? 1000, ...options, ...(next !== undefined ? { next } : {}) });
    pages.push(answer);
    if (answer.next === undefined) return pages;
    next = answer.next;
  }
  throw new Error('more than 100 pages');
}
const namesOf = (pages: ChainedSourcePage[]) => pages.flatMap((page) => page.records.map((record) => String(record.name)));
const failureOf = (pending: Promise<unknown>) => pending.then(() => undefined, (thrown: unknown) => thrown);

describe('the ERPNext connector against the fake', () => {
  let fake: FakeErpNext;
  let connector: Connector;
  let now = Date.now();
  beforeAll(async () => {
    fake = await startFakeErpNext({ apiKey, apiSecret, now: () => now });
    fake.seed('Customer', 2_500);
    fake.seed('Item', 30);
    fake.seed('Supplier', 7);
    connector = connectorFor(fake);
  });
  afterAll(async () => {
    await connector.close?.();
    await fake.close();
  });

  it('offers the built-in DocTypes and those of the settings, chained, filtered by modified at the site, versioned by modified', () => {
    const streams = connector.streams();
    expect(streams.map((stream) => stream.name)).toEqual(['customers', 'items', 'sales_invoices', 'suppliers']);
    expect(streams[2]).toMatchObject({ idField: 'name', modifiedField: 'modified', versionField: 'modified', paging: 'chained', serverFiltersModified: true, dependsOn: ['customers', 'items'] });
  });

  it('reads customers by limit_start / limit_page_length until a short page, ordered by creation then name, every field, with the token', async () => {
    const before = fake.requests.length;
    const pages = await readAll(connector, 'customers');
    expect(pages.map((page) => page.records.length)).toEqual([1000, 1000, 500]);
    const names = namesOf(pages);
    expect(new Set(names).size).toBe(2_500);
    expect(pages[0]!.records[0]).toMatchObject({ name: 'Customer 00001', customer_name: 'Customer 00001', modified: expect.stringMatching(/\.\d{6}$/) });
    const calls = fake.requests.slice(before);
    expect(calls.map((call) => [call.query.limit_start, call.query.limit_page_length])).toEqual([['0', '1000'], ['1000', '1000'], ['2000', '1000']]);
    expect(calls.every((call) => call.path === '/api/resource/Customer' && call.query.order_by === 'creation asc, name asc' && call.query.fields === '["*"]' && call.status === 200)).toBe(true);
    expect(calls.every((call) => call.query.filters === undefined)).toBe(true);
  });

  it('asks a settings DocType for its fields plus name, modified and creation', async () => {
    const before = fake.requests.length;
    const pages = await readAll(connector, 'suppliers');
    expect(namesOf(pages)).toHaveLength(7);
    expect(Object.keys(pages[0]!.records[0]!).sort()).toEqual(['creation', 'modified', 'name', 'supplier_group', 'supplier_name']);
    expect(JSON.parse(fake.requests[before]!.query.fields!)).toEqual(['name', 'modified', 'creation', 'supplier_name', 'supplier_group']);
  });

  it('reads only what changed after the instant, as a modified filter ordered by modified then name', async () => {
    now += 60_000;
    const since = new Date(now);
    now += 1_000;
    const customers = fake.all('Customer');
    expect(customers.length).toBe(2_500);
    const changed = [customers[3]!, customers[1_700]!, customers[2_499]!];
    for (const customer of changed) fake.update('Customer', customer.name, { territory: 'Italy' });
    const before = fake.requests.length;
    const pages = await readAll(connector, 'customers', { modifiedAfter: since });
    expect(namesOf(pages).sort()).toEqual(changed.map((customer) => customer.name).sort());
    const [call] = fake.requests.slice(before);
    expect(call!.query.order_by).toBe('modified asc, name asc');
    // A millisecond early with `>`: a record modified at the very instant is kept.
    expect(JSON.parse(call!.query.filters!)).toEqual([['modified', '>', `${new Date(since.getTime() - 1).toISOString().slice(0, 23).replace('T', ' ')}000`]]);
  });

  it('a deleted document is absent from the next full read, and from a read of named documents', async () => {
    const [gone, kept] = fake.all('Item');
    fake.remove('Item', gone!.name);
    const names = namesOf(await readAll(connector, 'items'));
    expect(names).toHaveLength(29);
    expect(names).not.toContain(gone!.name);
    const named = await readAll(connector, 'items', { ids: [gone!.name, kept!.name] });
    expect(namesOf(named)).toEqual([kept!.name]);
    expect(JSON.parse(fake.requests.at(-1)!.query.filters!)).toEqual([['name', 'in', [gone!.name, kept!.name]]]);
  });

  it('updates with PUT carrying the modified last read; a stale one is refused 417 and becomes a conflict with the current document', async () => {
    const customer = fake.all('Customer')[10]!;
    const before = fake.requests.length;
    const written = await connector.update!('customers', customer.name, { territory: 'Spain' }, { version: customer.modified, modifiedAt: customer.modified });
    const [put] = fake.requests.slice(before);
    expect(put).toMatchObject({ method: 'PUT', path: `/api/resource/Customer/${customer.name}`, status: 200, body: { territory: 'Spain', modified: customer.modified } });
    expect(written.version! > customer.modified).toBe(true);
    expect(written.modifiedAt).toBe(written.version);

    fake.update('Customer', customer.name, { territory: 'Portugal' });
    const error = await failureOf(connector.update!('customers', customer.name, { territory: 'Greece' }, { version: written.version! }));
    expect(error).toBeInstanceOf(WriteConflictError);
    expect((error as WriteConflictError).status).toBe(417);
    expect((error as WriteConflictError).message).toMatch(/TimestampMismatchError: Error: Document has been modified after you have opened it/);
    expect((error as WriteConflictError).current).toMatchObject({ name: customer.name, territory: 'Portugal' });
    expect(fake.get('Customer', customer.name)?.territory).toBe('Portugal');
  });

  it('creates with POST and answers the name Frappe gave', async () => {
    const created = await connector.create!('sales_invoices', { customer: 'Customer 00001', grand_total: 42 });
    expect(created.externalId).toMatch(/^ACC-SINV-\d{4}-\d{5}$/);
    expect(created.version).toBe(fake.get('Sales Invoice', created.externalId)?.modified);
  });

  it('refuses system fields in a write before sending it', async () => {
    await expect(connector.update!('customers', 'Customer 00001', { name: 'Other' })).rejects.toThrow(/must not carry a name field/);
  });

  it('maps Frappe errors to typed ones, messages from _server_messages', async () => {
    const duplicate = await failureOf(connector.create!('customers', { customer_name: 'Customer 00002' }));
    expect(duplicate).toBeInstanceOf(ValidationError);
    expect(duplicate).toMatchObject({ status: 409, code: 'DuplicateEntryError', providerMessage: 'Customer Customer 00002 already exists' });
    const mandatory = await failureOf(connector.create!('customers', { customer_group: 'Commercial' }));
    expect(mandatory).toBeInstanceOf(ValidationError);
    expect(mandatory).toMatchObject({ status: 417, code: 'MandatoryError', providerMessage: '[Customer, new]: customer_name' });
    const missing = await failureOf(connector.update!('customers', 'Nobody', { territory: 'x' }, { version: '2026-01-01 00:00:00.000000' }));
    expect(missing).toBeInstanceOf(RecordNotFoundError);
    expect((missing as RecordNotFoundError).message).toContain('Customer Nobody not found');

    const wrong = connectorFor(fake, 'not-the-secret');
    try {
      const refused = await failureOf(readAll(wrong, 'customers'));
      expect(refused).toBeInstanceOf(AuthError);
      expect((refused as AuthError).message).toContain('Invalid API key or secret');
      expect((refused as AuthError).message).not.toContain('not-the-secret');
    } finally {
      await wrong.close?.();
    }
  });

  it('a 403 PermissionError is an auth failure; a 429 a rate limit with Retry-After and the X-RateLimit budget read', async () => {
    const guarded = await startFakeErpNext({ apiKey, apiSecret, forbiddenDoctypes: ['Item'], rateLimit: { limit: 2, windowSeconds: 30 } });
    const limited = connectorFor(guarded);
    try {
      const first = await limited.listChainedPage!({ stream: 'customers', page: 1, perPage: 10 });
      expect(first.budget).toMatchObject({ remaining: 1 });
      const forbidden = await failureOf(readAll(limited, 'items'));
      expect(forbidden).toBeInstanceOf(AuthError);
      expect(forbidden).toMatchObject({ status: 403, code: 'PermissionError' });
      const throttled = await failureOf(readAll(limited, 'customers'));
      expect(throttled).toBeInstanceOf(RateLimitError);
      expect((throttled as RateLimitError).retryAfterMs).toBeGreaterThan(0);
    } finally {
      await limited.close?.();
      await guarded.close();
    }
  });

  it('a list answer that is not {"data": [...]} fails the page naming the call, the stream and the path', async () => {
    fake.answerNextListWith('Customer', { data: { name: 'not a list' } });
    const error = await failureOf(readAll(connector, 'customers'));
    expect(error).toBeInstanceOf(ProviderError);
    expect((error as ProviderError).code).toBe('invalid_response');
    expect((error as ProviderError).message).toBe('ERPNext GET /api/resource/Customer (stream customers): data is not a JSON array');
    fake.answerNextListWith('Customer', { message: [] });
    await expect(readAll(connector, 'customers')).rejects.toThrow(/data is not a JSON array/);
  });

  it('the connection test reads one customer', async () => {
    await expect(connector.testConnection()).resolves.toBeUndefined();
    expect(fake.requests.at(-1)!.query).toMatchObject({ limit_start: '0', limit_page_length: '1' });
  });
});

describe('ERPNext stale updates, settled by the provider', () => {
  const settings = { baseUrl: 'https://erp.example.com', timestampMismatch: { Item: 'theirs' } };
  const remote = (modified: string) => ({ name: 'X', modified });

  it('last write wins by default, comparing the shard change with the document modified (site time read as UTC)', () => {
    expect(erpNextProvider.settleRefusedUpdate!(settings, 'customers', '2026-01-02T10:00:01.000Z', remote('2026-01-02 10:00:00.500000'))).toBe('ours');
    expect(erpNextProvider.settleRefusedUpdate!(settings, 'customers', '2026-01-02T10:00:00.000Z', remote('2026-01-02 10:00:00.500000'))).toBe('theirs');
  });

  it('a DocType rule in the settings overrides it, then a code hook; streams not of the connection are left to the task', () => {
    expect(erpNextProvider.settleRefusedUpdate!(settings, 'items', '2026-01-02T11:00:00.000Z', remote('2026-01-02 10:00:00.000000'))).toBe('theirs');
    const hooked = erpNextProviderWith({ Customer: () => 'conflict', Item: () => 'ours' });
    expect(hooked.settleRefusedUpdate!(settings, 'customers', '2026-01-02T11:00:00.000Z', remote('2026-01-02 10:00:00.000000'))).toBe('conflict');
    expect(hooked.settleRefusedUpdate!(settings, 'items', '2026-01-02T09:00:00.000Z', remote('2026-01-02 10:00:00.000000'))).toBe('theirs');
    expect(hooked.settleRefusedUpdate!(settings, 'nothing', '2026-01-02T09:00:00.000Z', remote('2026-01-02 10:00:00.000000'))).toBeUndefined();
  });
});
