import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFakeSalesforce, type FakeSalesforce, type SalesforceRecord } from '../../dev/fakes/salesforce/fakeSalesforce.js';
import type { ChainedSourcePage, Connector, SourceRecord } from '../../shared/connectors/connector.js';
import { requestToken, type TokenEndpoint } from '../../shared/connectors/oauth/tokenEndpoint.js';
import type { TokenSource } from '../../shared/connectors/oauth/tokenSource.js';
import { QuotaExhaustedError } from '../../shared/connectors/quotaExhaustedError.js';
import { salesforceProvider } from '../../shared/connectors/salesforce/salesforceProvider.js';
import { WriteConflictError } from '../../shared/connectors/writeConflictError.js';
import { loopbackOutbound } from '../unit/sync/loopbackOutbound.js';

const clientId = 'fake-consumer-key';
const clientSecret = 'fake-consumer-secret';
const apiVersion = '62.0';
const outbound = loopbackOutbound();

let fake: FakeSalesforce;
let connector: Connector;
let accounts: SalesforceRecord[];

/**
 * The token source of one connection, as the engine's would behave against Salesforce: the token
 * the authorization left is used until refused, then refreshed once at the spec's token endpoint.
 */
function tokensOf(initial: string, refreshToken: string) {
  return (endpoint: TokenEndpoint): TokenSource => {
    let current = initial;
    const refresh = async () => {
      current = (await requestToken(endpoint, { clientId, clientSecret, refreshToken }, outbound.agent())).access_token;
      return current;
    };
    return { accessToken: async () => current, afterUnauthorized: async (rejected) => (rejected === current ? refresh() : current) };
  };
}

const stampOrder = (a: SalesforceRecord, b: SalesforceRecord) => a.SystemModstamp.localeCompare(b.SystemModstamp) || (a.Id < b.Id ? -1 : 1);

/** Every page of a read, following `next` until the last. */
async function readAll(stream: string, modifiedAfter?: Date): Promise<ChainedSourcePage[]> {
  const pages: ChainedSourcePage[] = [];
  let next: string | undefined;
  for (let page = 1; ; page++) {
    const answer = await connector.listChainedPage!({ stream, page, perPage: 2000, ...(modifiedAfter ? { modifiedAfter } : {}), ...(next !== undefined ? { next } : {}) });
    pages.push(answer);
    if (answer.next === undefined) return pages;
    next = answer.next;
  }
}

beforeAll(async () => {
  fake = await startFakeSalesforce({ clientId, clientSecret });
  accounts = fake.seed('Account', 2500);
  fake.seed('Contact', 20);
  connector = salesforceProvider.create(
    { instanceUrl: fake.url, loginUrl: fake.url, apiVersion },
    { clientId, clientSecret, refreshToken: fake.refreshToken },
    { outbound, tokens: tokensOf(fake.accessToken, fake.refreshToken) },
  );
});
afterAll(async () => {
  await connector.close?.();
  await fake.close();
});
afterEach(() => fake.resetApiUsage());

