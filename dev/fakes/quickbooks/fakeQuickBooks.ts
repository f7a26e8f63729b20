import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { changeDataCapture } from './fakeQuickBooksCdc.js';
import { entityNamed, nameField, type QuickBooksEntity, type QuickBooksRecord } from './fakeQuickBooksEntities.js';
import { objectNotFound, QuickBooksFault, requiredParameter, unsupportedOperation } from './fakeQuickBooksFaults.js';
import { readText, sendJson } from './fakeQuickBooksHttp.js';
import { QuickBooksTokens, type FakeQuickBooksOAuthOptions, type QuickBooksTokenSet } from './fakeQuickBooksOAuth.js';
import { parseQuery, runQuery } from './fakeQuickBooksQuery.js';
import { QuickBooksRateLimiter, type FakeQuickBooksRateLimitOptions } from './fakeQuickBooksRateLimit.js';
import { QuickBooksStore } from './fakeQuickBooksStore.js';
import { formatQuickBooksTime } from './fakeQuickBooksTime.js';
import { sendWebhook, type QuickBooksWebhookEntity } from './fakeQuickBooksWebhooks.js';

export type { QuickBooksEntity, QuickBooksRecord } from './fakeQuickBooksEntities.js';
export type { QuickBooksTokenSet } from './fakeQuickBooksOAuth.js';
export type { FakeQuickBooksRateLimitOptions } from './fakeQuickBooksRateLimit.js';
export { signQuickBooksWebhook, webhookBody, type QuickBooksWebhookEntity } from './fakeQuickBooksWebhooks.js';

export interface FakeQuickBooksOptions extends FakeQuickBooksOAuthOptions {
  /** The one company served; any other realm in a path is refused as another company's. */
  realmId?: string;
  rateLimit?: FakeQuickBooksRateLimitOptions;
  /** Answer ValidationFaults with HTTP 200, as QuickBooks sometimes does: a client must read the body. */
  faultsWithStatus200?: boolean;
  /** Held before each API answer, so concurrent requests overlap. */
  latencyMs?: number;
  /** The company's offset from UTC in MetaData and `time`; default -480 (US Pacific standard time). */
  utcOffsetMinutes?: number;
  /** The fake's clock, in epoch milliseconds. */
  now?: () => number;
}

export interface FakeQuickBooksRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  status: number;
}

export interface FakeQuickBooks {
  /** http://127.0.0.1:<port> */
  url: string;
  /** For node-quickbooks' static `V3_ENDPOINT_BASE_URL`: `<url>/v3/company/`. */
  v3BaseUrl: string;
  /** For intuit-oauth's `OAuthClient.tokenEndpoint` and node-quickbooks' `TOKEN_URL`. */
  tokenUrl: string;
  realmId: string;
  /** A token pair for the company, as a completed consent would give. */
  issueTokens(): QuickBooksTokenSet;
  /** A one-time code for `grant_type=authorization_code`. */
  authorizationCode(): string;
  expireAccessTokens(): void;
  /** Refresh tokens still honoured: after a clean rotation, exactly the one the client kept. */
  liveRefreshTokens(): string[];
  /** Refreshes granted and refused since the start. */
  readonly tokenCounts: { refreshes: number; refusedGrants: number };
  /** n records of deterministic content modified at scrambled instants over the past `spreadMs` (default one day). */
  seed(entity: QuickBooksEntity, n: number, spreadMs?: number): QuickBooksRecord[];
  create(entity: QuickBooksEntity, fields: Record<string, unknown>): QuickBooksRecord;
  /** A sparse update as another user would make it: the current SyncToken is used. */
  update(entity: QuickBooksEntity, id: string, fields: Record<string, unknown>): QuickBooksRecord;
  /** Deletes outright; CDC then reports it as deleted. */
  remove(entity: QuickBooksEntity, id: string): void;
  get(entity: QuickBooksEntity, id: string): QuickBooksRecord | undefined;
  all(entity: QuickBooksEntity): QuickBooksRecord[];
  sendWebhook(url: string, options: { verifierToken: string; format: 'legacy' | 'cloudevents'; entities: QuickBooksWebhookEntity[] }): Promise<number>;
  readonly requests: FakeQuickBooksRequest[];
  close(): Promise<void>;
}

