import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeQuickBooks, type FakeQuickBooks } from '../../dev/fakes/quickbooks/fakeQuickBooks.js';
import type { ChainedSourcePage, Connector } from '../../shared/connectors/connector.js';
import { IncrementalStateExpiredError } from '../../shared/connectors/incrementalStateExpiredError.js';
import { requestToken, type TokenEndpoint } from '../../shared/connectors/oauth/tokenEndpoint.js';
import type { TokenSource } from '../../shared/connectors/oauth/tokenSource.js';
import { ProviderError } from '../../shared/connectors/providerError.js';
import { quickBooksProvider } from '../../shared/connectors/quickbooks/quickBooksProvider.js';
import { WriteConflictError } from '../../shared/connectors/writeConflictError.js';
import { loopbackOutbound } from '../unit/sync/loopbackOutbound.js';

const clientId = 'ABqbConnectorClient';
const clientSecret = 'qb-connector-secret';
const outbound = loopbackOutbound();
const DAY = 24 * 3600 * 1000;

/** One connection's token source as the engine's behaves: the token in hand until refused, then one refresh, keeping the rotated refresh token. */
function tokensOf(fake: FakeQuickBooks) {
  const issued = fake.issueTokens();
  let access = issued.access_token;
  let refresh = issued.refresh_token;
  return (endpoint: TokenEndpoint): TokenSource => ({
    accessToken: async () => access,
    afterUnauthorized: async (rejected) => {
      if (rejected !== access) return access;
      const answer = await requestToken(endpoint, { clientId, clientSecret, refreshToken: refresh }, outbound.agent());
      access = answer.access_token;
      refresh = answer.refresh_token ?? refresh;
      return access;
    },
  });
}

function connectorFor(fake: FakeQuickBooks): Connector {
  return quickBooksProvider.create(
    { realmId: fake.realmId, baseUrl: fake.url, tokenUrl: fake.tokenUrl },
    { clientId, clientSecret, refreshToken: 'unused-here' },
    { outbound, tokens: tokensOf(fake) },
  );
}

async function readAll(connector: Connector, stream: string, modifiedAfter?: Date): Promise<ChainedSourcePage[]> {
  const pages: ChainedSourcePage[] = [];
  let next: string | undefined;
  for (let page = 1; page < 100; page++) {
    const answer = await connector.listChainedPage!({ stream, page, perPage: 1000, ...(modifiedAfter ? { modifiedAfter } : {}), ...(next !== undefined ? { next } : {}) });
    pages.push(answer);
    if (answer.next === undefined) return pages;
    next = answer.next;
  }
  throw new Error('more than 100 pages');
}

