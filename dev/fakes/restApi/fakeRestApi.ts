import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { authenticate, type FakeRestAuth } from './fakeRestApiAuth.js';
import { FakeRestError, readJsonBody, sendError, sendJson } from './fakeRestApiHttp.js';
import { defaultMaxLimit, encodeCursor, parseListQuery } from './fakeRestApiQuery.js';
import { FakeRateLimiter, unlimitedRateLimit } from './fakeRestApiRateLimit.js';
import { FakeRestStore, type FakeRestRecord } from './fakeRestApiStore.js';
import { checkIfMatch, writeFields } from './fakeRestApiWrites.js';

export type { FakeRestRecord } from './fakeRestApiStore.js';

export interface FakeRestApiOptions {
  /** Collections served, e.g. ['contacts', 'companies']. */
  collections: string[];
  /** Auth accepted: a static bearer token, an API key header (`X-Api-Key`), or a callback (OAuth: the fake OAuth server's live tokens). */
  auth: FakeRestAuth;
  /** Max `limit` (default 100); larger limits are served as the max. */
  maxLimit?: number;
  /** Requests per window before 429; RateLimit-Limit/-Remaining/-Reset on every answer. Default: unlimited, headers still sent. */
  rateLimit?: { limit: number; windowMs: number };
  /** The most results `GET /v1/search/{collection}` pages through, as HubSpot's search stops at 10,000 (the default). */
  searchCeiling?: number;
}

export interface FakeRestRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  status: number;
}

export interface FakeRestApi {
  /** http://127.0.0.1:<port> */
  url: string;
  /** Seeds n records in a collection: ids `<collection>_000001`…, updated_at spread over the past day, distinct etags. */
  seed(collection: string, n: number): void;
  /** Creates or merges; bumps updated_at to now (ISO, ms, Z), or to `at` (many records changed at one instant), and the etag. */
  upsert(collection: string, record: Partial<FakeRestRecord> & { id: string }, at?: string): FakeRestRecord;
  remove(collection: string, id: string): void;
  get(collection: string, id: string): FakeRestRecord | undefined;
  all(collection: string): FakeRestRecord[];
  /** Every request answered, in answer order: tests count pages and check parameters. */
  readonly requests: FakeRestRequest[];
  close(): Promise<void>;
}

const notFound = (what: string) => new FakeRestError(404, 'not_found', `${what} not found`);
const quoted = (etag: string) => `"${etag}"`;

/**
 * A JSON REST API on 127.0.0.1 of the kind `generic-rest` specs describe: bearer, OAuth or
 * API-key auth; keyset (cursor) pagination with RFC 8288 `Link: rel="next"`; an `updated_since`
 * filter for incremental reads; ETag / If-Match optimistic concurrency on writes; and IETF
 * draft RateLimit headers with 429 + Retry-After. Errors are `{"error":{"code","message"}}`.
 */
