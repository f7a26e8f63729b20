import { randomUUID } from 'node:crypto';
import { request, type Agent } from 'undici';
import type {
  ChainedSourcePage,
  ConnectionTestOptions,
  Connector,
  ListPageRequest,
  SourcePage,
  SourceRecord,
  StreamInfo,
  WritePrecondition,
  WriteResult,
} from '../connector.js';
import { ProviderError } from '../providerError.js';
import { IncrementalStateExpiredError } from '../incrementalStateExpiredError.js';
import { ProviderUnavailableError } from '../providerUnavailableError.js';
import { RateLimitError } from '../rateLimitError.js';
import { WriteConflictError } from '../writeConflictError.js';
import { RecordNotFoundError } from '../recordNotFoundError.js';
import { WriteOutcomeUnknownError } from '../writeOutcomeUnknownError.js';
import { decideRetry, type RetryPolicy } from '../../core/retry/retryDecision.js';
import { defaultRetryPolicy, retryClassOf } from '../retryPolicy.js';
import { parseRateLimitHeaders, type ResponseHeaders } from '../../core/operations/rateLimitHeaders.js';
import { errorFromTransport } from '../http/transportError.js';
import type { OutboundGuard } from '../http/outboundGuard.js';
import { bearerCall } from '../oauth/bearerCall.js';
import type { TokenSource } from '../oauth/tokenSource.js';
import type { TokenEndpoint } from '../oauth/tokenEndpoint.js';
import type { ConnectorSpec } from './connectorSpec.js';
import type { DeletesSpec, StreamSpec } from './streamSpec.js';
import type { ListCall, SpecHooks } from './specHooks.js';
import { secretValuesOf } from './authSpec.js';
import { errorFromResponse, whereOf, type RequestContext } from './responseErrors.js';
import { filtersToTheSecond, flaggedDeleted, formatSince, planPageRequest, readPageAnswer, type PageAsk, type PageReading, type PageRequest } from './pagePlan.js';
import { readPath } from '../../core/schemas/fieldPath.js';
import { parseProviderTime } from '../../core/executions/incrementalCursor.js';
import { fillTemplate } from './urlTemplate.js';
import { pagingOf } from './paginatorSpec.js';

export interface SpecConnectorOptions {
  retryPolicy?: Partial<RetryPolicy>;
  /** Waits between retries; tests inject one that records the delays and returns at once. */
  sleep?: (ms: number) => Promise<void>;
  /** Jitter source in [0, 1). */
  random?: () => number;
  /** Clock for Retry-After HTTP-dates and rate-limit resets. */
  now?: () => number;
}

/** Where and how the connector calls, as the connection's settings say. */
export interface SpecTarget {
  /** The spec's `baseUrl` with the settings filled in. */
  baseUrl: string;
  timeoutMs: number;
  caCertificate?: string;
}

export interface SpecConnectorContext {
  outbound: OutboundGuard;
  /** OAuth 2 specs: the connection's token source (refreshes shared by every worker). */
  tokens?: (endpoint: TokenEndpoint) => TokenSource;
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH';

interface Answer {
  statusCode: number;
  headers: ResponseHeaders;
  text: string;
  url: string;
  context: RequestContext;
}

interface Call {
  method: Method;
  /** Relative to the base URL, or absolute (a next link). */
  path: string;
  params?: Record<string, string>;
  headers?: Record<string, string>;
  body?: Record<string, unknown>;
  timeoutMs?: number;
}

/**
 * A connector that does what its spec says: lists pages of each stream, filters by modified time,
 * writes with the spec's concurrency token, maps failures to typed errors and reports rate-limit
 * headers. One attempt per call unless `retryPolicy` allows more (the engine reschedules failed
 * pages itself).
 */
export class SpecConnector implements Connector {
  private readonly apiRoot: URL;
  private readonly agent: Agent;
  private readonly policy: RetryPolicy;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;
  private readonly now: () => number;
  private readonly secrets: readonly string[];
  private readonly tokens: TokenSource | undefined;

