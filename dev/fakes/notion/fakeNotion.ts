import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import {
  conflict,
  invalidRequestUrl,
  NotionError,
  objectNotFound,
  readBody,
  sendError,
  sendJson,
  unauthorized,
  validationError,
  type NotionErrorCode,
} from './fakeNotionHttp.js';
import { parseQuery, runQuery } from './fakeNotionQuery.js';
import { FakeNotionRateLimiter, type FakeNotionRateLimitOptions } from './fakeNotionRateLimit.js';
import { isRecord, normaliseId, NotionStore, parsePropertyChanges, type NotionPage, type NotionPropertyChanges } from './fakeNotionStore.js';

export type { NotionPage, NotionPropertyChanges } from './fakeNotionStore.js';
export type { FakeNotionRateLimitOptions } from './fakeNotionRateLimit.js';
export type { NotionErrorCode } from './fakeNotionHttp.js';
export {
  newVerificationToken,
  sendVerification,
  sendWebhook,
  signNotion,
  type NotionWebhookEvent,
  type NotionWebhookEventInput,
  type NotionWebhookEventType,
  type SentNotionWebhook,
} from './fakeNotionWebhooks.js';

export interface FakeNotionOptions {
  /** An internal integration's token. */
  token?: string;
  /** Accepts other bearer tokens, e.g. the fake OAuth server's `isLiveAccessToken`. */
  verifyBearer?: (token: string) => boolean;
  rateLimit?: FakeNotionRateLimitOptions;
  /** Granularity of created/edited times; default 60,000 ms, Notion's minute. */
  timeResolutionMs?: number;
}

export interface FakeNotionRequest {
  method: string;
  path: string;
  /** The `Notion-Version` header as sent. */
  notionVersion: string | undefined;
  body: unknown;
  status: number;
}

/** Refusals a test can make the next requests meet, whatever they ask. */
export type FakeNotionFault = Extract<NotionErrorCode, 'conflict_error' | 'internal_server_error' | 'service_unavailable' | 'service_overload'>;

export interface FakeNotion {
  /** http://127.0.0.1:<port>, the client's `baseUrl`. */
  url: string;
  /** n pages in the data source (made if new), edited at scrambled minutes over the past day. */
  seed(dataSourceId: string, n: number): NotionPage[];
  create(dataSourceId: string, changes: NotionPropertyChanges): NotionPage;
  /** Applies the changes and stamps `last_edited_time`, as an edit in Notion would. */
  update(pageId: string, changes: NotionPropertyChanges): NotionPage;
  get(pageId: string): NotionPage | undefined;
  /** Every page of the data source, trashed ones included, in creation order. */
  all(dataSourceId: string): NotionPage[];
  /** The next `times` requests that pass auth and the rate limit are refused with `code`. */
  failNext(code: FakeNotionFault, times?: number): void;
  /** Every request answered, in answer order. */
  readonly requests: FakeNotionRequest[];
  /** 429s sent so far. */
  readonly rateLimited: number;
  close(): Promise<void>;
}

const faultStatus: Record<FakeNotionFault, number> = { conflict_error: 409, internal_server_error: 500, service_unavailable: 503, service_overload: 529 };
const faultMessage: Record<FakeNotionFault, string> = {
  conflict_error: conflict().message,
  internal_server_error: 'Unexpected error occurred.',
  service_unavailable: 'Notion is unavailable, please try again later.',
  service_overload: 'Notion is currently overloaded. Please try again later.',
};

/**
 * Notion's API for one kind of data source (Name, Email, Status) on 127.0.0.1, faithful enough
 * for `@notionhq/client` 5: bearer auth, the required `Notion-Version`, data source queries with
 * filters, sorts and cursors, page reads and writes, Notion's error bodies, and its per-integration
 * rate limit with `Retry-After`.
 */
