import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { FakeWooCommerceAuth, type AuthMethod, type KeyPermissions } from './fakeWooCommerceAuth.js';
import { fakeStreams, type FakeRecord, type FakeStream } from './fakeWooCommerceData.js';
import { faultForRequest, isDown, type FakeFault, type FakeFaultKind, type FakeWriteFault } from './fakeWooCommerceFaults.js';
import { parseListQuery } from './fakeWooCommerceQuery.js';
import { FakeWooCommerceStore } from './fakeWooCommerceStore.js';
import { deliverFakeWebhook, deliverFakeWebhookPing, type FakeWebhookOptions, type FakeWebhookResponse } from './fakeWooCommerceWebhooks.js';
import { checkWrite, parseWrite, unknownIdError, type FakeRestError } from './fakeWooCommerceWrites.js';
import { credentialEchoError, receivedCredentials } from './fakeWooCommerceEcho.js';

export type { FakeRecord, FakeStream } from './fakeWooCommerceData.js';
export type { KeyPermissions } from './fakeWooCommerceAuth.js';
export type { FakeWebhookOptions, FakeWebhookResponse } from './fakeWooCommerceWebhooks.js';
export { faultForRequest, fakeFaultKinds, type FakeFault, type FakeFaultKind, type FakeWriteFault } from './fakeWooCommerceFaults.js';

export interface FakeWooCommerceFaults {
  /** Every n-th request (counted from start or the last setFaults) answers 429. */
  rateLimitEvery?: number;
  /** Retry-After sent with those 429s; none when undefined. */
  retryAfterSeconds?: number;
  /** Every n-th request answers 500 (the WordPress "critical error" body). */
  serverErrorEvery?: number;
  /** Delay before every response, to exercise client timeouts. */
  latencyMs?: number;
  /**
   * Seeded random faults: request n (counted like the every-n-th faults) fails with this
   * probability, with a kind drawn from `kinds`. Which requests fail, and how, depends only on
   * `seed` and n (see faultForRequest), so a run is reproducible.
   */
  failureRate?: number;
  /** Seed of the random faults; default 1. */
  seed?: number;
  /** Kinds of random fault; default server_error, timeout and truncated_json. */
  kinds?: readonly FakeFaultKind[];
  /**
   * How long a `timeout` fault holds the request before answering it normally; default: never
   * answer, until the client gives up and closes the connection (or the fake closes).
   */
  hangMs?: number;
  /**
   * How a `truncated_json` response ends: `clean` (default) is a complete HTTP response whose
   * body (Content-Length = the bytes sent) stops in the middle of the JSON, as when PHP dies
   * mid-output; `reset` sends a chunked body and destroys the connection half-way.
   */
  truncation?: 'clean' | 'reset';
  /**
   * The store is down (every request answers 503, before anything else) while the store clock
   * is before this epoch-ms time; a function is asked on every request, so a test can move it.
   */
  downUntil?: number | (() => number);
  /** Status of `credential_echo` answers to reads; default 401. */
  credentialEchoStatus?: number;
  /** What the next writes meet, one entry per write (counted from start or the last setFaults); see FakeWriteFault. */
  writeFaults?: readonly FakeWriteFault[];
}

export interface FakeWooCommerceOptions {
  seed: number;
  counts: Record<FakeStream, number>;
  consumerKey: string;
  consumerSecret: string;
  /** Serve HTTPS with this key pair (PEM) instead of plain HTTP. */
  https?: { key: string; cert: string };
  /** Default 0: any free port on 127.0.0.1. */
  port?: number;
  faults?: FakeWooCommerceFaults;
  /** Store time zone as a fixed offset (default +60 min), so local and GMT dates differ. */
  timezoneOffsetMinutes?: number;
  /** Store clock (ms), for date_modified bumps and the OAuth timestamp window. */
  now?: () => number;
  /** Default 900 s, as WooCommerce. */
  oauthTimestampToleranceSeconds?: number;
  /** The key's permissions; default `read_write`. A `read` key's writes answer 401, as WooCommerce's do. */
  keyPermissions?: KeyPermissions;
  /**
   * Role of the WordPress user the key belongs to; default `shop_manager`. A `customer` may not
   * list or edit customers, products or orders: authenticated, yet every such request answers
   * 403, as WooCommerce's capability checks do for a logged-in user (rest_authorization_required_code).
   */
  keyOwnerRole?: 'shop_manager' | 'customer';
}

