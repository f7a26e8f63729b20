import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { authenticationError, doesNotExist, FrappeException, invalidJson, permissionError } from './fakeErpNextErrors.js';
import { parseListQuery, runListQuery } from './fakeErpNextQuery.js';
import { ErpNextRateLimiter, type FakeErpNextRateLimitOptions } from './fakeErpNextRateLimit.js';
import { seedFields } from './fakeErpNextSeed.js';
import { ErpNextStore, type FrappeDoc } from './fakeErpNextStore.js';
import { sendErpNextWebhook } from './fakeErpNextWebhooks.js';

export type { FrappeDoc } from './fakeErpNextStore.js';
export type { FakeErpNextRateLimitOptions } from './fakeErpNextRateLimit.js';
export { signErpNextWebhook } from './fakeErpNextWebhooks.js';

export interface FakeErpNextOptions {
  apiKey: string;
  apiSecret: string;
  rateLimit?: FakeErpNextRateLimitOptions;
  /** DocTypes the API user may not read or write: 403 PermissionError. */
  forbiddenDoctypes?: readonly string[];
  /** The site's clock, in epoch milliseconds. */
  now?: () => number;
}

export interface FakeErpNextRequest {
  method: string;
  /** Decoded, e.g. `/api/resource/Sales Invoice`. */
  path: string;
  query: Record<string, string>;
  /** The JSON body of a write. */
  body?: Record<string, unknown>;
  status: number;
}

export interface FakeErpNext {
  /** http://127.0.0.1:<port> */
  url: string;
  /** n documents of deterministic content, created (and last modified) over the past `spreadMs` (default one day), oldest first. */
  seed(doctype: string, n: number, spreadMs?: number): FrappeDoc[];
  insert(doctype: string, fields: Record<string, unknown>): FrappeDoc;
  /** A save as another user makes it: `modified` moves on (to `atMs` if given). */
  update(doctype: string, name: string, fields: Record<string, unknown>, atMs?: number): FrappeDoc;
  /** Deletes outright, as Frappe does. */
  remove(doctype: string, name: string): void;
  get(doctype: string, name: string): FrappeDoc | undefined;
  all(doctype: string): FrappeDoc[];
  /** The next list of `doctype` answers 200 with this body instead (a proxy's or a broken app's answer). */
  answerNextListWith(doctype: string, body: unknown): void;
  /** POSTs `body` signed with `secret` as the webhook would. */
  sendWebhook(url: string, secret: string, body: Record<string, unknown>): Promise<number>;
  readonly requests: FakeErpNextRequest[];
  close(): Promise<void>;
}

const RESOURCE = /^\/api(?:\/v1)?\/resource\/([^/]+)(?:\/([^/]+))?\/?$/;

/**
 * A Frappe site serving ERPNext's REST resource API on 127.0.0.1, faithful enough for
 * frappe-js-sdk 1.14.1: `GET|POST /api/resource/{DocType}` and `GET|PUT|DELETE …/{name}` for any
 * DocType, `fields`/`filters`/`order_by`/`limit_start`/`limit_page_length`, token auth, the
 * `modified` check on saves (417 TimestampMismatchError), Frappe's error bodies and its optional
 * rate limiter.
 */