  constructor(
    readonly provider: string,
    private readonly spec: ConnectorSpec,
    private readonly target: SpecTarget,
    private readonly credentials: Readonly<Record<string, unknown>>,
    context: SpecConnectorContext,
    private readonly hooks: SpecHooks = {},
    options: SpecConnectorOptions = {},
  ) {
    this.apiRoot = new URL(target.baseUrl.endsWith('/') ? target.baseUrl : `${target.baseUrl}/`);
    // One pool per connector: pages reuse kept-alive connections (and TLS sessions). Each new
    // connection is checked against the outbound policy (the name may resolve elsewhere now).
    this.agent = context.outbound.agent({
      keepAliveTimeout: 30_000,
      ...(spec.maxConcurrentCalls !== undefined ? { connections: spec.maxConcurrentCalls } : {}),
      headersTimeout: target.timeoutMs,
      bodyTimeout: target.timeoutMs,
      connect: { timeout: target.timeoutMs, ...(target.caCertificate ? { ca: target.caCertificate } : {}) },
    });
    this.policy = { ...defaultRetryPolicy, ...options.retryPolicy };
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.random = options.random ?? Math.random;
    this.now = options.now ?? Date.now;
    this.secrets = secretValuesOf(spec.auth, credentials as Record<string, unknown>);
    const auth = spec.auth;
    if (auth.kind === 'oauth2') {
      if (!context.tokens) throw new Error(`${spec.title}: OAuth 2 connections need a token source`);
      this.tokens = context.tokens({
        url: auth.tokenUrl,
        grant: auth.grant,
        clientAuthentication: auth.clientAuthentication,
        ...(auth.scope !== undefined ? { scope: auth.scope } : {}),
      });
    }
  }

  streams(): StreamInfo[] {
    return this.spec.streams.map(streamInfoOf);
  }

  async listPage(pageRequest: ListPageRequest): Promise<SourcePage> {
    const stream = this.findStream(pageRequest.stream);
    if (pageRequest.ids?.length === 0) return { records: [], page: pageRequest.page, totalPages: 0, totalRecords: 0 };
    const { reading, budget } = await this.readPage(stream, pageRequest);
    const totals = reading.totals ?? { totalRecords: reading.records.length, totalPages: 1 };
    return { records: reading.records, page: pageRequest.page, ...totals, ...(budget ? { budget } : {}), ...(reading.deletedIds ? { deletedIds: reading.deletedIds } : {}) };
  }

  async listChainedPage(pageRequest: ListPageRequest): Promise<ChainedSourcePage> {
    const stream = this.findStream(pageRequest.stream);
    if (pageRequest.ids?.length === 0) return { records: [], page: pageRequest.page };
    const { reading, budget } = await this.readPage(stream, pageRequest);
    const next = reading.next === undefined ? undefined : this.withoutQueryKey(stream, reading.next);
    return {
      records: reading.records,
      page: pageRequest.page,
      ...(next !== undefined ? { next } : {}),
      ...(budget ? { budget } : {}),
      ...(reading.deletedIds ? { deletedIds: reading.deletedIds } : {}),
      ...(reading.syncToken !== undefined ? { state: { syncToken: reading.syncToken } } : {}),
    };
  }

  /** A next link echoing a query API key would put the key in the page state the engine stores; every call adds it anyway. */
  private withoutQueryKey(stream: StreamSpec, next: string): string {
    const auth = this.spec.auth;
    if (auth.kind !== 'apiKey' || auth.in !== 'query' || (stream.paginator.kind !== 'nextUrl' && stream.paginator.kind !== 'linkHeader')) return next;
    const url = new URL(next);
    if (!url.searchParams.has(auth.name)) return next;
    url.searchParams.delete(auth.name);
    return url.href;
  }