describe('the Salesforce connector against the fake', () => {
  it('reads 2,500 accounts through nextRecordsUrl in SystemModstamp, Id order, with the API budget', async () => {
    const before = fake.requests.length;
    const pages = await readAll('accounts');
    expect(pages.map((page) => page.records.length)).toEqual([2000, 500]);
    const read = pages.flatMap((page) => page.records);
    expect(read.map((record) => record.Id)).toEqual([...accounts].sort(stampOrder).map((record) => record.Id));
    expect(read[0]).toMatchObject({ attributes: { type: 'Account' }, Name: expect.any(String), SystemModstamp: expect.stringMatching(/\+0000$/) });
    const calls = fake.requests.slice(before);
    expect(calls.map((call) => call.path)).toEqual([`/services/data/v${apiVersion}/query`, expect.stringMatching(/\/query\/\w+-2000$/)]);
    expect(calls[0]?.query.q).toBe('SELECT Id, CreatedDate, LastModifiedDate, SystemModstamp, Name, Website, Phone FROM Account ORDER BY SystemModstamp, Id');
    expect(calls[0]?.headers['sforce-query-options']).toBe('batchSize=2000');
    // Sforce-Limit-Info: the shared guard sees what is left of the org's daily allowance.
    expect(pages[1]?.budget?.remaining).toBe(fake.apiUsage.max - fake.apiUsage.used);
  });

  it('reads only records changed since, and the deleted feed once with the first page', async () => {
    const changed = [accounts[10]!, accounts[20]!];
    fake.update('Account', changed[0]!.Id, { Phone: '+1 555 0000' }, '2024-06-01T00:00:05.000Z');
    fake.update('Account', changed[1]!.Id, { Phone: '+1 555 0001' }, '2024-06-01T00:00:01.000Z');
    fake.remove('Account', accounts[30]!.Id, '2024-06-01T00:00:03.000Z');
    const before = fake.requests.length;
    const pages = await readAll('accounts', new Date('2024-05-31T00:00:00.000Z'));
    expect(pages).toHaveLength(1);
    expect(pages[0]?.records.map((record) => record.Id)).toEqual([changed[1]!.Id, changed[0]!.Id]);
    expect(pages[0]?.deletedIds).toEqual([accounts[30]!.Id]);
    const calls = fake.requests.slice(before);
    expect(calls[0]?.query.q).toContain('WHERE SystemModstamp > 2024-05-30T23:59:59Z ORDER BY');
    expect(calls.filter((call) => call.path.endsWith('/deleted/'))).toHaveLength(1);
  });

  it('updates with a current If-Unmodified-Since and reads the record back', async () => {
    const target = accounts[100]!;
    const result = await connector.update!('accounts', target.Id, { Phone: '+1 555 9999' }, { modifiedAt: target.SystemModstamp });
    expect(result.externalId).toBe(target.Id);
    expect(result.record).toMatchObject({ attributes: { type: 'Account' }, Id: target.Id, Phone: '+1 555 9999' });
    expect(result.modifiedAt).not.toBe(target.SystemModstamp);
    expect(fake.get('Account', target.Id)?.Phone).toBe('+1 555 9999');
    const patch = fake.requests.find((call) => call.method === 'PATCH' && call.path.endsWith(target.Id));
    expect(patch?.status).toBe(204);
    expect(patch?.headers['if-unmodified-since']).toBe(new Date(Date.parse(target.SystemModstamp)).toUTCString());
  });

  it('refuses an update whose If-Unmodified-Since is stale as a WriteConflictError (412)', async () => {
    const target = accounts[200]!;
    fake.update('Account', target.Id, { Name: 'Changed elsewhere' });
    const failure = await connector.update!('accounts', target.Id, { Phone: '+1 555 8888' }, { modifiedAt: target.SystemModstamp, version: target.SystemModstamp }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(WriteConflictError);
    expect(failure).toMatchObject({ status: 412, current: { Name: 'Changed elsewhere' } });
    expect(fake.get('Account', target.Id)?.Phone).toBe(target.Phone);
  });

  it('creates a record and returns it as read back', async () => {
    const result = await connector.create!('contacts', { LastName: 'Created', Email: 'created@example.test', AccountId: accounts[0]!.Id });
    expect(result.externalId).toMatch(/^003[A-Za-z0-9]{15}$/);
    expect(result.record).toMatchObject({ Id: result.externalId, LastName: 'Created', AccountId: accounts[0]!.Id });
    expect(fake.get('Contact', result.externalId)?.Email).toBe('created@example.test');
  });

  it('refuses writes carrying system fields before any call', async () => {
    await expect(connector.create!('contacts', { LastName: 'X', SystemModstamp: '2024-01-01T00:00:00.000+0000' } as SourceRecord)).rejects.toMatchObject({ code: 'invalid_fields' });
  });

  it('refuses a task filter SOQL is not given, rather than reading more than asked', async () => {
    await expect(connector.listChainedPage!({ stream: 'accounts', page: 1, perPage: 200, filters: { Name: 'Acme' } })).rejects.toMatchObject({ code: 'unsupported_filter' });
  });

  it('passes the connection test with one query', async () => {
    const before = fake.requests.length;
    await connector.testConnection();
    expect(fake.requests.slice(before).map((call) => [call.path, call.status])).toEqual([[`/services/data/v${apiVersion}/query`, 200]]);
  });

  it('reports REQUEST_LIMIT_EXCEEDED as a QuotaExhaustedError', async () => {
    fake.resetApiUsage(fake.apiUsage.max);
    const failure = await connector.listChainedPage!({ stream: 'contacts', page: 1, perPage: 200 }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(QuotaExhaustedError);
    expect(failure).toMatchObject({ status: 403, code: 'REQUEST_LIMIT_EXCEEDED' });
  });

  it('refreshes an expired session once and the call succeeds', async () => {
    const refreshes = fake.oauthCounts.refreshes;
    fake.expireAccessTokens();
    const before = fake.requests.length;
    const page = await connector.listChainedPage!({ stream: 'contacts', page: 1, perPage: 200 });
    expect(page.records).toHaveLength(fake.all('Contact').length);
    expect(fake.oauthCounts.refreshes).toBe(refreshes + 1);
    expect(fake.requests.slice(before).map((call) => call.status)).toEqual([401, 200, 200]);
  });
});