export async function startFakeErpNext(options: FakeErpNextOptions): Promise<FakeErpNext> {
  const clock = options.now ?? Date.now;
  const store = new ErpNextStore(clock, 'api@example.com');
  const limiter = new ErpNextRateLimiter(options.rateLimit);
  const forbidden = new Set(options.forbiddenDoctypes ?? []);
  const brokenLists = new Map<string, unknown>();
  const requests: FakeErpNextRequest[] = [];
  const token = `token ${options.apiKey}:${options.apiSecret}`;

  const server = createServer((req, res) => {
    const target = new URL(req.url ?? '/', 'http://fake');
    const logged: FakeErpNextRequest = { method: req.method ?? 'GET', path: safeDecode(target.pathname), query: Object.fromEntries(target.searchParams), status: 0 };
    let headers: Record<string, string> = {};
    handle(req, target, logged, (sent) => (headers = sent))
      .then(({ status, body }) => send(res, status, body, headers))
      .catch((error: unknown) => {
        const exception = error instanceof FrappeException ? error : new FrappeException(500, 'Exception', error instanceof Error ? error.message : String(error));
        send(res, exception.status, exception.body(), { ...headers, ...exception.headers });
      })
      .finally(() => {
        logged.status = res.statusCode;
        requests.push(logged);
      });
  });

  async function handle(req: IncomingMessage, target: URL, logged: FakeErpNextRequest, setHeaders: (headers: Record<string, string>) => void): Promise<{ status: number; body: unknown }> {
    const text = await readText(req);
    const match = RESOURCE.exec(target.pathname);
    if (!match) throw new FrappeException(404, 'DoesNotExistError', `Page ${target.pathname} not found`);
    if (req.headers.authorization !== token) throw authenticationError();
    const admission = limiter.take(clock());
    if ('refusal' in admission) throw admission.refusal;
    setHeaders(admission.headers);
    const doctype = safeDecode(match[1]!);
    const name = match[2] === undefined ? undefined : safeDecode(match[2]);
    if (forbidden.has(doctype)) throw permissionError(doctype);
    const method = req.method ?? 'GET';
    if (method === 'GET' && name === undefined) {
      const broken = brokenLists.get(doctype);
      if (broken !== undefined) {
        brokenLists.delete(doctype);
        return { status: 200, body: broken };
      }
      return { status: 200, body: { data: runListQuery(parseListQuery(target.searchParams), store.all(doctype)) } };
    }
    if (method === 'POST' && name === undefined) {
      const body = parseBody(text);
      logged.body = body;
      return { status: 200, body: { data: store.insert(doctype, body) } };
    }
    if (name === undefined) throw new FrappeException(405, 'ValidationError', `${method} is not allowed here`);
    if (method === 'GET') {
      const doc = store.get(doctype, name);
      if (!doc) throw doesNotExist(doctype, name);
      return { status: 200, body: { data: doc } };
    }
    if (method === 'PUT') {
      const body = parseBody(text);
      logged.body = body;
      return { status: 200, body: { data: store.update(doctype, name, body) } };
    }
    if (method === 'DELETE') {
      store.remove(doctype, name);
      return { status: 202, body: { data: 'ok' } };
    }
    throw new FrappeException(405, 'ValidationError', `${method} is not allowed here`);
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('fake ERPNext: no TCP address');
  const copy = <T>(value: T): T => structuredClone(value);
  return {
    url: `http://127.0.0.1:${address.port}`,
    seed(doctype, n, spreadMs = 24 * 3600 * 1000) {
      const customers = store.all('Customer').map((doc) => doc.name);
      const items = store.all('Item').map((doc) => doc.name);
      const offset = store.all(doctype).length;
      const start = clock() - spreadMs;
      return copy(Array.from({ length: n }, (_, index) => store.insert(doctype, seedFields(doctype, offset + index, customers, items), start + (index * spreadMs) / Math.max(1, n))));
    },
    insert: (doctype, fields) => copy(store.insert(doctype, fields)),
    update: (doctype, name, fields, atMs) => copy(store.update(doctype, name, { ...fields, modified: undefined }, atMs)),
    remove: (doctype, name) => store.remove(doctype, name),
    get: (doctype, name) => copy(store.get(doctype, name)),
    all: (doctype) => copy(store.all(doctype)),
    answerNextListWith: (doctype, body) => void brokenLists.set(doctype, body),
    sendWebhook: sendErpNextWebhook,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function readText(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** A write's body: one JSON object (frappe-js-sdk and the connector send JSON). */
function parseBody(text: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text === '' ? '{}' : text);
  } catch {
    throw invalidJson('data');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw invalidJson('data');
  return parsed as Record<string, unknown>;
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string>): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}