export async function startFakeNotion(options: FakeNotionOptions): Promise<FakeNotion> {
  if (options.token === undefined && options.verifyBearer === undefined) throw new Error('fake Notion: give token and/or verifyBearer');
  const store = new NotionStore(options.timeResolutionMs ?? 60_000);
  const limiter = new FakeNotionRateLimiter(options.rateLimit);
  const requests: FakeNotionRequest[] = [];
  const faults: FakeNotionFault[] = [];

  const server = createServer((req, res) => {
    const target = new URL(req.url ?? '/', 'http://fake');
    const version = req.headers['notion-version'];
    const logged: FakeNotionRequest = { method: req.method ?? 'GET', path: target.pathname, notionVersion: Array.isArray(version) ? version.join(',') : version, body: undefined, status: 0 };
    handle(req, res, target, logged)
      .catch((error: unknown) => {
        const refusal = error instanceof NotionError ? error : new NotionError(500, 'internal_server_error', 'Unexpected error occurred.');
        if (!res.headersSent) sendError(res, refusal);
      })
      .finally(() => {
        logged.status = res.statusCode;
        requests.push(logged);
      });
  });

  async function handle(req: IncomingMessage, res: ServerResponse, target: URL, logged: FakeNotionRequest): Promise<void> {
    const method = logged.method;
    if (method === 'POST' || method === 'PATCH') logged.body = await readBody(req);
    const token = authenticate(req);
    // Notion's message for a missing version (seen in the wild, e.g. mgmarlow/notion-sdk-ruby#4).
    if (logged.notionVersion === undefined || logged.notionVersion === '') throw new NotionError(400, 'missing_version', 'Notion-Version header failed validation: Notion-Version header should be defined, instead was `undefined`.');
    limiter.take(token);
    const fault = faults.shift();
    if (fault !== undefined) throw new NotionError(faultStatus[fault], fault, faultMessage[fault]);

    const query = /^\/v1\/data_sources\/([^/]+)\/query\/?$/.exec(target.pathname);
    if (query && method === 'POST') {
      const source = store.dataSource(pathId(query[1] as string, 'data_source_id'));
      if (!source) throw objectNotFound('data_source', query[1] as string);
      const page = runQuery(store.all(source.id), parseQuery(logged.body));
      return sendJson(res, 200, { object: 'list', results: page.results, next_cursor: page.nextCursor, has_more: page.nextCursor !== null, type: 'page_or_data_source', page_or_data_source: {} });
    }
    if (/^\/v1\/pages\/?$/.test(target.pathname) && method === 'POST') return sendJson(res, 200, createPage(logged.body));
    const pageMatch = /^\/v1\/pages\/([^/]+)\/?$/.exec(target.pathname);
    if (pageMatch && (method === 'GET' || method === 'PATCH')) {
      const id = pathId(pageMatch[1] as string, 'page_id');
      const page = store.get(id);
      if (!page) throw objectNotFound('page', id);
      if (method === 'GET') return sendJson(res, 200, page);
      return sendJson(res, 200, updatePage(page, logged.body));
    }
    throw invalidRequestUrl();
  }

  function createPage(body: unknown): NotionPage {
    if (!isRecord(body) || !isRecord(body.parent)) throw validationError('body failed validation: body.parent should be defined, instead was `undefined`.');
    const parent = body.parent;
    const rawId = parent.data_source_id ?? parent.database_id;
    if (typeof rawId !== 'string') throw validationError('body failed validation: body.parent.data_source_id should be defined, instead was `undefined`.');
    const id = normaliseId(rawId);
    // A database id finds its (single) data source, as Notion allows for single-source databases.
    const source = id === undefined ? undefined : (store.dataSource(id) ?? store.dataSourceOfDatabase(id));
    if (!source) throw objectNotFound('data_source', rawId);
    return store.create(source.id, parsePropertyChanges(body.properties));
  }

  /** A trashed page refuses edits until it is restored (`in_trash: false` in the same request). */
  function updatePage(page: NotionPage, body: unknown): NotionPage {
    if (!isRecord(body)) throw validationError('body failed validation: body should be an object.');
    const trash = body.in_trash ?? body.archived;
    if (trash !== undefined && typeof trash !== 'boolean') throw validationError('body failed validation: body.in_trash should be a boolean.');
    const changes = parsePropertyChanges(body.properties);
    if (page.in_trash && trash !== false) throw validationError("Can't edit block that is archived. You must unarchive the block before editing.");
    return store.update(page.id, changes, trash) as NotionPage;
  }

  /** Returns the integration the token stands for; the constant-time comparison covers the static token. */
  function authenticate(req: IncomingMessage): string {
    const token = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '')?.[1];
    if (token !== undefined) {
      if (options.token !== undefined && sameSecret(token, options.token)) return token;
      if (options.verifyBearer?.(token) === true) return token;
    }
    throw unauthorized();
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('fake Notion: no TCP address');
  const sourceId = (raw: string) => {
    const id = normaliseId(raw);
    if (id === undefined) throw new Error(`fake Notion: ${raw} is not a Notion id`);
    return id;
  };
  return {
    url: `http://127.0.0.1:${address.port}`,
    seed: (dataSourceId, n) => structuredClone(store.seed(sourceId(dataSourceId), n)),
    create: (dataSourceId, changes) => {
      const id = sourceId(dataSourceId);
      store.addDataSource(id);
      return structuredClone(store.create(id, changes));
    },
    update: (pageId, changes) => {
      const page = store.update(normaliseId(pageId) ?? pageId, changes);
      if (!page) throw new Error(`fake Notion has no page ${pageId}`);
      return structuredClone(page);
    },
    get: (pageId) => structuredClone(store.get(normaliseId(pageId) ?? pageId)),
    all: (dataSourceId) => structuredClone(store.all(normaliseId(dataSourceId) ?? dataSourceId)),
    failNext: (code, times = 1) => faults.push(...Array.from({ length: times }, () => code)),
    requests,
    get rateLimited() {
      return limiter.refused;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Notion validates path ids as uuids before looking them up. */
function pathId(raw: string, name: string): string {
  let decoded: string;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    throw invalidRequestUrl();
  }
  const id = normaliseId(decoded);
  if (id === undefined) throw validationError(`path failed validation: path.${name} should be a valid uuid, instead was \`${JSON.stringify(decoded)}\`.`);
  return id;
}

function sameSecret(presented: string, expected: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(presented), digest(expected));
}