  /**
   * An update with the stream's concurrency token. Without the token as last read (and without
   * If-Unmodified-Since, which sends the time), the record is read first and its modified time
   * compared with `precondition.modifiedAt`; a header or body token then also catches an edit
   * between that read and the write.
   */
  async update(streamName: string, externalId: string, fields: SourceRecord, precondition?: WritePrecondition): Promise<WriteResult> {
    const stream = this.findStream(streamName);
    const writes = stream.writes;
    if (!writes?.update) throw new ProviderError({ code: 'not_writable', retriable: false, message: `${this.spec.title} ${stream.name} cannot be updated` });
    this.checkIds(stream, [externalId]);
    this.checkFields(stream, fields);
    const path = fillTemplate(writes.update.path, { id: externalId }, true);
    const versionField = writes.versionField ?? stream.modifiedField;
    const concurrency = writes.concurrency;
    let version = precondition?.version;
    const expectedMs = precondition?.modifiedAt === undefined ? undefined : parseProviderTime(precondition.modifiedAt);
    if (precondition?.modifiedAt !== undefined && expectedMs === undefined) {
      throw new ProviderError({ code: 'invalid_precondition', retriable: false, message: `modifiedAt "${precondition.modifiedAt}" is not a date-time` });
    }
    // A token the provider insists on (If-Match, a body field) is read first when the shard has none.
    const needsToken = (concurrency.kind === 'bodyField' || (concurrency.kind === 'header' && concurrency.header === 'If-Match')) && version === undefined;
    // If-Unmodified-Since carries the modified time itself: the provider checks it, no read first (Salesforce: a 412).
    const checkedByHeader = concurrency.kind === 'header' && concurrency.header === 'If-Unmodified-Since';
    const checks = expectedMs !== undefined && !checkedByHeader && (version === undefined || concurrency.kind === 'none');
    const shapeUpdate = this.hooks.shapeUpdate;
    let current: SourceRecord | undefined;
    if (checks || needsToken || shapeUpdate) {
      current = await this.withRetries(() => this.readRecord(stream, externalId));
      // A read only to shape the body leaves the check to the token the update carries.
      if (checks && expectedMs !== undefined && !sameSecond(modifiedAtMs(current, stream), expectedMs)) {
        throw new WriteConflictError({
          code: 'modified_since_read',
          message: `${this.spec.title} ${stream.name} ${externalId} was modified at ${String(readPath(current, stream.modifiedField))}, not ${precondition?.modifiedAt}`,
          current,
        });
      }
      const token = readPath(current, versionField);
      version ??= typeof token === 'string' || typeof token === 'number' ? String(token) : undefined;
    }
    const headers: Record<string, string> = {};
    const shaped = shapeUpdate && current ? shapeUpdate(stream, fields, current) : undefined;
    let body = shaped?.body ?? fields;
    if (checkedByHeader && expectedMs !== undefined) {
      headers['if-unmodified-since'] = new Date(expectedMs).toUTCString();
    } else if (concurrency.kind === 'header' && concurrency.header === 'If-Match' && version !== undefined) {
      headers['if-match'] = /^(W\/)?"/.test(version) ? version : `"${version}"`;
    } else if (concurrency.kind === 'bodyField' && version !== undefined) {
      body = { ...body, [concurrency.field]: version };
    }
    if (writes.update.idInBody !== undefined) body = withPath({ ...writes.update.body, ...body }, writes.update.idInBody, externalId);
    else if (writes.update.body !== undefined) body = { ...writes.update.body, ...body };
    try {
      // A token or check is not repeated on retries: a write that did land would fail it.
      const record = await this.withRetries(() => this.write(stream, { method: writes.update!.method, path, headers, body, ...(shaped ? { params: shaped.params } : {}) }, externalId));
      return this.writeResult(stream, record);
    } catch (error) {
      if (!(error instanceof WriteConflictError)) throw error;
      // Fetched once to show what changed; the engine re-reads anyway if this fails.
      const current = await this.readRecord(stream, externalId).catch(() => undefined);
      throw new WriteConflictError({ status: error.status, code: error.code, message: error.message, ...(current ? { current } : {}) });
    }
  }

  /**
   * A create. With an idempotency key header it is retried like any call; without one only after
   * failures proving the provider never took it, and a failure after it may have (timeout, 5xx,
   * a cut-off answer) is a WriteOutcomeUnknownError.
   */
  async create(streamName: string, fields: SourceRecord): Promise<WriteResult> {
    const stream = this.findStream(streamName);
    const writes = stream.writes;
    if (!writes?.create) throw new ProviderError({ code: 'not_writable', retriable: false, message: `${this.spec.title} ${stream.name} cannot be created` });
    this.checkFields(stream, fields);
    const key = writes.idempotencyKeyHeader;
    const headers: Record<string, string> = key ? { [key.toLowerCase()]: randomUUID() } : {};
    const call = () => this.write(stream, { method: writes.create!.method, path: writes.create!.path, headers, body: fields });
    try {
      return this.writeResult(stream, await this.withRetries(call, key ? undefined : neverReachedProvider));
    } catch (error) {
      if (key || !(error instanceof ProviderUnavailableError) || neverReachedProvider(error)) throw error;
      throw new WriteOutcomeUnknownError({
        code: error.code,
        message: `${error.message} (the ${stream.name} record may have been created)`,
        ...(error.status === undefined ? {} : { status: error.status }),
        ...(error.retryAfterMs === undefined ? {} : { retryAfterMs: error.retryAfterMs }),
      });
    }
  }