export async function startFakeRestApi(options: FakeRestApiOptions): Promise<FakeRestApi> {
  const store = new FakeRestStore(options.collections);
  const limiter = new FakeRateLimiter(options.rateLimit ?? unlimitedRateLimit);
  const maxLimit = options.maxLimit ?? defaultMaxLimit;
  const requests: FakeRestRequest[] = [];
  let url = '';

  const server = createServer((req, res) => {
    const target = new URL(req.url ?? '/', 'http://fake');
    const logged: FakeRestRequest = { method: req.method ?? 'GET', path: target.pathname, query: Object.fromEntries(target.searchParams), status: 0 };
    const rateHeaders = limiter.take();
    const log = () => {
      logged.status = res.statusCode;
      requests.push(logged);
    };
    handle(req, res, target, rateHeaders.allowed, rateHeaders.headers)
      .catch((error: unknown) => {
        const refusal = error instanceof FakeRestError ? error : new FakeRestError(500, 'internal_error', 'the fake REST API failed');
        if (!res.headersSent) sendError(res, refusal, rateHeaders.headers);
      })
      .finally(log);
  });

  async function handle(req: IncomingMessage, res: ServerResponse, target: URL, allowed: boolean, headers: Record<string, string>): Promise<void> {
    authenticate(req, options.auth);
    if (!allowed) throw new FakeRestError(429, 'rate_limited', 'too many requests; retry after the number of seconds in Retry-After');
    const searched = /^\/v1\/search\/([^/]+)\/?$/.exec(target.pathname);
    if (searched) {
      const collection = decodeSegment(searched[1] as string);
      if (collection === undefined || !store.has(collection)) throw notFound('collection');
      if ((req.method ?? 'GET') !== 'GET') throw methodNotAllowed('GET');
      return search(res, collection, target.searchParams, headers);
    }
    const match = /^\/v1\/([^/]+)(?:\/([^/]+))?\/?$/.exec(target.pathname);
    const collection = match ? decodeSegment(match[1] as string) : undefined;
    if (collection === undefined || !store.has(collection)) throw notFound('collection');
    const id = match?.[2] === undefined ? undefined : decodeSegment(match[2]);
    if (id === undefined && match?.[2] !== undefined) throw notFound('record');
    const method = req.method ?? 'GET';

    if (id === undefined) {
      if (method === 'GET') return list(res, collection, target.searchParams, headers);
      if (method === 'POST') {
        const record = store.create(collection, writeFields(await readJsonBody(req)));
        return sendJson(res, 201, record, { ...headers, etag: quoted(record.etag), location: `${url}/v1/${encodeURIComponent(collection)}/${encodeURIComponent(record.id)}` });
      }
      throw methodNotAllowed('GET, POST');
    }

    const current = store.get(collection, id);
    if (method === 'GET') {
      if (!current) throw notFound('record');
      return sendJson(res, 200, current, { ...headers, etag: quoted(current.etag) });
    }
    if (method === 'PATCH') {
      if (!current) throw notFound('record');
      checkIfMatch(req.headers['if-match'], current.etag);
      const record = store.upsert(collection, { ...writeFields(await readJsonBody(req), id), id });
      return sendJson(res, 200, record, { ...headers, etag: quoted(record.etag) });
    }
    if (method === 'DELETE') {
      if (!current) throw notFound('record');
      if (req.headers['if-match'] !== undefined) checkIfMatch(req.headers['if-match'], current.etag);
      store.remove(collection, id);
      return sendJson(res, 204, undefined, headers);
    }
    throw methodNotAllowed('GET, PATCH, DELETE');
  }

  function list(res: ServerResponse, collection: string, search: URLSearchParams, headers: Record<string, string>): void {
    const query = parseListQuery(search, maxLimit);
    const page = store.page(collection, query);
    const last = page.data.at(-1);
    const nextCursor = page.hasMore && last ? encodeCursor(last.id) : null;
    const linkHeaders: Record<string, string> = {};
    if (nextCursor !== null) {
      // URLSearchParams escapes `,` and `;`, so naive Link parsers (got's splits on `,`) read it whole.
      const next = new URLSearchParams({ limit: String(query.limit), cursor: nextCursor });
      if (query.updatedSince !== undefined) next.set('updated_since', query.updatedSince);
      linkHeaders.link = `<${url}/v1/${encodeURIComponent(collection)}?${next.toString()}>; rel="next"`;
    }
    sendJson(res, 200, { data: page.data, next_cursor: nextCursor }, { ...headers, ...linkHeaders });
  }

  /**
   * A search in `updated_at` order (ties by id), paged by a numeric `after` offset as HubSpot's
   * search is: `{data, total, paging: {next: {after}}}`. Past `searchCeiling` results it refuses
   * (400 `search_limit_exceeded`), so a client must narrow `updated_since` to read further.
   */
  function search(res: ServerResponse, collection: string, params: URLSearchParams, headers: Record<string, string>): void {
    const { updatedSinceMs, limit } = parseListQuery(new URLSearchParams([...params].filter(([name]) => name !== 'after' && name !== 'cursor')), maxLimit);
    const after = params.get('after') ?? '0';
    if (!/^\d+$/.test(after)) throw new FakeRestError(400, 'invalid_parameter', 'after must be a non-negative integer', { parameter: 'after' });
    const offset = Number(after);
    const ceiling = options.searchCeiling ?? 10_000;
    if (offset + limit > ceiling) throw new FakeRestError(400, 'search_limit_exceeded', `a search serves at most ${ceiling} results; narrow it with updated_since`);
    const matching = store
      .all(collection)
      .filter((record) => updatedSinceMs === undefined || Date.parse(record.updated_at) >= updatedSinceMs)
      .sort((a, b) => (a.updated_at < b.updated_at ? -1 : a.updated_at > b.updated_at ? 1 : a.id < b.id ? -1 : 1));
    const data = matching.slice(offset, offset + limit);
    const more = offset + data.length < matching.length;
    sendJson(res, 200, { data, total: matching.length, paging: more ? { next: { after: String(offset + data.length) } } : {} }, headers);
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('fake REST API: no TCP address');
  url = `http://127.0.0.1:${address.port}`;
  return {
    url,
    seed: (collection, n) => store.seed(collection, n),
    upsert: (collection, record, at) => store.upsert(collection, record, at),
    remove: (collection, id) => {
      store.remove(collection, id);
    },
    get: (collection, id) => store.get(collection, id),
    all: (collection) => store.all(collection),
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function methodNotAllowed(allow: string): FakeRestError {
  return new FakeRestError(405, 'method_not_allowed', `allowed: ${allow}`, {}, { allow });
}

function decodeSegment(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}