export interface FakeRequestLogEntry {
  method: string;
  path: string;
  /** Decoded query; consumer_secret redacted. */
  query: Record<string, string>;
  /** The status the fake sent; 0 when the client had gone before any answer was sent. */
  status: number;
  auth: AuthMethod | 'none';
  /** Store-clock time (epoch ms) the request arrived. */
  at: number;
  /** The injected fault that shaped this answer, if any. */
  fault?: FakeFault;
  /** A write's body: the parsed JSON, or the text when it is not JSON. */
  body?: unknown;
}

export interface FakeWooCommerce {
  /** Store root, e.g. `http://127.0.0.1:43123` (the REST API is under `/wp-json/wc/v3`). */
  url: string;
  requestLog: FakeRequestLogEntry[];
  close(): Promise<void>;
  updateRecord(stream: FakeStream, id: number, patch: FakeRecord): FakeRecord;
  deleteRecord(stream: FakeStream, id: number): void;
  /** Brings a deleted record back under its id (WordPress's untrash): same content, date_modified now. */
  restoreRecord(stream: FakeStream, id: number): FakeRecord;
  setRecordCount(stream: FakeStream, count: number): void;
  getRecord(stream: FakeStream, id: number): FakeRecord | undefined;
  /** Replaces the faults and restarts their request counter. */
  setFaults(faults: FakeWooCommerceFaults): void;
  /** POSTs the record's current state to `url` as a signed WooCommerce webhook delivery. */
  sendWebhook(url: string, options: FakeWebhookOptions): Promise<FakeWebhookResponse>;
  /** POSTs the unsigned ping WooCommerce sends when a webhook is created. */
  sendWebhookPing(url: string, webhookId?: number): Promise<FakeWebhookResponse>;
}

/**
 * A WooCommerce REST API v3 stand-in for tests, demos and benchmarks: seeded records, the real
 * paging headers, error bodies and authentication rules (see fakeWooCommerceAuth.ts), and writes:
 * PUT/PATCH/POST /wc/v3/{stream}/{id} update, POST /wc/v3/{stream} creates (see fakeWooCommerceWrites.ts).
 */