  /**
   * One record of the connection-test stream, authenticated like every call and with no retries:
   * the caller asks how the provider answers now. A 200 that is not a list means something else
   * answers at this URL (a web page, a proxy's sign-in page).
   */
  async testConnection(options: ConnectionTestOptions = {}): Promise<void> {
    const timeoutMs = Math.min(this.target.timeoutMs, options.timeoutMs ?? this.target.timeoutMs);
    const stream = this.findStream(this.spec.connectionTest?.stream ?? this.spec.streams[0]!.name);
    const ask: PageAsk = { page: 1, perPage: 1 };
    const answer = await this.succeeded({ ...this.listCall(stream, planPageRequest(stream, ask)), timeoutMs }, 'read');
    const body = parseJson(answer.text);
    if (body === undefined || readPageAnswer(stream, ask, { headers: answer.headers, body: body.value, url: answer.url }).kind === 'invalid') {
      const hint = this.spec.connectionTest?.hint ? `: ${this.spec.connectionTest.hint}` : '';
      throw new ProviderError({
        status: answer.statusCode,
        code: `not_${this.provider}`,
        retriable: false,
        message: `${whereOf(answer.context)} answered ${answer.statusCode}, but not with a ${this.spec.title} list${hint}`,
      });
    }
  }

  close(): Promise<void> {
    return this.agent.close();
  }

  private findStream(name: string): StreamSpec {
    const stream = this.spec.streams.find((candidate) => candidate.name === name);
    if (!stream) throw new ProviderError({ code: 'unknown_stream', retriable: false, message: `${this.spec.title} has no stream "${name}"` });
    return stream;
  }

  private checkIds(stream: StreamSpec, ids: readonly string[]): void {
    const pattern = stream.idPattern === undefined ? undefined : new RegExp(stream.idPattern);
    // `.` and `..` survive encoding and would move a write's URL to another path of the API.
    const bad = ids.find((id) => id === '.' || id === '..' || (pattern ? !pattern.test(id) : id === '' || id.length > 500));
    if (bad !== undefined) {
      throw new ProviderError({ code: 'invalid_id', retriable: false, message: `${this.spec.title} ${stream.name} ids look like ${stream.idPattern ?? 'non-empty text'}, got "${bad}"` });
    }
  }

  private checkFields(stream: StreamSpec, fields: SourceRecord): void {
    if (typeof fields !== 'object' || fields === null || Array.isArray(fields)) {
      throw new ProviderError({ code: 'invalid_fields', retriable: false, message: `${this.spec.title} writes take an object of fields` });
    }
    const forbidden = stream.writes?.forbiddenFields.find((name) => name in fields);
    if (forbidden !== undefined) {
      throw new ProviderError({ code: 'invalid_fields', retriable: false, message: `${this.spec.title} writes must not carry a ${forbidden} field` });
    }
  }

  private async readPage(stream: StreamSpec, pageRequest: ListPageRequest): Promise<{ reading: Extract<PageReading, { kind: 'page' }>; budget?: ReturnType<typeof parseRateLimitHeaders> }> {
    if (pageRequest.ids) this.checkIds(stream, pageRequest.ids);
    if (pageRequest.ids && stream.byIdPath !== undefined && stream.idsParam === undefined) return { reading: await this.readOneOfIds(stream, stream.byIdPath, pageRequest, pageRequest.ids) };
    const since = pageRequest.modifiedAfter && (filtersToTheSecond(stream.incremental) ? Math.floor(pageRequest.modifiedAfter.getTime() / 1000) * 1000 : pageRequest.modifiedAfter.getTime());
    const syncToken = stream.syncToken ? syncTokenOf(pageRequest.state) : undefined;
    const maxAgeDays = stream.changeFeed?.maxAgeDays;
    // Refused before asking: the feed would refuse it (QuickBooks: a Fault), and a full read is the way on.
    if (maxAgeDays !== undefined && since !== undefined && pageRequest.next === undefined && since < this.now() - maxAgeDays * DAY_MS + FEED_AGE_MARGIN_MS) {
      throw new IncrementalStateExpiredError({
        code: 'change_feed_too_old',
        message: `${this.spec.title} ${stream.name}: the change feed reaches back ${maxAgeDays} days, not to ${new Date(since).toISOString()}`,
      });
    }
    const ask: PageAsk = {
      page: pageRequest.page,
      perPage: Math.min(this.spec.maxPageSize, Math.max(1, pageRequest.perPage)),
      ...(pageRequest.next !== undefined ? { next: pageRequest.next } : {}),
      ...(since !== undefined ? { since } : {}),
      ...(pageRequest.ids ? { ids: pageRequest.ids } : {}),
      ...(pageRequest.filters ? { filters: pageRequest.filters } : {}),
      ...(syncToken !== undefined ? { syncToken } : {}),
    };
    const call = this.listCall(stream, planPageRequest(stream, ask));
    const answer = await this.withRetries(async () => {
      const got = await this.succeeded(call, 'read');
      return { ...got, body: this.parseBody(got) };
    });
    const reading = readPageAnswer(stream, ask, { headers: answer.headers, body: answer.body, url: answer.url });
    if (reading.kind === 'feedStuck') {
      throw new IncrementalStateExpiredError({ status: answer.statusCode, code: 'change_feed_stuck', message: `${whereOf(answer.context)} (stream ${stream.name}): ${reading.problem}; a full read takes it` });
    }
    if (reading.kind === 'invalid') {
      throw new ProviderError({ status: answer.statusCode, code: 'invalid_response', retriable: false, message: `${whereOf(answer.context)} (stream ${stream.name}): ${reading.problem}` });
    }
    const kept = keptRecords(stream, reading.records, since, pageRequest.ids);
    const budget = this.spec.rateLimitHeaders ? parseRateLimitHeaders(answer.headers, answer.context.nowMs) : undefined;
    // The delete feed is asked once per incremental read, with its first page (a refetched first page asks again: same answer).
    const fed = stream.deletes && since !== undefined && pageRequest.next === undefined && pageRequest.page === 1 ? await this.readDeletes(stream, stream.deletes, since) : [];
    const deletedIds = [...(reading.deletedIds ?? []), ...fed];
    return { reading: { ...reading, records: kept, ...(deletedIds.length > 0 ? { deletedIds } : {}) }, ...(budget ? { budget } : {}) };
  }

