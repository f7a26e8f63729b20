import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { notFound, readJsonObject, SalesforceError, sendJson } from './fakeSalesforceHttp.js';
import { FakeSalesforceSessions } from './fakeSalesforceOAuth.js';
import { batchSizeOf, defaultBatchSize, FakeSalesforceQueries } from './fakeSalesforceQuery.js';
import { allFields, canonicalField, isSObjectType, parseSalesforceDate, salesforceDate, validateWrite, type FieldValue, type SalesforceRecord, type SObjectType } from './fakeSalesforceSchema.js';
import { parseSoql } from './fakeSalesforceSoql.js';
import { defaultSeedEpoch, FakeSalesforceStore } from './fakeSalesforceStore.js';

export type { SalesforceRecord, SObjectType } from './fakeSalesforceSchema.js';

export interface FakeSalesforceOptions {
  clientId: string;
  clientSecret: string;
  /** Refresh-token rotation, an optional connected-app setting. Default false. */
  rotateRefreshTokens?: boolean;
  /** API requests allowed per 24 h before REQUEST_LIMIT_EXCEEDED. Default 15,000. */
  dailyLimit?: number;
  /** Where seeded SystemModstamps start (ISO 8601). Default 2024-01-01T00:00:00.000Z. */
  seedEpoch?: string;
}

export interface FakeSalesforceRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string | string[] | undefined>;
  status: number;
}

export interface FakeSalesforce {
  /** http://127.0.0.1:<port>: both the instance URL and the login URL. */
  url: string;
  /** A live session and its refresh token, as the authorization-code flow would have left them. */
  accessToken: string;
  refreshToken: string;
  /** n deterministic records (two to a SystemModstamp second); Contacts and Opportunities point at seeded Accounts. */
  seed(type: SObjectType, n: number): SalesforceRecord[];
  /** Merges fields and bumps SystemModstamp/LastModifiedDate to now, or to `at` (ISO 8601). */
  update(type: SObjectType, id: string, fields: Record<string, FieldValue>, at?: string): SalesforceRecord;
  /** Deletes a record and logs it for the `deleted` resource, as deleted now or at `at` (ISO 8601). */
  remove(type: SObjectType, id: string, at?: string): void;
  get(type: SObjectType, id: string): SalesforceRecord | undefined;
  all(type: SObjectType): SalesforceRecord[];
  /** Every request answered, in answer order, without its Authorization header. */
  readonly requests: FakeSalesforceRequest[];
  readonly apiUsage: { used: number; max: number };
  resetApiUsage(used?: number): void;
  /** Ends every session: API calls answer 401 INVALID_SESSION_ID until a refresh. */
  expireAccessTokens(): void;
  /** The user revoked the app: refreshes answer `invalid_grant`. */
  revokeAll(): void;
  liveRefreshTokens(): string[];
  readonly oauthCounts: { refreshes: number; refusedGrants: number };
  close(): Promise<void>;
}

const minuteMs = 60_000;
const deletedRetentionMs = 15 * 24 * 60 * minuteMs;

/**
 * Salesforce's REST API on 127.0.0.1, as jsforce drives it: the OAuth refresh flow; SOQL queries
 * (one incremental shape) with batches and query locators; the `deleted` feed; sObject rows with
 * If-Unmodified-Since; the daily request limit in `Sforce-Limit-Info`; and errors as JSON arrays
 * of `{message, errorCode, fields}`.
 */