export async function startFakeWooCommerce(options: FakeWooCommerceOptions): Promise<FakeWooCommerce> {
  const now = options.now ?? Date.now;
  const requestLog: FakeRequestLogEntry[] = [];
  let faults = options.faults ?? {};
  let requestCount = 0;
  let writeCount = 0;
  const timezoneOffsetMinutes = options.timezoneOffsetMinutes ?? 60;
  const lacksCapabilities = options.keyOwnerRole === 'customer';

  // Listen first: the store's own URL (port 0 → any free port) goes into records and signatures.
  const server: Server = options.https ? createHttpsServer(options.https) : createHttpServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const url = `${options.https ? 'https' : 'http'}://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const store = new FakeWooCommerceStore(options.seed, options.counts, url, timezoneOffsetMinutes);
  const auth = new FakeWooCommerceAuth({
    consumerKey: options.consumerKey,
    consumerSecret: options.consumerSecret,
    https: Boolean(options.https),
    homeUrl: url,
    now,
    timestampToleranceSeconds: options.oauthTimestampToleranceSeconds ?? 900,
    permissions: options.keyPermissions ?? 'read_write',
  });

  /** Timers of held (`timeout`) requests, cleared on close so nothing outlives the fake. */
  const holds = new Set<() => void>();

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const [path = '/', search = ''] = (request.url ?? '/').split('?', 2);
    const query = new URLSearchParams(search);
    const at = now();
    requestCount++;
    const n = requestCount;
    const current = faults;
    if (current.latencyMs) await new Promise((resolve) => setTimeout(resolve, current.latencyMs));
    let outcome: AuthMethod | 'none' = 'none';
    let fault: FakeFault | undefined;
    let body: unknown;
    const log = (status: number) =>
      requestLog.push({
        method: request.method ?? 'GET',
        path,
        query: loggedQuery(query),
        status,
        auth: outcome,
        at,
        ...(fault ? { fault } : {}),
        ...(body === undefined ? {} : { body }),
      });
    const reply = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      // The client gave up (timed out) already: nothing reaches it.
      if (response.destroyed || request.socket.destroyed) {
        log(0);
        response.destroy();
        return;
      }
      log(status);
      const text = JSON.stringify(body);
      if (fault === 'truncated_json') return sendTruncated(response, status, text, headers, current.truncation ?? 'clean');
      response.writeHead(status, {
        'content-type': 'application/json; charset=UTF-8',
        'content-length': Buffer.byteLength(text),
        ...headers,
      });
      response.end(text);
    };
    const fail = (status: number, code: string, message: string, headers?: Record<string, string>) =>
      reply(status, { code, message, data: { status } }, headers);
    const refuse = (error: FakeRestError) => reply(error.status, error.body);
    const echoCredentials = (status: number) => refuse(credentialEchoError(status, receivedCredentials(query, request.headers.authorization), options));

    if (current.downUntil !== undefined && isDown(current.downUntil, now())) {
      fault = 'down';
      log(503);
      response.writeHead(503, { 'content-type': 'text/html; charset=UTF-8', 'content-length': Buffer.byteLength(downPage) });
      response.end(downPage);
      return;
    }
    if (current.rateLimitEvery && n % current.rateLimitEvery === 0) {
      fault = 'rate_limit';
      const retryAfter: Record<string, string> =
        current.retryAfterSeconds === undefined ? {} : { 'retry-after': String(current.retryAfterSeconds) };
      return fail(429, 'too_many_requests', 'Too many requests, slow down.', retryAfter);
    }
    if (current.serverErrorEvery && n % current.serverErrorEvery === 0) {
      fault = 'server_error';
      return fail(500, 'internal_server_error', 'There has been a critical error on this website.');
    }
    fault = faultForRequest(current, n);
    switch (fault) {
      case 'server_error':
        return fail(500, 'internal_server_error', 'There has been a critical error on this website.');
      case 'unavailable':
        return fail(503, 'http_503', 'Service Unavailable');
      case 'rate_limit':
        return fail(429, 'too_many_requests', 'Too many requests, slow down.');
      case 'connection_reset':
        log(0);
        request.socket.destroy();
        return;
      case 'credential_echo':
        return echoCredentials(current.credentialEchoStatus ?? 401);
      case 'timeout':
        // Hold the request: until the client closes the connection, or hangMs, then answer as usual.
        if (await hold(request, response, current.hangMs, holds)) return log(0);
        break;
      default:
        break;
    }

    // WordPress authenticates before routing: bad credentials are a 401 on any route.
    const authOutcome = auth.authenticate(request.method ?? 'GET', path, query, request.headers.authorization);
    if (authOutcome.kind === 'rejected') return fail(401, authOutcome.code, authOutcome.message);
    if (authOutcome.kind === 'authenticated') outcome = authOutcome.method;

    const route = /^\/wp-json\/wc\/v3\/([a-z]+)(?:\/(\d+))?\/?$/.exec(path);
    const stream = fakeStreams.find((candidate) => candidate === route?.[1]);
    const id = route?.[2];
    const method = request.method ?? 'GET';
    // The item route's EDITABLE methods are POST, PUT and PATCH; the collection's CREATABLE is POST.
    const writing = id === undefined ? method === 'POST' : ['POST', 'PUT', 'PATCH'].includes(method);
    if (!route || !stream || (method !== 'GET' && !writing)) {
      return fail(404, 'rest_no_route', 'No route was found matching the URL and request method.');
    }
    if (writing) {
      const text = await readBody(request);
      body = parseLogged(text);
      const writeFault = current.writeFaults?.[writeCount++];
      if (writeFault) fault = writeFault.kind;
      switch (writeFault?.kind) {
        case 'conflict':
          return fail(409, 'rest_conflict', 'The resource was changed by another request.');
        case 'precondition_failed':
          return fail(412, 'rest_precondition_failed', 'The resource has been modified since it was read.');
        case 'rate_limit': {
          const seconds = writeFault.retryAfterSeconds;
          return fail(429, 'too_many_requests', 'Too many requests, slow down.', seconds === undefined ? {} : { 'retry-after': String(seconds) });
        }
        case 'server_error':
          if (!writeFault.applied) return fail(500, 'internal_server_error', 'There has been a critical error on this website.');
          break;
        case 'credential_echo':
          return echoCredentials(writeFault.status ?? 400);
        default:
          break;
      }
      const params = parseWrite(stream, text);
      if ('error' in params) return refuse(params.error);
      const existing = id === undefined ? undefined : store.get(stream, Number(id));
      if (id !== undefined && !existing) return refuse(unknownIdError(stream));
      if (outcome === 'none' || lacksCapabilities) {
        const status = outcome === 'none' ? 401 : 403;
        return existing
          ? fail(status, 'woocommerce_rest_cannot_edit', 'Sorry, you are not allowed to edit this resource.')
          : fail(status, 'woocommerce_rest_cannot_create', 'Sorry, you are not allowed to create resources.');
      }
      const checked = checkWrite({ stream, current: existing, customerExists: (customerId) => store.exists('customers', customerId) }, params);
      if ('error' in checked) return refuse(checked.error);
      if (writeFault?.kind === 'concurrent_edit' && existing) store.update(stream, Number(id), writeFault.patch, now());
      const record = existing ? store.update(stream, Number(id), checked.fields, now()) : store.create(stream, checked.fields, now());
      if (writeFault?.kind === 'server_error') return fail(500, 'internal_server_error', 'There has been a critical error on this website.');
      return existing ? reply(200, record) : reply(201, record, { location: `${url}/wp-json/wc/v3/${stream}/${String(record.id)}` });
    }
    if (outcome === 'none' || lacksCapabilities) {
      return fail(outcome === 'none' ? 401 : 403, 'woocommerce_rest_cannot_view', id ? 'Sorry, you cannot view this resource.' : 'Sorry, you cannot list resources.');
    }
    if (id) {
      const record = store.get(stream, Number(id));
      return record ? reply(200, record) : fail(404, 'woocommerce_rest_invalid_id', 'Invalid ID.');
    }
    const parsed = parseListQuery(stream, query, timezoneOffsetMinutes);
    if ('invalid' in parsed) {
      const names = Object.keys(parsed.invalid);
      return reply(400, {
        code: 'rest_invalid_param',
        message: `Invalid parameter(s): ${names.join(', ')}`,
        data: { status: 400, params: parsed.invalid },
      });
    }
    const { records, total } = store.list(stream, parsed.query);
    return reply(200, records, {
      'x-wp-total': String(total),
      'x-wp-totalpages': String(Math.ceil(total / parsed.query.perPage)),
    });
  };

  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    handle(request, response).catch((error: unknown) => {
      response.writeHead(500, { 'content-type': 'text/plain' });
      response.end(String(error));
    });
  });

  return {
    url,
    requestLog,
    close: () =>
      new Promise<void>((resolve, reject) => {
        for (const release of holds) release();
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
    updateRecord: (stream, id, patch) => store.update(stream, id, patch, now()),
    deleteRecord: (stream, id) => store.delete(stream, id),
    restoreRecord: (stream, id) => store.restore(stream, id, now()),
    setRecordCount: (stream, count) => store.setCount(stream, count),
    getRecord: (stream, id) => store.get(stream, id),
    setFaults: (next) => {
      faults = next;
      requestCount = 0;
      writeCount = 0;
    },
    sendWebhook: (target, webhook) => deliverFakeWebhook(target, url, store.get(`${webhook.resource}s`, webhook.id), webhook),
    sendWebhookPing: (target, webhookId) => deliverFakeWebhookPing(target, webhookId),
  };
}

const downPage = '<!DOCTYPE html><html><head><title>503 Service Unavailable</title></head><body><h1>Service Unavailable</h1></body></html>';

/**
 * Waits until the client closes the connection (resolves true) or `hangMs` passes (false). The
 * returned release, kept in `holds` until then, ends the wait when the fake closes.
 */
function hold(request: IncomingMessage, response: ServerResponse, hangMs: number | undefined, holds: Set<() => void>): Promise<boolean> {
  return new Promise<boolean>((resolve) => {
    let timer: NodeJS.Timeout | undefined;
    const finish = (gone: boolean) => {
      clearTimeout(timer);
      holds.delete(release);
      response.off('close', onClose);
      resolve(gone);
    };
    const onClose = () => finish(true);
    const release = () => finish(true);
    holds.add(release);
    if (response.destroyed || request.socket.destroyed) return finish(true);
    response.once('close', onClose);
    if (hangMs !== undefined) timer = setTimeout(() => finish(response.destroyed || request.socket.destroyed), hangMs);
  });
}

/** Status and headers as usual, then half of the body (at least one byte short of the whole). */
function sendTruncated(response: ServerResponse, status: number, text: string, headers: Record<string, string>, how: 'clean' | 'reset'): void {
  const body = Buffer.from(text);
  const cut = body.subarray(0, Math.max(0, Math.min(body.length - 1, Math.floor(body.length / 2))));
  if (how === 'clean') {
    response.writeHead(status, { 'content-type': 'application/json; charset=UTF-8', 'content-length': cut.length, ...headers });
    response.end(cut);
    return;
  }
  // Chunked (no Content-Length), and the connection dies before the terminating chunk.
  response.writeHead(status, { 'content-type': 'application/json; charset=UTF-8', ...headers });
  response.flushHeaders();
  response.write(cut, () => response.socket?.destroy());
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function parseLogged(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function loggedQuery(query: URLSearchParams): Record<string, string> {
  const logged = Object.fromEntries(query);
  if ('consumer_secret' in logged) logged.consumer_secret = '[redacted]';
  return logged;
}
