import { createServer, type Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeNotion, type FakeNotion, type FakeNotionOptions, type FakeNotionRequest } from '../../dev/fakes/notion/fakeNotion.js';
import type { Connector, SourceRecord } from '../../shared/connectors/connector.js';
import { notionProvider } from '../../shared/connectors/notion/notionProvider.js';
import { NOTION_API_VERSION } from '../../shared/connectors/notion/notionSettings.js';
import { ProviderError } from '../../shared/connectors/providerError.js';
import { RateLimitError } from '../../shared/connectors/rateLimitError.js';
import { WriteConflictError } from '../../shared/connectors/writeConflictError.js';
import { loopbackOutbound } from '../unit/sync/loopbackOutbound.js';

const token = 'ntn_contract_test_integration_token';
const dataSourceId = '7c1e2d3f-0000-4000-8000-00000000b001';
let fake: FakeNotion | undefined;
let connector: Connector | undefined;
let server: Server | undefined;
afterEach(async () => {
  await connector?.close?.();
  await fake?.close();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  fake = undefined;
  connector = undefined;
  server = undefined;
});

/** A fake whose rate limit no test meets unless it sets one. */
async function startFake(options: Partial<FakeNotionOptions> = {}): Promise<FakeNotion> {
  fake = await startFakeNotion({ token, rateLimit: { perSecond: 10_000, burst: 10_000 }, ...options });
  return fake;
}

function connect(baseUrl: string, settings: Record<string, unknown> = {}): Connector {
  connector = notionProvider.create(notionProvider.settingsSchema.parse({ baseUrl, dataSourceId, ...settings }), { token }, { outbound: loopbackOutbound() });
  return connector;
}

async function readAll(reader: Connector, modifiedAfter?: Date): Promise<SourceRecord[]> {
  const records: SourceRecord[] = [];
  let next: string | undefined;
  for (let page = 1; ; page++) {
    expect(page).toBeLessThan(100);
    const answer = await reader.listChainedPage!({ stream: 'pages', page, perPage: 100, ...(next ? { next } : {}), ...(modifiedAfter ? { modifiedAfter } : {}) });
    records.push(...answer.records);
    if (answer.next === undefined) return records;
    next = answer.next;
  }
}

const queries = (api: FakeNotion): FakeNotionRequest[] => api.requests.filter((request) => request.method === 'POST' && request.path === `/v1/data_sources/${dataSourceId}/query`);
const idsOf = (records: readonly object[]) => records.map((record) => String((record as { id?: unknown }).id)).sort();

/** Moves a page to the trash as Notion's API does (the fake's helper edits properties only). */
async function trash(api: FakeNotion, pageId: string): Promise<void> {
  const answer = await fetch(`${api.url}/v1/pages/${pageId}`, {
    method: 'PATCH',
    headers: { authorization: `Bearer ${token}`, 'notion-version': NOTION_API_VERSION, 'content-type': 'application/json' },
    body: JSON.stringify({ in_trash: true }),
  });
  expect(answer.status).toBe(200);
}

