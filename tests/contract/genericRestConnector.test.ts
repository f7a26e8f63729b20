import { createServer } from 'node:http';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFakeRestApi, type FakeRestApi } from '../../dev/fakes/restApi/fakeRestApi.js';
import { AuthError } from '../../shared/connectors/authError.js';
import type { Connector, SourceRecord } from '../../shared/connectors/connector.js';
import { genericRestProvider } from '../../shared/connectors/genericRest/genericRestProvider.js';
import { ProviderError } from '../../shared/connectors/providerError.js';
import { RateLimitError } from '../../shared/connectors/rateLimitError.js';
import type { ConnectorSpecInput } from '../../shared/connectors/spec/connectorSpec.js';
import { ValidationError } from '../../shared/connectors/validationError.js';
import { WriteConflictError } from '../../shared/connectors/writeConflictError.js';
import { loopbackOutbound } from '../unit/sync/loopbackOutbound.js';

/**
 * A `generic-rest` connection, built as the engine builds it from its settings, against the fake
 * REST API over loopback: cursor and Link-header paging, `updated_since`, ETag writes, errors.
 */

const token = 'generic-rest-token-1';
const title = 'Acme CRM';
type StreamInput = ConnectorSpecInput['streams'][number];

const contacts = (extra: Partial<StreamInput> = {}): StreamInput => ({
  name: 'contacts',
  path: 'contacts',
  recordsPath: 'data',
  modifiedField: 'updated_at',
  paginator: { kind: 'cursor', cursorParam: 'cursor', sizeParam: 'limit', nextCursorPath: 'next_cursor' },
  incremental: { param: 'updated_since' },
  writes: {
    create: { path: 'contacts' },
    update: { method: 'PATCH', path: 'contacts/{id}' },
    concurrency: { kind: 'header', header: 'If-Match' },
    versionField: 'etag',
    forbiddenFields: ['id'],
  },
  ...extra,
});

const settingsFor = (api: { url: string }, spec: Partial<ConnectorSpecInput> = {}) => ({
  spec: {
    title,
    baseUrl: '{root}/v1',
    auth: { kind: 'bearer' },
    maxPageSize: 100,
    errors: { codePath: 'error.code', messagePath: 'error.message', fieldErrorsPath: 'error.fields' },
    streams: [contacts()],
    ...spec,
  },
  variables: { root: api.url },
  timeoutMs: 5_000,
});

const opened: Connector[] = [];
const connect = (api: { url: string }, spec: Partial<ConnectorSpecInput> = {}, credentials: unknown = { token }) => {
  const connector = genericRestProvider.create(settingsFor(api, spec), credentials, { outbound: loopbackOutbound() });
  opened.push(connector);
  return connector;
};
afterEach(async () => {
  await Promise.all(opened.splice(0).map((connector) => connector.close?.()));
});

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => expect.unreachable('the call should have failed'),
    (error: unknown) => error,
  );

/** Every record of the stream, following `next` until absent. */
async function readAll(connector: Connector, modifiedAfter?: Date): Promise<{ records: SourceRecord[]; pages: number }> {
  const records: SourceRecord[] = [];
  let next: string | undefined;
  let page = 1;
  for (; ; page++) {
    const answer = await connector.listChainedPage!({ stream: 'contacts', page, perPage: 100, ...(next ? { next } : {}), ...(modifiedAfter ? { modifiedAfter } : {}) });
    records.push(...answer.records);
    if (answer.next === undefined) return { records, pages: page };
    next = answer.next;
  }
}

let fake: FakeRestApi;
beforeAll(async () => {
  fake = await startFakeRestApi({ collections: ['contacts'], auth: { bearer: token, apiKey: 'generic-rest-key-1' } });
  fake.seed('contacts', 1_000);
});
afterAll(() => fake.close());