  /**
   * Page n of an ids-restricted read at `byIdPath`: the n-th id, one call, so the engine's rate
   * limit (a token per page) counts every request. A 404, or a record flagged deleted, is absent:
   * the run then tombstones it, as a list read that no longer returns it would.
   */
  private async readOneOfIds(stream: StreamSpec, template: string, pageRequest: ListPageRequest, ids: readonly string[]): Promise<Extract<PageReading, { kind: 'page' }>> {
    const index = pageRequest.next !== undefined ? Number(pageRequest.next) : pageRequest.page - 1;
    const id = Number.isSafeInteger(index) ? ids[index] : undefined;
    if (id === undefined) throw new ProviderError({ code: 'invalid_page', retriable: false, message: `${this.spec.title} (stream ${stream.name}): no id at position ${String(pageRequest.next ?? pageRequest.page)}` });
    const answer = await this.withRetries(async () => {
      const got = await this.send({ method: 'GET', path: fillTemplate(template, { id }, true) });
      if (got.statusCode !== 404 && !isSuccess(got.statusCode)) throw errorFromResponse(this.spec.errors, 'read', got.statusCode, got.headers, got.text, got.context);
      return got;
    });
    const record = answer.statusCode === 404 ? undefined : this.parseBody(answer);
    if (record !== undefined && (typeof record !== 'object' || record === null || Array.isArray(record) || String(readPath(record, stream.idField)) !== id)) {
      throw new ProviderError({ status: answer.statusCode, code: 'invalid_response', retriable: false, message: `${whereOf(answer.context)} (stream ${stream.name}): the body is not the record with ${stream.idField} ${id}` });
    }
    const flagged = record !== undefined && flaggedDeleted(stream, record);
    const records = record === undefined || flagged ? [] : [record as SourceRecord];
    return { kind: 'page', records, totals: { totalRecords: ids.length, totalPages: ids.length }, ...(index + 1 < ids.length ? { next: String(index + 1) } : {}), ...(flagged ? { deletedIds: [id] } : {}) };
  }

  /** The ids the stream's delete feed lists from `since` to now, page after page (at most MAX_DELETE_PAGES). */
  private async readDeletes(stream: StreamSpec, deletes: DeletesSpec, since: number): Promise<string[]> {
    const format = { param: deletes.startParam ?? '', format: deletes.format, exclusive: false };
    const params: Record<string, string> = { ...deletes.query };
    if (deletes.startParam) params[deletes.startParam] = formatSince(since, format);
    if (deletes.endParam) params[deletes.endParam] = formatSince(this.now(), format);
    const ids: string[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < MAX_DELETE_PAGES; page++) {
      const answer = await this.withRetries(async () => {
        const got = await this.succeeded({ method: 'GET', path: deletes.path, params: { ...params, ...(cursor !== undefined && deletes.next ? { [deletes.next.cursorParam]: cursor } : {}) } }, 'read');
        return { ...got, body: this.parseBody(got) };
      });
      const listed = readPath(answer.body, deletes.idsPath);
      const entries = Array.isArray(listed) ? listed : undefined;
      const found = entries?.filter((entry) => !deletedBefore(entry, deletes.deletedAtField, since)).map((entry) => (typeof entry === 'object' && entry !== null ? readPath(entry, deletes.idField) : entry));
      if (!found || found.some((id) => !((typeof id === 'string' && id !== '') || typeof id === 'number'))) {
        throw new ProviderError({ status: answer.statusCode, code: 'invalid_response', retriable: false, message: `${whereOf(answer.context)} (stream ${stream.name}): ${deletes.idsPath} is not a list of ids` });
      }
      ids.push(...found.map(String));
      const next = deletes.next ? readPath(answer.body, deletes.next.nextCursorPath) : undefined;
      if ((typeof next !== 'string' && typeof next !== 'number') || String(next) === '' || String(next) === cursor) return ids;
      cursor = String(next);
    }
    throw new ProviderError({ code: 'too_many_deletes', retriable: false, message: `${this.spec.title} (stream ${stream.name}): the delete feed ${deletes.path} has more than ${MAX_DELETE_PAGES} pages` });
  }