export async function startFakeSalesforce(options: FakeSalesforceOptions): Promise<FakeSalesforce> {
  const store = new FakeSalesforceStore(Date.parse(options.seedEpoch ?? defaultSeedEpoch));
  const queries = new FakeSalesforceQueries(store);
  const sessions = new FakeSalesforceSessions(options);
  const usage = { used: 0, max: options.dailyLimit ?? 15_000 };
  const requests: FakeSalesforceRequest[] = [];
  let url = '';

  const server = createServer((req, res) => {
    const target = new URL(req.url ?? '/', 'http://fake');
    // The log keeps no credentials: the bearer token is dropped.
    const headers = { ...req.headers };
    delete headers.authorization;
    const logged: FakeSalesforceRequest = { method: req.method ?? 'GET', path: target.pathname, query: Object.fromEntries(target.searchParams), headers, status: 0 };
    handle(req, res, target)
      .catch((error: unknown) => {
        const refusal = error instanceof SalesforceError ? error : new SalesforceError(500, 'UNKNOWN_EXCEPTION', 'An unexpected error occurred in the fake Salesforce');
        if (!res.headersSent) sendJson(res, refusal.status, refusal.body(), limitHeader());
      })
      .finally(() => {
        logged.status = res.statusCode;
        requests.push(logged);
      });
  });

  const limitHeader = () => ({ 'sforce-limit-info': `api-usage=${usage.used}/${usage.max}` });

  async function handle(req: IncomingMessage, res: ServerResponse, target: URL): Promise<void> {
    const method = req.method ?? 'GET';
    if (target.pathname === '/services/oauth2/token' && method === 'POST') return sessions.grant(req, res, url);
    const api = /^\/services\/data\/v(\d+\.\d)(\/.*)?$/.exec(target.pathname);
    if (!api) throw notFound();
    const token = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '')?.[1];
    if (token === undefined || !sessions.isLive(token)) throw new SalesforceError(401, 'INVALID_SESSION_ID', 'Session expired or invalid');
    if (usage.used >= usage.max) throw new SalesforceError(403, 'REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.');
    usage.used += 1;
    const version = api[1] as string;
    const rest = (api[2] ?? '/').replace(/\/$/, '');

    if (rest === '/query') {
      allow(method, ['GET']);
      const soql = target.searchParams.get('q');
      if (soql === null || soql.trim() === '') throw new SalesforceError(400, 'MALFORMED_QUERY', 'A query string has to be specified');
      const page = queries.run(parseSoql(soql), version, batchSizeOf(req.headers['sforce-query-options']) ?? defaultBatchSize);
      return sendJson(res, 200, page, limitHeader());
    }
    const locator = /^\/query\/([^/]+)$/.exec(rest);
    if (locator) {
      allow(method, ['GET']);
      return sendJson(res, 200, queries.more(locator[1] as string, version, batchSizeOf(req.headers['sforce-query-options'])), limitHeader());
    }
    const deleted = /^\/sobjects\/(\w+)\/deleted$/.exec(rest);
    if (deleted) {
      allow(method, ['GET']);
      return sendJson(res, 200, deletedFeed(typeOf(deleted[1] as string), target.searchParams), limitHeader());
    }
    const rows = /^\/sobjects\/(\w+)(?:\/(\w+))?$/.exec(rest);
    if (!rows) throw notFound();
    const type = typeOf(rows[1] as string);
    const id = rows[2];
    if (id === undefined) {
      allow(method, ['POST']);
      const record = store.create(type, validateWrite(type, await readJsonObject(req), true), Date.now());
      return sendJson(res, 201, { id: record.Id, success: true, errors: [] }, limitHeader());
    }
    allow(method, ['GET', 'PATCH', 'DELETE']);
    const current = store.get(type, id);
    // A malformed id is read as an external id value, hence Salesforce's odd message for it.
    if (!current) throw /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/.test(id) ? notFound() : new SalesforceError(404, 'NOT_FOUND', `Provided external ID field does not exist or is not accessible: ${id}`);
    if (method === 'GET') return sendJson(res, 200, view(type, current, version, target.searchParams.get('fields')), limitHeader());
    if (method === 'DELETE') {
      store.remove(type, current.Id, Date.now());
      return sendJson(res, 204, undefined, limitHeader());
    }
    checkUnmodifiedSince(req.headers['if-unmodified-since'], current);
    store.update(type, current.Id, validateWrite(type, await readJsonObject(req), false), Date.now());
    sendJson(res, 204, undefined, limitHeader());
  }

  /**
   * Salesforce ignores the seconds of `start` and `end`, and `latestDateCovered` (≤ end) is where
   * the next call should start. Deletions are kept 15 days, which `earliestDateAvailable` reflects.
   */
  function deletedFeed(type: SObjectType, params: URLSearchParams) {
    const startMs = parseSalesforceDate(params.get('start') ?? '');
    const endMs = parseSalesforceDate(params.get('end') ?? '');
    // Error code unverified: the documentation names none for a missing or malformed date.
    if (Number.isNaN(startMs) || Number.isNaN(endMs)) throw new SalesforceError(400, 'MISSING_ARGUMENT', 'start and end are required, as ISO 8601 datetimes in UTC');
    const toMinute = (ms: number) => Math.floor(ms / minuteMs) * minuteMs;
    const covered = toMinute(Math.min(endMs, Date.now()));
    return {
      deletedRecords: store.deleted(type, toMinute(startMs), covered),
      earliestDateAvailable: salesforceDate(toMinute(Date.now() - deletedRetentionMs)),
      latestDateCovered: salesforceDate(covered),
    };
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('fake Salesforce: no TCP address');
  url = `http://127.0.0.1:${address.port}`;
  return {
    url,
    accessToken: sessions.issueAccessToken(),
    refreshToken: sessions.issueRefreshToken(),
    seed: (type, n) => store.seed(type, n),
    update(type, id, fields, at) {
      const record = store.update(type, id, fields, at === undefined ? Date.now() : Date.parse(at));
      if (!record) throw new Error(`fake Salesforce: no ${type} ${id}`);
      return record;
    },
    remove(type, id, at) {
      if (!store.remove(type, id, at === undefined ? Date.now() : Date.parse(at))) throw new Error(`fake Salesforce: no ${type} ${id}`);
    },
    get: (type, id) => store.get(type, id),
    all: (type) => store.all(type),
    requests,
    get apiUsage() {
      return { ...usage };
    },
    resetApiUsage(used = 0) {
      usage.used = used;
    },
    expireAccessTokens: () => sessions.expireAccessTokens(),
    revokeAll: () => sessions.revokeAll(),
    liveRefreshTokens: () => sessions.liveRefreshTokens(),
    oauthCounts: sessions.counts,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function typeOf(name: string): SObjectType {
  if (!isSObjectType(name)) throw notFound();
  return name;
}

function allow(method: string, allowed: string[]): void {
  if (!allowed.includes(method)) throw new SalesforceError(405, 'METHOD_NOT_ALLOWED', `HTTP Method '${method}' not allowed. Allowed are ${allowed.join(',')}`);
}

/** A row as the sObject Rows resource answers it: `attributes` first, then every field (or those in `?fields=`). */
function view(type: SObjectType, record: SalesforceRecord, version: string, fieldList: string | null): Record<string, unknown> {
  const requested = fieldList === null ? allFields(type) : fieldList.split(',').map((name) => name.trim());
  const fields = requested.map((name) => {
    const field = canonicalField(type, name);
    if (field === undefined) throw new SalesforceError(400, 'INVALID_FIELD', `No such column '${name}' on entity '${type}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`);
    return field;
  });
  return {
    attributes: { type, url: `/services/data/v${version}/sobjects/${type}/${record.Id}` },
    ...Object.fromEntries(fields.map((field) => [field, record[field] ?? null])),
  };
}

/**
 * If-Unmodified-Since (an HTTP-date) older than the row's LastModifiedDate refuses the write with
 * 412, as documented. The body's errorCode and message are unverified: the documentation gives
 * only the status; an unparseable date is 400, as it documents.
 */
function checkUnmodifiedSince(header: string | undefined, record: SalesforceRecord): void {
  if (header === undefined) return;
  const sinceMs = Date.parse(header);
  if (Number.isNaN(sinceMs)) throw new SalesforceError(400, 'INVALID_HEADER_TYPE', `If-Unmodified-Since is not an HTTP-date: ${header}`);
  if (parseSalesforceDate(record.LastModifiedDate) > sinceMs) {
    throw new SalesforceError(412, 'PRECONDITION_FAILED', 'The record has been modified since the date in If-Unmodified-Since');
  }
}