describe('generic-rest reads', () => {
  it('declares the stream as chained and filtered by the provider', () => {
    expect(connect(fake).streams()).toMatchObject([{ name: 'contacts', idField: 'id', modifiedField: 'updated_at', dependsOn: [], serverFiltersModified: true, paging: 'chained' }]);
  });

  for (const [kind, paginator] of [
    ['the body cursor', { kind: 'cursor', cursorParam: 'cursor', sizeParam: 'limit', nextCursorPath: 'next_cursor' }],
    ['the Link header', { kind: 'linkHeader', sizeParam: 'limit' }],
  ] as const) {
    it(`reads 1,000 records by ${kind}, each once and in order`, async () => {
      const connector = connect(fake, { streams: [contacts({ paginator })] });
      const before = fake.requests.length;
      const { records, pages } = await readAll(connector);

      const expected = fake.all('contacts').map((record) => record.id);
      expect(expected).toHaveLength(1_000);
      expect(records.map((record) => record.id)).toEqual(expected);
      expect(pages).toBe(10);
      const calls = fake.requests.slice(before);
      expect(calls).toHaveLength(10);
      expect(calls.every((call) => call.status === 200 && call.query.limit === '100')).toBe(true);
    });
  }

  it('sends modifiedAfter as updated_since and gets only the records changed since', async () => {
    const connector = connect(fake);
    const since = new Date();
    const changed = ['contacts_000010', 'contacts_000500', 'contacts_000999'].map((id) => fake.upsert('contacts', { id, name: `changed ${id}` }));
    const before = fake.requests.length;
    const { records } = await readAll(connector, since);

    expect(records).toEqual(changed);
    expect(fake.requests.slice(before).map((call) => call.query.updated_since)).toEqual([since.toISOString()]);
  });

  it('reports the RateLimit headers as the page\'s budget', async () => {
    const page = await connect(fake).listChainedPage!({ stream: 'contacts', page: 1, perPage: 5 });
    expect(page.records).toHaveLength(5);
    expect(page.budget).toMatchObject({ remaining: expect.any(Number), resetAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) });
    expect(page.budget!.remaining).toBeGreaterThan(0);
  });

  it('fails a 401 with an AuthError naming the provider, never the token', async () => {
    const wrong = 'wrong-token-that-must-not-leak';
    const error = await failure(connect(fake, {}, { token: wrong }).listChainedPage!({ stream: 'contacts', page: 1, perPage: 10 }));
    expect(error).toBeInstanceOf(AuthError);
    const { message } = error as AuthError;
    expect(message).toContain(title);
    expect(message).toContain('401');
    expect(message).not.toContain(wrong);
    expect(JSON.stringify(error)).not.toContain(wrong);
  });

  it('authenticates with an API key header', async () => {
    const page = await connect(fake, { auth: { kind: 'apiKey', in: 'header', name: 'X-Api-Key' } }, { apiKey: 'generic-rest-key-1' }).listChainedPage!({ stream: 'contacts', page: 1, perPage: 3 });
    expect(page.records).toHaveLength(3);
  });

  it('fails a body of the wrong shape with a ProviderError naming the provider, the stream and the path', async () => {
    const error = await failure(connect(fake, { streams: [contacts({ recordsPath: 'items' })] }).listChainedPage!({ stream: 'contacts', page: 1, perPage: 10 }));
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ code: 'invalid_response', retriable: false });
    expect((error as ProviderError).message).toBe(`${title} GET /v1/contacts (stream contacts): items is not a JSON array`);
  });
});

describe('generic-rest rate limits', () => {
  let limited: FakeRestApi;
  beforeAll(async () => {
    limited = await startFakeRestApi({ collections: ['contacts'], auth: { bearer: token }, rateLimit: { limit: 1, windowMs: 60_000 } });
    limited.seed('contacts', 3);
  });
  afterAll(() => limited.close());

  it('fails a 429 with a RateLimitError carrying Retry-After', async () => {
    const connector = connect(limited);
    await connector.listChainedPage!({ stream: 'contacts', page: 1, perPage: 10 });
    const error = await failure(connector.listChainedPage!({ stream: 'contacts', page: 1, perPage: 10 }));
    expect(error).toBeInstanceOf(RateLimitError);
    const { retryAfterMs } = error as RateLimitError;
    expect(retryAfterMs).toBeGreaterThan(0);
    expect(retryAfterMs).toBeLessThanOrEqual(60_000);
    expect((error as RateLimitError).message).toContain(title);
  });
});

describe('generic-rest API key in the query', () => {
  // The fake REST API takes keys in a header only: a minimal list endpoint that wants `?api_key=`
  // and, as some APIs do, echoes it in its next link, with a repeated parameter.
  const apiKey = 'query-key-12345';
  const seen: string[] = [];
  const server = createServer((req, res) => {
    const target = new URL(req.url ?? '/', 'http://local');
    seen.push(target.search);
    if (target.searchParams.get('api_key') !== apiKey) {
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { code: 'unauthorized', message: 'bad key' } }));
      return;
    }
    const first = target.searchParams.get('page') === null;
    const link = `<${url}/v1/contacts?page=2&tag=a&tag=b&api_key=${apiKey}>; rel="next"`;
    res.writeHead(200, { 'content-type': 'application/json', ...(first ? { link } : {}) });
    res.end(JSON.stringify([{ id: first ? 'c1' : 'c2', updated_at: '2026-01-01T00:00:00Z' }]));
  });
  let url = '';
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const queryKeySpec: Partial<ConnectorSpecInput> = {
    auth: { kind: 'apiKey', in: 'query', name: 'api_key' },
    streams: [contacts({ recordsPath: undefined, paginator: { kind: 'linkHeader', sizeParam: 'limit' } })],
  };

  it('sends the key as the parameter the spec names, and follows the next link as given', async () => {
    const connector = connect({ url }, queryKeySpec, { apiKey });
    const first = await connector.listChainedPage!({ stream: 'contacts', page: 1, perPage: 10 });
    expect(first.records).toEqual([{ id: 'c1', updated_at: '2026-01-01T00:00:00Z' }]);
    expect(first.next).toBeDefined();
    const second = await connector.listChainedPage!({ stream: 'contacts', page: 2, perPage: 10, next: first.next! });
    expect(second.records).toMatchObject([{ id: 'c2' }]);
    expect(second.next).toBeUndefined();

    expect(seen.slice(-2).map((search) => [...new URLSearchParams(search)])).toEqual([
      [['limit', '10'], ['api_key', apiKey]],
      [['page', '2'], ['tag', 'a'], ['tag', 'b'], ['api_key', apiKey]],
    ]);
  });

  it('keeps the key out of the next token the engine stores', async () => {
    const first = await connect({ url }, queryKeySpec, { apiKey }).listChainedPage!({ stream: 'contacts', page: 1, perPage: 10 });
    expect(first.next).toBe(`${url}/v1/contacts?page=2&tag=a&tag=b`);
  });

  it('keeps a refused key out of the error', async () => {
    const wrong = 'wrong-query-key-999';
    const error = await failure(connect({ url }, queryKeySpec, { apiKey: wrong }).listChainedPage!({ stream: 'contacts', page: 1, perPage: 10 }));
    expect(error).toBeInstanceOf(AuthError);
    expect((error as AuthError).message).not.toContain(wrong);
  });
});