  /** The list request for a planned page, as the provider's hook shapes it. */
  private listCall(stream: StreamSpec, planned: PageRequest): ListCall {
    const call: ListCall = { method: 'GET', path: planned.url ?? planned.path ?? stream.path, params: planned.params, headers: planned.headers };
    return this.hooks.shapeList?.(stream, call) ?? call;
  }

  /** A call on one record as the provider's hook shapes it (an RPC API taking the id in its body). */
  private recordCall(stream: StreamSpec, purpose: 'read' | 'create' | 'update', call: Call, externalId?: string): Call {
    return this.hooks.shapeRecordCall?.(stream, purpose, call, externalId) ?? call;
  }

  private async readRecord(stream: StreamSpec, externalId: string): Promise<SourceRecord> {
    const template = stream.writes?.readPath ?? stream.writes?.update?.path ?? `${stream.path}/{id}`;
    const params = stream.writes?.readQuery;
    const answer = await this.succeeded(this.recordCall(stream, 'read', { method: 'GET', path: fillTemplate(template, { id: externalId }, true), ...(params ? { params } : {}) }, externalId), 'write');
    return this.recordOf(stream, answer, 'read');
  }

  /** The record after a write: its answer, or (`answer: "id"`) a read of the record it names. */
  private async write(stream: StreamSpec, planned: Call, externalId?: string): Promise<SourceRecord> {
    const purpose = externalId === undefined ? 'create' : 'update';
    const call = this.recordCall(stream, purpose, planned, externalId);
    const answer = await this.succeeded(call, 'write');
    if (stream.writes?.answer !== 'id') return this.recordOf(stream, answer, purpose);
    // An update's answer is otherwise unread: a 200 can still carry a fault (Odoo's JSON-RPC).
    if (externalId !== undefined && this.spec.errors.faultPath !== undefined) this.parseBody(answer, 'write');
    const id = externalId ?? readPath(this.parseBody(answer, 'write'), stream.writes.createdIdPath);
    if ((typeof id !== 'string' || id === '') && typeof id !== 'number') {
      throw new ProviderError({ status: answer.statusCode, code: 'invalid_response', retriable: false, message: `${whereOf(answer.context)} (stream ${stream.name}): ${stream.writes.createdIdPath} names no id` });
    }
    return this.readRecord(stream, String(id));
  }

  private recordOf(stream: StreamSpec, answer: Answer, purpose: 'read' | 'create' | 'update'): SourceRecord {
    const body = this.parseBody(answer, 'write');
    const answered = stream.writes?.recordPath === undefined ? body : readPath(body, stream.writes.recordPath);
    const record = stream.writes?.listAnswer ? this.onlyRow(stream, answer, answered, purpose) : answered;
    const id = typeof record === 'object' && record !== null && !Array.isArray(record) ? readPath(record, stream.idField) : undefined;
    if ((typeof id !== 'string' || id === '') && typeof id !== 'number') {
      throw new ProviderError({
        status: answer.statusCode,
        code: 'invalid_response',
        retriable: false,
        message: `${whereOf(answer.context)} (stream ${stream.name}): ${stream.writes?.recordPath ?? 'the body'} is not a record with an ${stream.idField}`,
      });
    }
    return record as SourceRecord;
  }

  /**
   * The one row of a list answer (`writes.listAnswer`, PostgREST's `return=representation`). None:
   * the filters matched nothing, so a read finds the record gone and an update finds it changed
   * since it was read (its precondition is one of those filters).
   */
  private onlyRow(stream: StreamSpec, answer: Answer, rows: unknown, purpose: 'read' | 'create' | 'update'): unknown {
    const where = `${whereOf(answer.context)} (stream ${stream.name})`;
    if (Array.isArray(rows) && rows.length === 1) return rows[0];
    if (Array.isArray(rows) && rows.length === 0 && purpose === 'update') {
      throw new WriteConflictError({ status: answer.statusCode, code: 'precondition_failed', message: `${where}: no row matched the update's filters: it changed or went since it was read` });
    }
    if (Array.isArray(rows) && rows.length === 0 && purpose === 'read') throw new RecordNotFoundError({ status: answer.statusCode, code: 'not_found', message: `${where}: no row has that id` });
    throw new ProviderError({ status: answer.statusCode, code: 'invalid_response', retriable: false, message: `${where}: ${stream.writes?.recordPath ?? 'the body'} is not a list of one row` });
  }

