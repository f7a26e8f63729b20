import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { HubSpotError, objectNotFound, readBody, sendError, sendJson, unauthenticated, validationError } from './fakeHubSpotHttp.js';
import { FakeHubSpotRateLimiter, type FakeHubSpotRateLimitOptions } from './fakeHubSpotRateLimit.js';
import { parseSearch, runSearch } from './fakeHubSpotSearch.js';
import {
  defaultProperties,
  HubSpotStore,
  hubSpotObjectTypes,
  modifiedProperty,
  readOnlyProperties,
  writableProperties,
  type HubSpotObjectType,
  type HubSpotRecord,
} from './fakeHubSpotStore.js';
import { writeProperties } from './fakeHubSpotWrites.js';

export type { HubSpotObjectType, HubSpotRecord } from './fakeHubSpotStore.js';
export type { FakeHubSpotRateLimitOptions } from './fakeHubSpotRateLimit.js';
export { sendWebhook, signV1, signV3, type HubSpotWebhookEvent, type HubSpotWebhookEventInput, type SendWebhookOptions } from './fakeHubSpotWebhooks.js';

export interface FakeHubSpotOptions {
  /** A private app's static access token. */
  accessToken?: string;
  /** Accepts other bearer tokens, e.g. the fake OAuth server's `isLiveAccessToken`. */
  verifyBearer?: (token: string) => boolean;
  rateLimit?: FakeHubSpotRateLimitOptions;
  /** The most results one search pages through (HubSpot: 10,000, the default). */
  searchCeiling?: number;
}

export interface FakeHubSpotRequest {
  method: string;
  path: string;
  /** Repeated parameters (`properties=a&properties=b`) joined with commas. */
  query: Record<string, string>;
  body: unknown;
  status: number;
}

export interface FakeHubSpot {
  /** http://127.0.0.1:<port>, the client's `basePath`. */
  url: string;
  /** n records with deterministic properties, modified at scrambled instants over the past day. */
  seed(type: HubSpotObjectType, n: number): HubSpotRecord[];
  create(type: HubSpotObjectType, properties: Record<string, string>): HubSpotRecord;
  /** Merges properties and bumps the modification time past every earlier write. */
  update(type: HubSpotObjectType, id: string, properties: Record<string, string>): HubSpotRecord;
  archive(type: HubSpotObjectType, id: string): HubSpotRecord;
  get(type: HubSpotObjectType, id: string): HubSpotRecord | undefined;
  /** Archived records included, in id order. */
  all(type: HubSpotObjectType): HubSpotRecord[];
  /** Every request answered, in answer order. */
  readonly requests: FakeHubSpotRequest[];
  close(): Promise<void>;
}

/** GET lists serve at most 100 per page (HubSpot's documented maximum); larger limits are served as 100 (unverified: HubSpot may refuse them). */
const maxListLimit = 100;
const defaultListLimit = 10;

/**
 * HubSpot's CRM v3 objects API for contacts, companies and deals on 127.0.0.1, faithful enough for
 * `@hubspot/api-client` 13.5: bearer auth, cursor-paged lists (`archived=true` for the archived),
 * reads and writes with HubSpot's error bodies, the search endpoint with its offset paging and
 * 10,000-result ceiling, and HubSpot's rate-limit headers and 429 bodies.
 */
