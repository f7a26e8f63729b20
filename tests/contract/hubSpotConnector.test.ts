import { afterEach, describe, expect, it } from 'vitest';
import { startFakeHubSpot, type FakeHubSpot, type FakeHubSpotOptions } from '../../dev/fakes/hubspot/fakeHubSpot.js';
import { AuthError } from '../../shared/connectors/authError.js';
import type { Connector, SourceRecord } from '../../shared/connectors/connector.js';
import { createHubSpotConnector, hubSpotProvider } from '../../shared/connectors/hubspot/hubSpotProvider.js';
import { hubSpotSettingsSchema } from '../../shared/connectors/hubspot/hubSpotSettings.js';
import { hubSpotSpec } from '../../shared/connectors/hubspot/hubSpotSpec.js';
import { QuotaExhaustedError } from '../../shared/connectors/quotaExhaustedError.js';
import { RateLimitError } from '../../shared/connectors/rateLimitError.js';
import { WriteConflictError } from '../../shared/connectors/writeConflictError.js';
import { loopbackOutbound } from '../unit/sync/loopbackOutbound.js';

const token = 'pat-na1-contract-test-token';
let fake: FakeHubSpot | undefined;
let connector: Connector | undefined;
afterEach(async () => {
  await connector?.close?.();
  await fake?.close();
  fake = undefined;
  connector = undefined;
});

/** A fake whose ten-secondly limit no test meets unless it sets one. */
async function startFake(options: Partial<FakeHubSpotOptions> = {}): Promise<FakeHubSpot> {
  fake = await startFakeHubSpot({ accessToken: token, ...options, rateLimit: { max: 100_000, ...options.rateLimit } });
  return fake;
}

/** The registered provider's connector, or one whose spec has a lower search ceiling (the fake's). */
function connect(api: FakeHubSpot, options: { token?: string; resultCeiling?: number } = {}): Connector {
  const credentials = { token: options.token ?? token };
  if (options.resultCeiling === undefined) {
    connector = hubSpotProvider.create({ baseUrl: api.url }, credentials, { outbound: loopbackOutbound() });
  } else {
    const settings = hubSpotSettingsSchema.parse({ baseUrl: api.url });
    connector = createHubSpotConnector(settings, hubSpotSpec(settings, options.resultCeiling), credentials, { outbound: loopbackOutbound() });
  }
  return connector;
}

async function readAll(reader: Connector, stream: string, modifiedAfter?: Date): Promise<SourceRecord[]> {
  const records: SourceRecord[] = [];
  let next: string | undefined;
  for (let page = 1; ; page++) {
    expect(page).toBeLessThan(100);
    const answer = await reader.listChainedPage!({ stream, page, perPage: 100, ...(next ? { next } : {}), ...(modifiedAfter ? { modifiedAfter } : {}) });
    records.push(...answer.records);
    if (answer.next === undefined) return records;
    next = answer.next;
  }
}

const searchesOf = (api: FakeHubSpot, type: string) => api.requests.filter((request) => request.method === 'POST' && request.path === `/crm/v3/objects/${type}/search`);
const ids = (records: readonly SourceRecord[]) => new Set(records.map((record) => String(record.id)));

/** Changes `count` records through the fake after a returned instant: an incremental read from it finds exactly those. */
async function changeAfterNow(api: FakeHubSpot, type: 'contacts' | 'companies', count: number): Promise<{ since: Date; changed: string[] }> {
  const since = new Date();
  await new Promise((resolve) => setTimeout(resolve, 5));
  const targets = api.all(type).slice(0, count);
  expect(targets).toHaveLength(count);
  for (const record of targets) api.update(type, record.id, type === 'contacts' ? { company: 'Changed Co' } : { domain: 'changed.example.test' });
  return { since, changed: targets.map((record) => record.id) };
}