  private writeResult(stream: StreamSpec, record: SourceRecord): WriteResult {
    const modifiedAt = readPath(record, stream.modifiedField);
    const version = readPath(record, stream.writes?.versionField ?? stream.modifiedField);
    return {
      externalId: String(readPath(record, stream.idField)),
      record,
      ...(typeof modifiedAt === 'string' ? { modifiedAt } : {}),
      ...(typeof version === 'string' || typeof version === 'number' ? { version: String(version) } : {}),
    };
  }

  /** A 2xx cut off mid-body (a server dying mid-output, a dropped proxy connection) is a transient fault. */
  private parseBody(answer: Answer, on: 'read' | 'write' = 'read'): unknown {
    const parsed = parseJson(answer.text);
    if (parsed === undefined) {
      throw new ProviderUnavailableError({ status: answer.statusCode, code: 'truncated_response', message: `${whereOf(answer.context)}: the body is not JSON (truncated?)` });
    }
    // A provider that reports some failures inside a 200 (QuickBooks' `Fault`): read as the 400 it means.
    const faultPath = this.spec.errors.faultPath;
    if (faultPath !== undefined && readPath(parsed.value, faultPath) !== undefined) {
      throw errorFromResponse(this.spec.errors, on, 400, answer.headers, answer.text, answer.context);
    }
    return parsed.value;
  }

  private async withRetries<T>(call: () => Promise<T>, retryable: (error: unknown) => boolean = () => true): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await call();
      } catch (error) {
        if (!retryable(error)) throw error;
        const outcome = decideRetry(retryClassOf(error), attempt, this.policy, this.random);
        if (outcome.kind !== 'retry') throw error;
        await this.sleep(outcome.delayMs);
      }
    }
  }

  /** The answer to `call`, or the typed error its non-2xx status and body mean (`on`: a read, or a write and the reads it makes). */
  private async succeeded(call: Call, on: 'read' | 'write'): Promise<Answer> {
    const answer = await this.send(call);
    if (!isSuccess(answer.statusCode)) throw errorFromResponse(this.spec.errors, on, answer.statusCode, answer.headers, answer.text, answer.context);
    return answer;
  }

  /**
   * With OAuth, a 401 is answered with one new token and one more try (bearerCall), whose answer
   * stands: the answer, not an error, comes back, so the caller maps a second 401 with the spec's rules.
   */
  private send(call: Call): Promise<Answer> {
    if (!this.tokens) return this.sendOnce(call, undefined);
    return bearerCall(this.tokens, (token) => this.sendOnce(call, token), (answer) => answer.statusCode === 401);
  }

  /** One request, authenticated as the spec (or a signing hook) says. */
  private async sendOnce(call: Call, accessToken: string | undefined): Promise<Answer> {
    const url = new URL(call.path, this.apiRoot);
    // A next link's query is kept whole: a repeated parameter (`tag=a&tag=b`) keeps every value.
    const query = new URLSearchParams(url.search);
    for (const [name, value] of Object.entries(call.params ?? {})) query.set(name, value);
    for (const [name, value] of Object.entries(this.spec.query ?? {})) if (!query.has(name)) query.set(name, value);
    url.search = '';
    const context: RequestContext = { title: this.spec.title, method: call.method, path: url.pathname, secrets: this.secrets, nowMs: this.now() };
    const headers: Record<string, string> = { accept: 'application/json', 'user-agent': 'shardsync', ...this.spec.headers, ...call.headers };
    const signed = this.hooks.signQuery?.(call.method, url, Object.fromEntries(query), this.credentials);
    if (signed !== undefined) url.search = signed;
    else this.authenticate(url, query, headers, accessToken);
    if (call.body !== undefined) headers['content-type'] = 'application/json';
    try {
      const response = await request(url, {
        method: call.method,
        headers,
        ...(call.body === undefined ? {} : { body: JSON.stringify(call.body) }),
        dispatcher: this.agent,
        signal: AbortSignal.timeout(call.timeoutMs ?? this.target.timeoutMs),
      });
      return { statusCode: response.statusCode, headers: response.headers, text: await response.body.text(), url: url.href, context };
    } catch (error) {
      throw errorFromTransport(error, whereOf(context), this.secrets);
    }
  }

  private authenticate(url: URL, query: URLSearchParams, headers: Record<string, string>, accessToken: string | undefined): void {
    const auth = this.spec.auth;
    const text = (name: string) => String(this.credentials[name] ?? '');
    switch (auth.kind) {
      case 'basic':
        headers.authorization = `Basic ${Buffer.from(`${text(auth.usernameField)}:${text(auth.passwordField)}`).toString('base64')}`;
        break;
      case 'apiKey':
        if (auth.in === 'header') headers[auth.name.toLowerCase()] = `${auth.prefix ?? ''}${text('apiKey')}`;
        else query.set(auth.name, `${auth.prefix ?? ''}${text('apiKey')}`);
        break;
      case 'bearer':
        headers.authorization = `Bearer ${text('token')}`;
        break;
      case 'oauth2':
        headers.authorization = `Bearer ${accessToken ?? ''}`;
        break;
      case 'none':
        break;
    }
    url.search = query.toString();
  }
}