const tokenPath = '/oauth2/v1/tokens/bearer';

/**
 * QuickBooks Online's accounting API for one company on 127.0.0.1, faithful enough for
 * node-quickbooks 2.0.50 and intuit-oauth 4.2.5: the OAuth 2 token endpoint with rotating refresh
 * tokens; the query language with paging; CDC; reads; creates and SyncToken-checked updates; the
 * Fault bodies; Intuit's throttles. Webhooks are sent with `sendWebhook`.
 */
export async function startFakeQuickBooks(options: FakeQuickBooksOptions): Promise<FakeQuickBooks> {
  const realmId = options.realmId ?? '9130357766900456';
  const offset = options.utcOffsetMinutes ?? -480;
  const clock = options.now ?? Date.now;
  const store = new QuickBooksStore(clock, offset);
  const tokens = new QuickBooksTokens(options, clock);
  const limiter = new QuickBooksRateLimiter(options.rateLimit);
  const requests: FakeQuickBooksRequest[] = [];
  const time = () => formatQuickBooksTime(clock(), offset);

  const server = createServer((req, res) => {
    const target = new URL(req.url ?? '/', 'http://fake');
    const logged: FakeQuickBooksRequest = { method: req.method ?? 'GET', path: target.pathname, query: Object.fromEntries(target.searchParams), status: 0 };
    const finished = target.pathname === tokenPath ? tokens.handle(req, res) : api(req, res, target);
    finished
      .catch((error: unknown) => {
        if (res.headersSent) return;
        const fault = error instanceof QuickBooksFault ? error : new QuickBooksFault(500, 'SystemFault', { Message: 'An application error has occurred while processing your request', Detail: 'System Failure Error', code: '10000' });
        const status = options.faultsWithStatus200 === true && fault.status === 400 ? 200 : fault.status;
        sendJson(res, status, fault.body(clock(), offset), fault.headers);
      })
      .finally(() => {
        logged.status = res.statusCode;
        requests.push(logged);
      });
  });

  async function api(req: IncomingMessage, res: ServerResponse, target: URL): Promise<void> {
    const text = await readText(req);
    const match = /^\/v3\/company\/([^/]+)\/([^/]+)(?:\/([^/]+))?\/?$/.exec(target.pathname);
    if (!match) throw unsupportedOperation(target.pathname);
    tokens.authenticate(req, decodeURIComponent(match[1] as string));
    const admission = limiter.take(realmId, clock());
    if ('refusal' in admission) throw admission.refusal;
    try {
      if (options.latencyMs !== undefined) await sleep(options.latencyMs);
      const body = route(req.method ?? 'GET', decodeURIComponent(match[2] as string), match[3] === undefined ? undefined : decodeURIComponent(match[3]), target, text);
      sendJson(res, 200, { ...body, time: time() });
    } finally {
      admission.release();
    }
  }

  function route(method: string, resource: string, id: string | undefined, target: URL, text: string): Record<string, unknown> {
    const params = target.searchParams;
    if (resource === 'query' && id === undefined && (method === 'GET' || method === 'POST')) {
      // node-quickbooks sends the query in the URL; Intuit's SDKs POST it as application/text.
      const statement = method === 'GET' ? params.get('query') : text;
      if (statement === null || statement.trim() === '') throw requiredParameter('query');
      return query(statement);
    }
    if (resource === 'cdc' && id === undefined && method === 'GET') return { CDCResponse: changeDataCapture(store, params, clock(), offset) };
    const entity = entityNamed(resource);
    if (entity === undefined || resource !== resource.toLowerCase()) throw unsupportedOperation(target.pathname);
    if (method === 'GET' && id !== undefined) {
      const stored = store.get(entity, id);
      if (!stored) throw objectNotFound(entity, id);
      return { [entity]: stored.record };
    }
    if (method !== 'POST' || id !== undefined) throw unsupportedOperation(target.pathname);
    const body = parseEntity(text);
    const operation = params.get('operation');
    if (operation === 'delete') return { [entity]: remove(entity, body) };
    if (operation !== null && operation !== 'update') throw unsupportedOperation(`${target.pathname}?operation=${operation}`);
    // An entity with an Id is an update whether or not `operation=update` is given.
    if (body.Id !== undefined) return { [entity]: store.update(entity, body, body.sparse === true) };
    return { [entity]: store.create(entity, body) };
  }

  function query(statement: string): Record<string, unknown> {
    const parsed = parseQuery(statement);
    const matching = runQuery(parsed, store.all(parsed.entity), offset);
    if (parsed.count) return { QueryResponse: { totalCount: matching.length } };
    const page = matching.slice(parsed.startPosition - 1, parsed.startPosition - 1 + parsed.maxResults).map((stored) => stored.record);
    // QuickBooks answers an empty page with an empty QueryResponse; maxResults is the count served.
    if (page.length === 0) return { QueryResponse: {} };
    return { QueryResponse: { [parsed.entity]: page, startPosition: parsed.startPosition, maxResults: page.length } };
  }

  /** Transactions can be deleted (with their current SyncToken); name lists only made inactive. */
  function remove(entity: QuickBooksEntity, body: Record<string, unknown>): Record<string, unknown> {
    if (nameField[entity] !== undefined) throw unsupportedOperation(`${entity} cannot be deleted: set Active to false`);
    const id = String(body.Id ?? '');
    const stored = store.get(entity, id);
    if (!stored) throw objectNotFound(entity, id);
    if (body.SyncToken === undefined) throw requiredParameter('SyncToken');
    store.update(entity, { Id: id, SyncToken: body.SyncToken }, true);
    store.remove(entity, id);
    return { status: 'Deleted', domain: 'QBO', Id: id };
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('fake QuickBooks: no TCP address');
  const url = `http://127.0.0.1:${address.port}`;
  const existing = (entity: QuickBooksEntity, id: string) => {
    const stored = store.get(entity, id);
    if (!stored) throw new Error(`fake QuickBooks has no ${entity} ${id}`);
    return stored;
  };
  return {
    url,
    v3BaseUrl: `${url}/v3/company/`,
    tokenUrl: `${url}${tokenPath}`,
    realmId,
    issueTokens: () => tokens.issue(realmId),
    authorizationCode: () => tokens.authorizationCode(realmId),
    expireAccessTokens: () => tokens.expireAccessTokens(),
    liveRefreshTokens: () => tokens.liveRefreshTokens(),
    tokenCounts: tokens.counts,
    seed: (entity, n, spreadMs = 24 * 3600 * 1000) => structuredClone(store.seed(entity, n, spreadMs)),
    create: (entity, fields) => structuredClone(store.create(entity, fields)),
    update: (entity, id, fields) => structuredClone(store.update(entity, { ...fields, Id: id, SyncToken: existing(entity, id).record.SyncToken }, true)),
    remove: (entity, id) => void store.remove(entity, existing(entity, id).record.Id),
    get: (entity, id) => structuredClone(store.get(entity, id)?.record),
    all: (entity) => structuredClone(store.all(entity).map((stored) => stored.record)),
    sendWebhook: (target, webhook) => sendWebhook(target, { ...webhook, realmId }),
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** A write's body: one JSON object, else QuickBooks' request-parse fault. */
function parseEntity(text: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new QuickBooksFault(400, 'ValidationFault', { Message: 'Request has invalid or unsupported property', Detail: 'Property Name:Failed to parse json object', code: '2010' });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw requiredParameter('entity');
  return parsed as Record<string, unknown>;
}