export async function startFakeHubSpot(options: FakeHubSpotOptions): Promise<FakeHubSpot> {
  if (options.accessToken === undefined && options.verifyBearer === undefined) throw new Error('fake HubSpot: give accessToken and/or verifyBearer');
  const store = new HubSpotStore();
  const limiter = new FakeHubSpotRateLimiter(options.rateLimit);
  const ceiling = options.searchCeiling ?? 10_000;
  const requests: FakeHubSpotRequest[] = [];
  let url = '';

  const server = createServer((req, res) => {
    const target = new URL(req.url ?? '/', 'http://fake');
    const query: Record<string, string> = {};
    for (const name of new Set(target.searchParams.keys())) query[name] = target.searchParams.getAll(name).join(',');
    const logged: FakeHubSpotRequest = { method: req.method ?? 'GET', path: target.pathname, query, body: undefined, status: 0 };
    let headers: Record<string, string> = {};
    handle(req, res, target, logged, (rateHeaders) => (headers = rateHeaders))
      .catch((error: unknown) => {
        const refusal = error instanceof HubSpotError ? error : new HubSpotError(500, 'internal error', 'INTERNAL_ERROR');
        if (!res.headersSent) sendError(res, refusal, headers);
      })
      .finally(() => {
        logged.status = res.statusCode;
        requests.push(logged);
      });
  });

  async function handle(req: IncomingMessage, res: ServerResponse, target: URL, logged: FakeHubSpotRequest, setHeaders: (headers: Record<string, string>) => void): Promise<void> {
    const method = logged.method;
    if (method === 'POST' || method === 'PATCH') logged.body = await readBody(req);
    authenticate(req);
    const match = /^\/crm\/v3\/objects\/([^/]+)(?:\/([^/]+))?\/?$/.exec(target.pathname);
    if (!match) throw new HubSpotError(404, 'resource not found', 'OBJECT_NOT_FOUND');
    const isSearch = match[2] === 'search' && method === 'POST';
    const decision = limiter.take(isSearch);
    setHeaders(decision.headers);
    if (decision.refusal) throw decision.refusal;
    const type = objectType(decodeSegment(match[1] as string));
    const headers = decision.headers;
    if (isSearch) return search(res, type, logged.body, headers);
    if (match[2] === undefined) {
      if (method === 'GET') return list(res, type, target.searchParams, headers);
      if (method === 'POST') return sendJson(res, 201, written(type, store.create(type, createProperties(type, logged.body))), headers);
      throw methodNotAllowed('GET, POST');
    }
    const id = decodeSegment(match[2]);
    const params = target.searchParams;
    const archived = params.get('archived') === 'true';
    const idProperty = params.get('idProperty') ?? undefined;
    const record = idProperty === undefined || idProperty === 'hs_object_id' ? store.get(type, id) : store.findBy(type, idProperty, id);
    if (!record || record.archived !== (method === 'GET' && archived)) throw objectNotFound(id);
    if (method === 'GET') return sendJson(res, 200, output(type, record, requestedProperties(params)), headers);
    if (method === 'PATCH') {
      const updated = store.update(type, record.id, writeProperties(type, logged.body)) as HubSpotRecord;
      return sendJson(res, 200, written(type, updated), headers);
    }
    if (method === 'DELETE') {
      store.archive(type, record.id);
      return sendJson(res, 204, undefined, headers);
    }
    throw methodNotAllowed('GET, PATCH, DELETE');
  }

  /** Contacts' emails are unique: HubSpot answers a second one with 409 naming the holder. */
  function createProperties(type: HubSpotObjectType, body: unknown): Record<string, string> {
    const properties = writeProperties(type, body);
    const email = properties.email;
    const holder = type === 'contacts' && email ? store.findBy(type, 'email', email) : undefined;
    if (holder) throw new HubSpotError(409, `Contact already exists. Existing ID: ${holder.id}`, 'CONFLICT');
    return properties;
  }

  function list(res: ServerResponse, type: HubSpotObjectType, params: URLSearchParams, headers: Record<string, string>): void {
    const limitParam = params.get('limit');
    const limit = limitParam === null ? defaultListLimit : Number(limitParam);
    if (!Number.isInteger(limit) || limit < 1) throw validationError(`limit must be a positive integer; got ${limitParam ?? ''}`);
    const served = Math.min(limit, maxListLimit);
    const after = params.get('after');
    // The cursor is the id to resume at: it stays right whatever is created or archived meanwhile.
    if (after !== null && !/^\d+$/.test(after)) throw validationError(`Invalid after cursor: ${after}`);
    const archived = params.get('archived') === 'true';
    const remaining = store.all(type).filter((record) => record.archived === archived && (after === null || Number(record.id) >= Number(after)));
    const page = remaining.slice(0, served);
    const next = remaining[served];
    const properties = requestedProperties(params);
    const body: Record<string, unknown> = { results: page.map((record) => output(type, record, properties)) };
    if (next) {
      const link = new URLSearchParams({ limit: String(served), after: next.id, ...(archived ? { archived: 'true' } : {}) });
      body.paging = { next: { after: next.id, link: `${url}/crm/v3/objects/${type}?${link.toString()}` } };
    }
    sendJson(res, 200, body, headers);
  }

  /**
   * `after` is an offset. A page that would end past the ceiling is refused outright, as
   * Elasticsearch's result window (from + size) refuses it; HubSpot documents only "attempting to
   * page beyond 10,000 will result in a 400 error", and its message is unverified.
   */
  function search(res: ServerResponse, type: HubSpotObjectType, body: unknown, headers: Record<string, string>): void {
    const request = parseSearch(body);
    if (request.offset + request.limit > ceiling) {
      throw validationError(`The search endpoints are limited to ${ceiling} total results for any given query; after ${request.offset} with limit ${request.limit} pages past it.`);
    }
    const matching = runSearch(store.all(type), type, request);
    const page = matching.slice(request.offset, request.offset + request.limit);
    const nextOffset = request.offset + page.length;
    sendJson(
      res,
      200,
      {
        total: matching.length,
        results: page.map((record) => output(type, record, request.properties)),
        ...(nextOffset < matching.length ? { paging: { next: { after: String(nextOffset) } } } : {}),
      },
      headers,
    );
  }

  /** The constant-time comparison covers the static token; the callback is the OAuth server's own check. */
  function authenticate(req: IncomingMessage): void {
    const token = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '')?.[1];
    if (token !== undefined) {
      if (options.accessToken !== undefined && sameSecret(token, options.accessToken)) return;
      if (options.verifyBearer?.(token) === true) return;
    }
    throw unauthenticated();
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('fake HubSpot: no TCP address');
  url = `http://127.0.0.1:${address.port}`;
  const existing = (type: HubSpotObjectType, id: string, record: HubSpotRecord | undefined): HubSpotRecord => {
    if (!record) throw new Error(`fake HubSpot has no ${type} ${id}`);
    return structuredClone(record);
  };
  return {
    url,
    seed: (type, n) => structuredClone(store.seed(type, n)),
    create: (type, properties) => structuredClone(store.create(type, properties)),
    update: (type, id, properties) => existing(type, id, store.update(type, id, properties)),
    archive: (type, id) => existing(type, id, store.archive(type, id)),
    get: (type, id) => structuredClone(store.get(type, id)),
    all: (type) => structuredClone(store.all(type)),
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** The object types served; any other is HubSpot's 400 (message unverified). */
function objectType(name: string): HubSpotObjectType {
  const type = hubSpotObjectTypes.find((candidate) => candidate === name);
  if (type === undefined) throw validationError(`Unable to infer object type from: ${name}`);
  return type;
}

/** `properties=a,b` or `properties=a&properties=b`; undefined when none were asked for. */
function requestedProperties(params: URLSearchParams): string[] | undefined {
  const names = params.getAll('properties').flatMap((value) => value.split(',')).filter(Boolean);
  return names.length > 0 ? names : undefined;
}

/**
 * The record as served. Without `properties`, a read or search returns the object's defaults;
 * with them, those asked for (null when unset; names the object lacks are left out) plus
 * createdate, the modification date and hs_object_id. Writes answer with every set property.
 */
function output(type: HubSpotObjectType, record: HubSpotRecord, requested: string[] | undefined): HubSpotRecord {
  const known = new Set([...writableProperties[type], ...readOnlyProperties(type)]);
  const names = requested === undefined ? defaultProperties[type] : [...new Set([...requested.filter((name) => known.has(name)), 'createdate', modifiedProperty(type), 'hs_object_id'])];
  const properties = Object.fromEntries(names.map((name) => [name, record.properties[name] ?? null]));
  return { ...record, properties };
}

/** A create or update answers with every property that has a value. */
const written = (type: HubSpotObjectType, record: HubSpotRecord) =>
  output(type, record, Object.keys(record.properties).filter((name) => record.properties[name] !== null));

function methodNotAllowed(allow: string): HubSpotError {
  return new HubSpotError(405, `HTTP 405 Method Not Allowed; allowed: ${allow}`, 'VALIDATION_ERROR');
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new HubSpotError(404, 'resource not found', 'OBJECT_NOT_FOUND');
  }
}

function sameSecret(presented: string, expected: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(presented), digest(expected));
}