export function streamInfoOf(stream: StreamSpec): StreamInfo {
  return {
    name: stream.name,
    idField: stream.idField,
    modifiedField: stream.modifiedField,
    dependsOn: [...stream.dependsOn],
    serverFiltersModified: stream.incremental !== undefined,
    paging: pagingOf(stream.paginator),
    ...(stream.syncToken ? { connectorState: true } : {}),
    ...(stream.writes?.versionField !== undefined ? { versionField: stream.writes.versionField } : {}),
  };
}

const isSuccess = (status: number) => status >= 200 && status < 300;

/** The sync token kept as a stream's incremental state (`{syncToken}`), if the state is one. */
function syncTokenOf(state: unknown): string | undefined {
  const token = typeof state === 'object' && state !== null ? (state as { syncToken?: unknown }).syncToken : undefined;
  return typeof token === 'string' && token !== '' ? token : undefined;
}

const DAY_MS = 24 * 3600 * 1000;
/** A read that starts a few minutes inside the feed's reach may still pass its edge before the feed answers. */
const FEED_AGE_MARGIN_MS = 10 * 60 * 1000;

/** The most pages of a delete feed one incremental read follows: an archive larger than this is a full read's job (deletes by absence). */
const MAX_DELETE_PAGES = 100;

/** An archive entry deleted before the read's start: not news to this read. */
function deletedBefore(entry: unknown, deletedAtField: string | undefined, since: number): boolean {
  if (deletedAtField === undefined || typeof entry !== 'object' || entry === null) return false;
  const at = readPath(entry, deletedAtField);
  const atMs = parseProviderTime(at);
  return atMs !== undefined && atMs < since;
}

/** A copy of `record` with `path` (dotted) set to `value`. */
function withPath(record: SourceRecord, path: string, value: string): SourceRecord {
  const [head, ...rest] = path.split('.');
  if (head === undefined) return record;
  if (rest.length === 0) return { ...record, [head]: value };
  const inner = record[head];
  return { ...record, [head]: withPath(typeof inner === 'object' && inner !== null && !Array.isArray(inner) ? (inner as SourceRecord) : {}, rest.join('.'), value) };
}

function parseJson(text: string): { value: unknown } | undefined {
  try {
    return { value: JSON.parse(text) };
  } catch {
    return undefined;
  }
}

/** Records the provider could not filter itself: modified before `since`, or not among `ids`. */
function keptRecords(stream: StreamSpec, records: SourceRecord[], since: number | undefined, ids: readonly string[] | undefined): SourceRecord[] {
  const wanted = ids && !stream.idsParam ? new Set(ids) : undefined;
  return records.filter((record) => {
    if (wanted && !wanted.has(String(readPath(record, stream.idField)))) return false;
    // Records without a readable modified time are kept: dropping them could lose changes.
    return since === undefined || stream.incremental !== undefined || !(modifiedAtMs(record, stream) < since);
  });
}

function modifiedAtMs(record: SourceRecord, stream: StreamSpec): number {
  return parseProviderTime(readPath(record, stream.modifiedField)) ?? Number.NaN;
}

/** Two modified times compared to the second, the precision most APIs keep. */
function sameSecond(a: number, b: number): boolean {
  return Math.floor(a / 1000) === Math.floor(b / 1000);
}

/** Connection failures before anything was sent, and 429s: re-sending a create after these cannot duplicate it. */
const notConnectedCodes = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN']);
function neverReachedProvider(error: unknown): boolean {
  return error instanceof RateLimitError || (error instanceof ProviderUnavailableError && notConnectedCodes.has(error.code));
}