describe('the HubSpot connector against the fake', () => {
  it('reads all 2,500 contacts in full by the list cursor, as HubSpot returns them, asking for their properties', async () => {
    const api = await startFake();
    api.seed('contacts', 2_500);
    const reader = connect(api);
    const first = await reader.listChainedPage!({ stream: 'contacts', page: 1, perPage: 100 });
    // X-HubSpot-RateLimit-Remaining is read as the budget left.
    expect(first.budget?.remaining).toBeGreaterThan(0);
    const records = await readAll(reader, 'contacts');
    expect(records).toHaveLength(2_500);
    expect(ids(records).size).toBe(2_500);
    expect(records[0]).toMatchObject({ id: expect.any(String), properties: { email: expect.stringMatching(/@example\.test$/) }, updatedAt: expect.any(String), archived: false });
    const lists = api.requests.filter((request) => request.method === 'GET' && request.path === '/crm/v3/objects/contacts');
    expect(lists).toHaveLength(26);
    expect(lists.every((request) => request.status === 200 && request.query.limit === '100' && request.query.properties?.includes('email'))).toBe(true);
    expect(lists.slice(2).every((request) => /^\d+$/.test(request.query.after ?? ''))).toBe(true);
    expect(searchesOf(api, 'contacts')).toHaveLength(0);
  });

  it('reads incrementally through the search, filtered and sorted on lastmodifieddate (hs_lastmodifieddate for others), only the changed records', async () => {
    const api = await startFake();
    api.seed('contacts', 300);
    api.seed('companies', 50);
    const contacts = await changeAfterNow(api, 'contacts', 3);
    const companies = await changeAfterNow(api, 'companies', 2);
    const reader = connect(api);
    expect([...ids(await readAll(reader, 'contacts', contacts.since))].sort()).toEqual([...contacts.changed].sort());
    expect([...ids(await readAll(reader, 'companies', companies.since))].sort()).toEqual([...companies.changed].sort());
    const [contactSearch] = searchesOf(api, 'contacts');
    expect(contactSearch?.body).toEqual({
      filterGroups: [{ filters: [{ propertyName: 'lastmodifieddate', operator: 'GTE', value: String(contacts.since.getTime()) }] }],
      sorts: [{ propertyName: 'lastmodifieddate', direction: 'ASCENDING' }],
      properties: expect.arrayContaining(['email', 'firstname']),
      limit: 100,
    });
    expect(searchesOf(api, 'companies')[0]?.body).toMatchObject({ sorts: [{ propertyName: 'hs_lastmodifieddate', direction: 'ASCENDING' }] });
  });

  it('an incremental read names the contacts archived since it started, from the archived listing, on its first page only', async () => {
    const api = await startFake();
    api.seed('contacts', 300);
    const [early, ...rest] = api.all('contacts');
    // The fake stamps every write after the one before: the read starts just after the first archive.
    const since = new Date(Date.parse(api.archive('contacts', early!.id).archivedAt!) + 1);
    const gone = rest.slice(0, 150).map((record) => record.id);
    for (const id of gone) api.archive('contacts', id);

    const reader = connect(api);
    const first = await reader.listChainedPage!({ stream: 'contacts', page: 1, perPage: 100, modifiedAfter: since });
    expect(new Set(first.deletedIds)).toEqual(new Set(gone));
    // 151 archived in pages of 100: the listing was followed to its end.
    expect(api.requests.filter((request) => request.query.archived === 'true')).toHaveLength(2);
    // A full read asks no delete feed: absence tells it.
    const full = await reader.listChainedPage!({ stream: 'contacts', page: 1, perPage: 100 });
    expect(full.deletedIds).toBeUndefined();
  });

  it('reads 1,200 changed records past a 500-result search ceiling in windows: none lost, no 400', async () => {
    const api = await startFake({ searchCeiling: 500 });
    api.seed('contacts', 1_500);
    const { since, changed } = await changeAfterNow(api, 'contacts', 1_200);
    const records = await readAll(connect(api, { resultCeiling: 500 }), 'contacts', since);
    expect(ids(records)).toEqual(new Set(changed));
    // Each window starts at the last modified time read, so the record at a boundary comes twice.
    expect(records.length).toBeLessThan(1_200 + 5);
    const searches = searchesOf(api, 'contacts');
    expect(searches.length).toBeGreaterThanOrEqual(13);
    expect(searches.every((request) => request.status === 200)).toBe(true);
    const windowStarts = searches.filter((request) => (request.body as { after?: string }).after === undefined);
    expect(windowStarts.length).toBeGreaterThanOrEqual(3);
  });

  it('pages one search past the ceiling, and is refused, when its windows are wider than the portal serves', async () => {
    const api = await startFake({ searchCeiling: 500 });
    api.seed('contacts', 800);
    const { since } = await changeAfterNow(api, 'contacts', 700);
    await expect(readAll(connect(api), 'contacts', since)).rejects.toMatchObject({ status: 400, code: 'VALIDATION_ERROR' });
  });

  it('reads the records a webhook names by id through one search with an hs_object_id IN filter', async () => {
    const api = await startFake();
    const seeded = api.seed('deals', 400);
    const wanted = [seeded[7]!.id, seeded[350]!.id];
    const page = await connect(api).listChainedPage!({ stream: 'deals', page: 1, perPage: 100, ids: wanted });
    expect([...ids(page.records)].sort()).toEqual([...wanted].sort());
    expect(page.next).toBeUndefined();
    expect(api.requests).toHaveLength(1);
    expect(api.requests[0]).toMatchObject({
      method: 'POST',
      path: '/crm/v3/objects/deals/search',
      body: { filterGroups: [{ filters: [{ propertyName: 'hs_object_id', operator: 'IN', values: wanted }] }] },
    });
  });

  it('updates with PATCH {properties} after checking updatedAt, and a change made meanwhile is a WriteConflictError', async () => {
    const api = await startFake();
    const [target, other] = api.seed('contacts', 5);
    expect(target && other).toBeDefined();
    const writer = connect(api);
    const result = await writer.update!('contacts', target!.id, { properties: { phone: '+44 20 7946 0000' } }, { modifiedAt: target!.updatedAt });
    expect(result).toMatchObject({ externalId: target!.id, record: { properties: { phone: '+44 20 7946 0000' } } });
    expect(result.modifiedAt).toBe(api.get('contacts', target!.id)?.updatedAt);
    expect(api.requests.at(-1)).toMatchObject({ method: 'PATCH', path: `/crm/v3/objects/contacts/${target!.id}`, status: 200, body: { properties: { phone: '+44 20 7946 0000' } } });

    api.update('contacts', other!.id, { phone: '+1 555 0199' });
    const conflict = await writer.update!('contacts', other!.id, { properties: { phone: '+44 20 0000 0000' } }, { modifiedAt: other!.updatedAt }).catch((error: unknown) => error);
    expect(conflict).toBeInstanceOf(WriteConflictError);
    expect((conflict as WriteConflictError).current).toMatchObject({ id: other!.id });
    expect(api.get('contacts', other!.id)?.properties.phone).toBe('+1 555 0199');
  });

  it('creates with POST {properties}', async () => {
    const api = await startFake();
    const created = await connect(api).create!('contacts', { properties: { email: 'new.person@example.test', firstname: 'New' } });
    expect(api.get('contacts', created.externalId)?.properties).toMatchObject({ email: 'new.person@example.test', firstname: 'New' });
    expect(created.modifiedAt).toEqual(expect.any(String));
  });

  it('answers a refused token with an AuthError that does not carry the token', async () => {
    const api = await startFake();
    const wrong = 'pat-na1-wrong-secret-token-value';
    const error = await connect(api, { token: wrong }).listChainedPage!({ stream: 'contacts', page: 1, perPage: 10 }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AuthError);
    expect((error as AuthError).message).toMatch(/401 INVALID_AUTHENTICATION/);
    expect((error as AuthError).message).not.toContain(wrong);
  });

  it('tells the daily cap (QuotaExhaustedError) from the ten-secondly limit (RateLimitError)', async () => {
    const daily = await startFake({ rateLimit: { daily: 1 } });
    daily.seed('contacts', 3);
    const dailyReader = connect(daily);
    await dailyReader.listChainedPage!({ stream: 'contacts', page: 1, perPage: 1 });
    await expect(dailyReader.listChainedPage!({ stream: 'contacts', page: 1, perPage: 1 })).rejects.toBeInstanceOf(QuotaExhaustedError);
    await dailyReader.close?.();
    await daily.close();

    const secondly = await startFake({ rateLimit: { max: 1 } });
    const secondlyReader = connect(secondly);
    await secondlyReader.listChainedPage!({ stream: 'contacts', page: 1, perPage: 1 });
    await expect(secondlyReader.listChainedPage!({ stream: 'contacts', page: 1, perPage: 1 })).rejects.toBeInstanceOf(RateLimitError);
  });

  it('refreshes OAuth tokens at the portal\'s token endpoint with the client in the form body when settings say oauth', () => {
    const settings = hubSpotSettingsSchema.parse({ auth: 'oauth' });
    expect(hubSpotSpec(settings).auth).toEqual({ kind: 'oauth2', grant: 'refresh_token', tokenUrl: 'https://api.hubapi.com/oauth/v1/token', clientAuthentication: 'body' });
    expect(hubSpotProvider.credentialsSchema(settings).safeParse({ token: 'pat-na1-something' }).success).toBe(false);
    expect(hubSpotProvider.credentialsSchema({}).safeParse({ token: 'pat-na1-something' }).success).toBe(true);
  });
});