describe('the Notion connector against the fake', () => {
  it('reads all 250 pages of the data source by the query, paged in the JSON body, with Notion-Version on every call', async () => {
    const api = await startFake();
    api.seed(dataSourceId, 250);
    const records = await readAll(connect(api.url));
    expect(records).toHaveLength(250);
    expect(new Set(idsOf(records)).size).toBe(250);
    expect(records[0]).toMatchObject({ object: 'page', id: expect.any(String), last_edited_time: expect.any(String), properties: { Name: { type: 'title' } } });
    const sent = queries(api);
    expect(sent).toHaveLength(3);
    expect(sent.every((request) => request.status === 200 && request.notionVersion === NOTION_API_VERSION)).toBe(true);
    expect(sent[0]!.body).toEqual({ sorts: [{ timestamp: 'created_time', direction: 'ascending' }], page_size: 100 });
    // The cursor travels in the body, never in the URL.
    expect(sent.slice(1).map((request) => (request.body as { start_cursor?: unknown }).start_cursor)).toEqual([expect.any(String), expect.any(String)]);
  });

  it('sends the Notion-Version the settings name', async () => {
    const api = await startFake();
    api.seed(dataSourceId, 3);
    await readAll(connect(api.url, { notionVersion: '2026-01-15' }));
    expect(queries(api).map((request) => request.notionVersion)).toEqual(['2026-01-15']);
  });

  it('an incremental read floors the instant to the minute, so a page edited earlier in that minute is not missed', async () => {
    const api = await startFake();
    const pages = api.seed(dataSourceId, 300);
    const changed = pages.slice(0, 3).map((page) => api.update(page.id, { status: 'Active' }));
    // Half a minute after the edits' (minute-rounded) stamp: a filter from this exact instant would miss them.
    const since = new Date(Date.parse(changed[0]!.last_edited_time) + 30_000);
    const records = await readAll(connect(api.url), since);
    expect(idsOf(records)).toEqual(idsOf(changed));
    expect(queries(api)[0]!.body).toEqual({
      filter: { timestamp: 'last_edited_time', last_edited_time: { on_or_after: changed[0]!.last_edited_time } },
      sorts: [{ timestamp: 'last_edited_time', direction: 'ascending' }],
      page_size: 100,
    });
  });

  it('reads a webhook\'s ids one page each; a trashed page is a delete, an unknown one absent; the query never returns trashed pages', async () => {
    const api = await startFake();
    const [kept, trashed] = api.seed(dataSourceId, 5);
    await trash(api, trashed!.id);
    const unknown = '00000000-0000-4000-8000-000000000000';
    const reader = connect(api.url);
    const ids = [kept!.id, trashed!.id, unknown];
    const first = await reader.listChainedPage!({ stream: 'pages', page: 1, perPage: 100, ids });
    expect(first).toMatchObject({ records: [{ id: kept!.id }], next: '1' });
    const second = await reader.listChainedPage!({ stream: 'pages', page: 2, perPage: 100, ids, next: first.next! });
    expect(second).toMatchObject({ records: [], deletedIds: [trashed!.id], next: '2' });
    const third = await reader.listChainedPage!({ stream: 'pages', page: 3, perPage: 100, ids, next: second.next! });
    expect(third.records).toEqual([]);
    expect(third.next).toBeUndefined();
    expect(api.requests.filter((request) => request.method === 'GET').map((request) => [request.path, request.status])).toEqual([
      [`/v1/pages/${kept!.id}`, 200],
      [`/v1/pages/${trashed!.id}`, 200],
      [`/v1/pages/${unknown}`, 404],
    ]);
    expect(queries(api)).toHaveLength(0);
    expect(idsOf(await readAll(reader))).not.toContain(trashed!.id);
  });

  it('updates page properties with a PATCH after checking last_edited_time; a page edited since is a conflict and is not written', async () => {
    const api = await startFake();
    const [page, other] = api.seed(dataSourceId, 2);
    const writer = connect(api.url);
    const result = await writer.update!('pages', page!.id, { properties: { Status: { select: { name: 'Active' } }, Email: { email: 'ada@example.org' } } }, { modifiedAt: page!.last_edited_time });
    expect(api.get(page!.id)?.properties).toMatchObject({ Status: { select: { name: 'Active' } }, Email: { email: 'ada@example.org' } });
    expect(result).toMatchObject({ externalId: page!.id, modifiedAt: api.get(page!.id)?.last_edited_time });
    expect(api.requests.filter((request) => request.method === 'PATCH')).toMatchObject([{ path: `/v1/pages/${page!.id}`, body: { properties: { Status: { select: { name: 'Active' } } } } }]);

    const edited = api.update(other!.id, { name: 'Edited in Notion' });
    expect(edited.last_edited_time).not.toBe(other!.last_edited_time);
    await expect(writer.update!('pages', other!.id, { properties: { Email: { email: 'x@example.org' } } }, { modifiedAt: other!.last_edited_time })).rejects.toBeInstanceOf(WriteConflictError);
    expect(api.requests.filter((request) => request.method === 'PATCH')).toHaveLength(1);
    expect(api.get(other!.id)?.properties.Email.email).toBe(other!.properties.Email.email);
  });

  it("maps Notion's 429 with Retry-After to a rate limit carrying the wait", async () => {
    const api = await startFake({ rateLimit: { perSecond: 0.1, burst: 1 } });
    api.seed(dataSourceId, 3);
    const reader = connect(api.url);
    await reader.listChainedPage!({ stream: 'pages', page: 1, perPage: 100 });
    const refused = await reader.listChainedPage!({ stream: 'pages', page: 1, perPage: 100 }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(RateLimitError);
    expect((refused as RateLimitError).retryAfterMs).toBeGreaterThanOrEqual(1_000);
    expect(api.rateLimited).toBe(1);
  });

  it('a query answer whose results are not a list fails the page and names where', async () => {
    server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ object: 'list', results: { oops: true }, next_cursor: null, has_more: false }));
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const address = server.address() as { port: number };
    const failed = await connect(`http://127.0.0.1:${address.port}`).listChainedPage!({ stream: 'pages', page: 1, perPage: 100 }).catch((error: unknown) => error);
    expect(failed).toBeInstanceOf(ProviderError);
    expect(failed).toMatchObject({ code: 'invalid_response', retriable: false });
    expect((failed as Error).message).toMatch(new RegExp(`POST /v1/data_sources/${dataSourceId}/query.*results`));
  });
});
