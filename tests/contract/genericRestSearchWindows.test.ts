import { afterEach, describe, expect, it } from 'vitest';
import { startFakeRestApi, type FakeRestApi } from '../../dev/fakes/restApi/fakeRestApi.js';
import type { Connector, SourceRecord } from '../../shared/connectors/connector.js';
import { genericRestProvider } from '../../shared/connectors/genericRest/genericRestProvider.js';
import { ProviderError } from '../../shared/connectors/providerError.js';
import { loopbackOutbound } from '../unit/sync/loopbackOutbound.js';

/**
 * A search API that pages through at most `searchCeiling` results per query, as HubSpot's search
 * stops at 10,000: a `generic-rest` stream with `resultCeiling` reads past it in windows, each a
 * new query from the last modified time read.
 */
const token = 'search-windows-token';
const CEILING = 1_000;

const spec = (resultCeiling: number | undefined) => ({
  title: 'Search CRM',
  baseUrl: '{root}/v1',
  auth: { kind: 'bearer' },
  maxPageSize: 100,
  errors: { codePath: 'error.code', messagePath: 'error.message' },
  streams: [
    {
      name: 'contacts',
      path: 'search/contacts',
      recordsPath: 'data',
      modifiedField: 'updated_at',
      paginator: { kind: 'cursor', cursorParam: 'after', sizeParam: 'limit', nextCursorPath: 'paging.next.after', ...(resultCeiling ? { resultCeiling } : {}) },
      incremental: { param: 'updated_since' },
    },
  ],
});

let fake: FakeRestApi | undefined;
let connector: Connector | undefined;
afterEach(async () => {
  await connector?.close?.();
  await fake?.close();
  fake = undefined;
  connector = undefined;
});

async function searchApi(records: number): Promise<FakeRestApi> {
  fake = await startFakeRestApi({ collections: ['contacts'], auth: { bearer: token }, searchCeiling: CEILING });
  fake.seed('contacts', records);
  return fake;
}

const connect = (api: FakeRestApi, resultCeiling: number | undefined) => {
  connector = genericRestProvider.create({ spec: spec(resultCeiling), variables: { root: api.url } }, { token }, { outbound: loopbackOutbound() });
  return connector;
};

async function readAll(reader: Connector, modifiedAfter?: Date): Promise<SourceRecord[]> {
  const records: SourceRecord[] = [];
  let next: string | undefined;
  for (let page = 1; ; page++) {
    expect(page).toBeLessThan(200);
    const answer = await reader.listChainedPage!({ stream: 'contacts', page, perPage: 100, ...(next ? { next } : {}), ...(modifiedAfter ? { modifiedAfter } : {}) });
    records.push(...answer.records);
    if (answer.next === undefined) return records;
    next = answer.next;
  }
}

describe('a search with a result ceiling', () => {
  it('is read past its ceiling in windows: every one of 2,500 records, each query within the ceiling', async () => {
    const api = await searchApi(2_500);
    const records = await readAll(connect(api, CEILING));
    const ids = new Set(records.map((record) => record.id));
    expect(ids.size).toBe(2_500);
    // Windows start at the last modified time read, so a few records at a boundary come twice.
    expect(records.length).toBeLessThan(2_500 + 10);
    const searches = api.requests.filter((request) => request.path === '/v1/search/contacts');
    expect(searches.length).toBeGreaterThan(25);
    expect(searches.every((request) => request.status === 200)).toBe(true);
    // Three or more windows: each a new query (no `after`) from a later updated_since.
    const windowStarts = searches.filter((request) => request.query.after === undefined);
    expect(windowStarts.length).toBeGreaterThanOrEqual(3);
    const anchors = windowStarts.slice(1).map((request) => Date.parse(request.query.updated_since ?? ''));
    expect(anchors.every((anchor, index) => index === 0 || anchor > anchors[index - 1]!)).toBe(true);
  });

  it('without resultCeiling the same read fails at the ceiling, which is what the windows avoid', async () => {
    const api = await searchApi(2_500);
    const error = await readAll(connect(api, undefined)).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ status: 400, code: 'search_limit_exceeded' });
  });

  it('an incremental read starts its first window at modifiedAfter and gets only the records changed since', async () => {
    const api = await searchApi(1_500);
    const since = new Date(Date.now() + 1000);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    for (const id of ['contacts_000003', 'contacts_000777', 'contacts_001400']) api.upsert('contacts', { id, name: 'changed' });
    const records = await readAll(connect(api, CEILING), since);
    expect(records.map((record) => record.id).sort()).toEqual(['contacts_000003', 'contacts_000777', 'contacts_001400']);
  });

  it('more records than the ceiling at one modified time stop the read with an error naming the stream, not a loop', async () => {
    const api = await searchApi(0);
    const at = '2026-01-01T00:00:00.000Z';
    // A bulk import: 1,200 records changed at one instant.
    for (let i = 1; i <= 1_200; i++) api.upsert('contacts', { id: `contacts_${String(i).padStart(6, '0')}` }, at);
    const error = await readAll(connect(api, CEILING)).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ProviderError);
    expect((error as Error).message).toMatch(/Search CRM GET \/v1\/search\/contacts \(stream contacts\): more than 1000 results share one modified time/);
  });
});