describe('the QuickBooks connector against the fake', () => {
  let fake: FakeQuickBooks;
  let connector: Connector;
  /** The fake's clock, moved by the tests: changes made a second apart are told apart by CDC. */
  let now = Date.now();
  beforeAll(async () => {
    fake = await startFakeQuickBooks({ clientId, clientSecret, now: () => now });
    fake.seed('Customer', 2_500);
    fake.seed('Item', 20);
    connector = connectorFor(fake);
  });
  afterAll(async () => {
    await connector.close?.();
    await fake.close();
  });

  it('reads customers through the query language in pages of 1,000 by STARTPOSITION, with minorversion on every call', async () => {
    const before = fake.requests.length;
    const pages = await readAll(connector, 'customers');
    expect(pages.map((page) => page.records.length)).toEqual([1000, 1000, 500]);
    const ids = pages.flatMap((page) => page.records.map((record) => record.Id));
    expect(new Set(ids).size).toBe(2_500);
    const calls = fake.requests.slice(before).filter((call) => call.path.endsWith('/query'));
    expect(calls.map((call) => call.query.query)).toEqual([1, 1001, 2001].map((start) => `SELECT * FROM Customer WHERE Active IN (true, false) ORDERBY Id STARTPOSITION ${start} MAXRESULTS 1000`));
    expect(calls.every((call) => call.query.minorversion === '75')).toBe(true);
  });

  it('reads only what changed through CDC, deletes among them, following a full answer of 1,000 from its latest change', async () => {
    now += 60_000;
    const since = new Date(now);
    const customers = fake.all('Customer');
    expect(customers.length).toBeGreaterThan(1_200);
    for (const [index, customer] of customers.slice(0, 1_200).entries()) {
      if (index % 100 === 0) now += 1000;
      fake.update('Customer', customer.Id, { Notes: 'changed' });
    }
    now += 1000;
    fake.update('Customer', customers[1_300]!.Id, { Active: false });
    const invoice = fake.create('Invoice', { CustomerRef: { value: customers[0]!.Id }, Line: [{ Amount: 10, DetailType: 'SalesItemLineDetail', SalesItemLineDetail: { ItemRef: { value: fake.all('Item')[0]!.Id } } }] });
    fake.remove('Invoice', invoice.Id);

    const before = fake.requests.length;
    const pages = await readAll(connector, 'customers', since);
    const changed = new Set(pages.flatMap((page) => page.records.map((record) => record.Id)));
    expect(changed.size).toBe(1_200);
    expect(pages.flatMap((page) => page.deletedIds ?? [])).toEqual([customers[1_300]!.Id]);
    const cdc = fake.requests.slice(before);
    expect(cdc.length).toBeGreaterThanOrEqual(2);
    expect(cdc.every((call) => call.path.endsWith('/cdc') && call.query.entities === 'Customer')).toBe(true);

    const invoices = await readAll(connector, 'invoices', since);
    expect(invoices.flatMap((page) => page.records)).toEqual([]);
    expect(invoices.flatMap((page) => page.deletedIds ?? [])).toEqual([invoice.Id]);
  });

  it('hands a feed whose 1,000 changes share one second to a full read, which alone can take them', async () => {
    now += 60_000;
    const since = new Date(now);
    now += 1000;
    for (const customer of fake.all('Customer').slice(0, 1_001)) fake.update('Customer', customer.Id, { Notes: 'bulk import' });
    now += 1000;
    await expect(readAll(connector, 'customers', since)).rejects.toBeInstanceOf(IncrementalStateExpiredError);
  });

  it('refuses a CDC read from further back than 30 days as expired state, so the stream is read in full', async () => {
    const pending = connector.listChainedPage!({ stream: 'customers', page: 1, perPage: 1000, modifiedAfter: new Date(now - 31 * DAY) });
    await expect(pending).rejects.toBeInstanceOf(IncrementalStateExpiredError);
  });

  it('updates sparsely with the SyncToken last read, and a stale token takes the conflict path with the current record', async () => {
    const customer = fake.all('Customer')[5]!;
    const updated = await connector.update!('customers', customer.Id, { Notes: 'from shardsync' }, { version: customer.SyncToken });
    expect(updated.version).toBe(String(Number(customer.SyncToken) + 1));
    expect(fake.get('Customer', customer.Id)).toMatchObject({ Notes: 'from shardsync', DisplayName: customer.DisplayName });
    fake.update('Customer', customer.Id, { Notes: 'someone else' });
    const stale = connector.update!('customers', customer.Id, { Notes: 'again' }, { version: updated.version! });
    const error = await stale.catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(WriteConflictError);
    expect((error as WriteConflictError).current).toMatchObject({ Notes: 'someone else' });
    expect(fake.get('Customer', customer.Id)?.Notes).toBe('someone else');
  });

  it('creates a customer and answers its id and SyncToken', async () => {
    const created = await connector.create!('customers', { DisplayName: 'Connector Created 1', PrimaryEmailAddr: { Address: 'created@example.com' } });
    expect(created.externalId).toMatch(/^\d+$/);
    expect(created.version).toBe('0');
    expect(fake.get('Customer', created.externalId)?.DisplayName).toBe('Connector Created 1');
  });

  it('refreshes an expired access token once and goes on', async () => {
    fake.expireAccessTokens();
    const pages = await readAll(connector, 'items');
    expect(pages.flatMap((page) => page.records)).toHaveLength(20);
  });
});

describe('QuickBooks faults inside a 200', () => {
  it('reads a stale-token Fault answered with status 200 as the conflict it is', async () => {
    const fake = await startFakeQuickBooks({ clientId, clientSecret, faultsWithStatus200: true });
    const connector = connectorFor(fake);
    try {
      const [customer] = fake.seed('Customer', 1);
      fake.update('Customer', customer!.Id, { Notes: 'moved on' });
      await expect(connector.update!('customers', customer!.Id, { Notes: 'late' }, { version: customer!.SyncToken })).rejects.toBeInstanceOf(WriteConflictError);
      const query = connector.create!('customers', { Notes: 'no name' });
      const error = await query.catch((thrown: unknown) => thrown);
      expect(error).toBeInstanceOf(ProviderError);
      expect((error as ProviderError).message).toMatch(/DisplayName/);
    } finally {
      await connector.close?.();
      await fake.close();
    }
  });
});