describe('generic-rest writes', () => {
  it('updates with If-Match from precondition.version and returns the new version', async () => {
    const before = fake.get('contacts', 'contacts_000100')!;
    const result = await connect(fake).update!('contacts', before.id, { name: 'Ada' }, { version: before.etag });

    const after = fake.get('contacts', before.id)!;
    expect(after.name).toBe('Ada');
    expect(result).toEqual({ externalId: before.id, record: after, modifiedAt: after.updated_at, version: after.etag });
    expect(after.etag).not.toBe(before.etag);
  });

  it('fails with a WriteConflictError carrying the current record when the version changed', async () => {
    const read = fake.get('contacts', 'contacts_000101')!;
    const current = fake.upsert('contacts', { id: read.id, name: 'changed elsewhere' });
    const error = await failure(connect(fake).update!('contacts', read.id, { name: 'Ada' }, { version: read.etag }));

    expect(error).toBeInstanceOf(WriteConflictError);
    expect(error).toMatchObject({ status: 412, current });
    expect(fake.get('contacts', read.id)!.name).toBe('changed elsewhere');
  });

  it('with only modifiedAt, reads the record first and writes with its etag', async () => {
    const read = fake.get('contacts', 'contacts_000102')!;
    const before = fake.requests.length;
    const result = await connect(fake).update!('contacts', read.id, { name: 'Grace' }, { modifiedAt: read.updated_at });

    expect(fake.requests.slice(before).map((call) => `${call.method} ${call.path} ${call.status}`)).toEqual([
      `GET /v1/contacts/${read.id} 200`,
      `PATCH /v1/contacts/${read.id} 200`,
    ]);
    expect(result.record).toMatchObject({ id: read.id, name: 'Grace' });
    expect(result.version).toBe(fake.get('contacts', read.id)!.etag);
  });

  it('with no precondition at all, still reads the etag the API insists on before writing (no 428)', async () => {
    const read = fake.get('contacts', 'contacts_000104')!;
    const before = fake.requests.length;
    await connect(fake).update!('contacts', read.id, { name: 'Hedy' });
    expect(fake.requests.slice(before).map((call) => `${call.method} ${call.status}`)).toEqual(['GET 200', 'PATCH 200']);
    expect(fake.get('contacts', read.id)!.name).toBe('Hedy');
  });

  it('with only modifiedAt, fails with a WriteConflictError carrying the current record when it changed', async () => {
    const read = fake.get('contacts', 'contacts_000103')!;
    const current = fake.upsert('contacts', { id: read.id, name: 'changed elsewhere' });
    const before = fake.requests.length;
    const error = await failure(connect(fake).update!('contacts', read.id, { name: 'Ada' }, { modifiedAt: read.updated_at }));

    expect(error).toBeInstanceOf(WriteConflictError);
    expect((error as WriteConflictError).current).toEqual(current);
    expect(fake.requests.slice(before).map((call) => call.method)).toEqual(['GET']);
  });

  it('creates a record and answers it as the API has it', async () => {
    const result = await connect(fake).create!('contacts', { name: 'New Person', email: 'new@example.test' });

    const stored = fake.get('contacts', result.externalId);
    expect(stored).toMatchObject({ name: 'New Person', email: 'new@example.test' });
    expect(result).toEqual({ externalId: stored!.id, record: stored, modifiedAt: stored!.updated_at, version: stored!.etag });
  });

  it('fails a 422 with a ValidationError naming the fields', async () => {
    const count = fake.all('contacts').length;
    const error = await failure(connect(fake).create!('contacts', { name: 7, email: 'not-an-email' }));

    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toMatchObject({ status: 422, code: 'validation_failed', fieldErrors: { name: 'must be a string', email: 'must be an email' } });
    expect((error as ValidationError).message).toContain(title);
    expect(fake.all('contacts')).toHaveLength(count);
  });

  it('refuses a forbidden field before any call', async () => {
    const before = fake.requests.length;
    const error = await failure(connect(fake).create!('contacts', { id: 'mine', name: 'x' }));
    expect(error).toMatchObject({ code: 'invalid_fields' });
    expect(fake.requests.length).toBe(before);
  });
});
