import { request, type Agent } from 'undici';
import { z } from 'zod';
import type {
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
import { ProviderUnavailableError } from '../providerUnavailableError.js';
import { RateLimitError } from '../rateLimitError.js';
import { WriteConflictError } from '../writeConflictError.js';
import { WriteOutcomeUnknownError } from '../writeOutcomeUnknownError.js';
import { decideRetry, type RetryPolicy } from '../../core/retry/retryDecision.js';
import { defaultRetryPolicy, retryClassOf } from '../retryPolicy.js';
import type { OutboundGuard } from '../http/outboundGuard.js';
import { signOAuth1Query } from './oauth1Signer.js';
import {
  errorFromResponse,
  errorFromTransport,
  firstHeader,
  writeErrorFromResponse,
  type RequestContext,
} from './wooCommerceErrors.js';
import {
  wooCommerceCredentialsSchema,
  wooCommerceSettingsSchema,
  type WooCommerceCredentials,
  type WooCommerceSettings,
  type WooCommerceSettingsInput,
} from './wooCommerceSettings.js';
import { wooCommerceStreams, type WooCommerceStream } from './wooCommerceStreams.js';
import { parseRateLimitHeaders } from '../../core/operations/rateLimitHeaders.js';

export interface WooCommerceConnectorOptions {
  retryPolicy?: Partial<RetryPolicy>;
  /** Waits between retries; tests inject one that records the delays and returns at once. */
  sleep?: (ms: number) => Promise<void>;
  /** Jitter source in [0, 1). */
  random?: () => number;
  /** Clock for Retry-After HTTP-dates. */
  now?: () => number;
}

/** WooCommerce serves at most 100 records per page (`per_page` maximum). */
export const maxPerPage = 100;

type HttpMethod = 'GET' | 'PUT' | 'POST';

interface HttpResponse {
  statusCode: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  context: RequestContext;
}

/** Reads and writes a WooCommerce store through its REST API v3 (https://woocommerce.github.io/woocommerce-rest-api-docs/). */
export class WooCommerceConnector implements Connector {
  readonly provider = 'woocommerce';
  private readonly apiRoot: URL;
  private readonly agent: Agent;
  private readonly policy: RetryPolicy;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;
  private readonly now: () => number;
  private readonly secrets: readonly string[];

  constructor(
    private readonly settings: WooCommerceSettings,
    private readonly credentials: WooCommerceCredentials,
    outbound: OutboundGuard,
    options: WooCommerceConnectorOptions = {},
  ) {
    const base = new URL(settings.baseUrl);
    this.apiRoot = new URL(`${base.pathname.replace(/\/+$/, '')}/wp-json/wc/v3/`, base);
    // One pool per connector: pages reuse kept-alive connections (and TLS sessions). Each new
    // connection is checked against the outbound policy (the store's name may resolve elsewhere now).
    this.agent = outbound.agent({
      keepAliveTimeout: 30_000,
      headersTimeout: settings.timeoutMs,
      bodyTimeout: settings.timeoutMs,
      connect: { timeout: settings.timeoutMs, ...(settings.caCertificate ? { ca: settings.caCertificate } : {}) },
    });
    this.policy = { ...defaultRetryPolicy, ...options.retryPolicy };
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.random = options.random ?? Math.random;
    this.now = options.now ?? Date.now;
    this.secrets = [credentials.consumerSecret, credentials.consumerKey];
  }

  streams(): StreamInfo[] {
    return wooCommerceStreams.map((stream) => ({ ...stream, dependsOn: [...stream.dependsOn] }));
  }

  /**
   * One page ordered by id ascending, so pages stay put while records are modified during the
   * read (a modified record may still be seen twice across an incremental read; callers tolerate
   * that). `perPage` above 100 is served as 100; the returned totals describe the served size.
   */
  async listPage(pageRequest: ListPageRequest): Promise<SourcePage> {
    const stream = findStream(pageRequest.stream);
    if (pageRequest.ids?.length === 0) return { records: [], page: pageRequest.page, totalPages: 0, totalRecords: 0 };
    const since = pageRequest.modifiedAfter && Math.floor(pageRequest.modifiedAfter.getTime() / 1000) * 1000;
    const params = listParams(stream, pageRequest, since);
    const result = await this.withRetries(() => this.getList(stream.name, params));
    const records =
      since !== undefined && !stream.serverFiltersModified
        ? result.records.filter((record) => !(modifiedAtMs(record, stream) < since))
        : result.records;
    return { records, page: pageRequest.page, totalPages: result.totalPages, totalRecords: result.totalRecords, ...(result.budget ? { budget: result.budget } : {}) };
  }

  /**
   * A partial update (PUT /wc/v3/{stream}/{id}; WooCommerce sets only the fields sent, nested
   * address fields one by one). WooCommerce offers no ETag or If-Match, so `precondition.modifiedAt`
   * is checked by reading the record first and comparing `date_modified_gmt` to the second, its
   * precision. That is check-then-write: an edit landing between that read and the PUT, or in the
   * same second as the edit the caller read, is overwritten unnoticed. Nothing better exists on
   * this API.
   */
  async update(streamName: string, externalId: string, fields: SourceRecord, precondition?: WritePrecondition): Promise<WriteResult> {
    const stream = findStream(streamName);
    checkIds([externalId]);
    checkFields(fields);
    const path = `${stream.name}/${externalId}`;
    if (precondition?.modifiedAt !== undefined) {
      const expectedMs = parseUtc(precondition.modifiedAt);
      if (Number.isNaN(expectedMs)) {
        throw new ProviderError({ code: 'invalid_precondition', retriable: false, message: `modifiedAt "${precondition.modifiedAt}" is not a date-time` });
      }
      const current = await this.withRetries(() => this.readRecord(path));
      if (!sameSecond(modifiedAtMs(current, stream), expectedMs)) {
        throw new WriteConflictError({
          code: 'modified_since_read',
          message: `WooCommerce ${stream.name} ${externalId} was modified at ${String(current[stream.modifiedField])}, not ${precondition.modifiedAt}`,
          current,
        });
      }
    }
    try {
      // The check above is not repeated on retries: a PUT that did land would fail it.
      return writeResult(await this.withRetries(() => this.write('PUT', path, fields)), stream);
    } catch (error) {
      if (!(error instanceof WriteConflictError)) throw error;
      // A plugin or proxy refused it: fetch the record as it is now (once; the engine re-reads anyway if this fails).
      const current = await this.readRecord(path).catch(() => undefined);
      throw new WriteConflictError({ status: error.status, code: error.code, message: error.message, ...(current ? { current } : {}) });
    }
  }

  /**
   * POST /wc/v3/{stream}. Not idempotent (WooCommerce has no idempotency key), so it is retried
   * only after failures that prove the store never took it; a failure after it may have (timeout,
   * 5xx, a cut-off 201) surfaces as WriteOutcomeUnknownError.
   */
  async create(streamName: string, fields: SourceRecord): Promise<WriteResult> {
    const stream = findStream(streamName);
    checkFields(fields);
    try {
      return writeResult(await this.withRetries(() => this.write('POST', stream.name, fields), neverReachedStore), stream);
    } catch (error) {
      if (!(error instanceof ProviderUnavailableError) || neverReachedStore(error)) throw error;
      throw new WriteOutcomeUnknownError({
        code: error.code,
        message: `${error.message} (the ${stream.name} record may have been created)`,
        ...(error.status === undefined ? {} : { status: error.status }),
        ...(error.retryAfterMs === undefined ? {} : { retryAfterMs: error.retryAfterMs }),
      });
    }
  }

  /**
   * GET /wc/v3/customers?per_page=1: authenticated like every request (WordPress authenticates
   * before routing, so a wrong key is a 401 here as anywhere), it needs the read permission a
   * sync needs and costs one small query. `system_status`, authenticated too, is not cheap: it
   * gathers the whole environment report, remote checks included. One attempt, no retries: the
   * caller asks how the store answers now.
   */
  async testConnection(options: ConnectionTestOptions = {}): Promise<void> {
    const timeoutMs = Math.min(this.settings.timeoutMs, options.timeoutMs ?? this.settings.timeoutMs);
    const response = await this.send('GET', 'customers', { per_page: '1' }, undefined, timeoutMs);
    if (response.statusCode !== 200) throw errorFromResponse(response.statusCode, response.headers, response.text, response.context);
    try {
      parseList(response.text, response.headers, response.context);
    } catch (error) {
      if (!(error instanceof ProviderError)) throw error;
      // Something else answers at this URL: a page of the site, a proxy's sign-in page.
      throw new ProviderError({
        status: 200,
        code: 'not_woocommerce',
        retriable: false,
        message: `WooCommerce GET ${response.context.path} answered 200, but not with a WooCommerce list: is baseUrl the store's root?`,
      });
    }
  }

  /** Closes the kept-alive connections. */
  close(): Promise<void> {
    return this.agent.close();
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

  private async getList(stream: string, params: Record<string, string>): Promise<Omit<SourcePage, 'page'>> {
    const response = await this.send('GET', stream, params);
    if (response.statusCode !== 200) throw errorFromResponse(response.statusCode, response.headers, response.text, response.context);
    // WooCommerce documents no rate-limit headers, but hosts and plugins in front of it send the
    // common ones; without them nothing changes.
    const budget = parseRateLimitHeaders(response.headers, response.context.nowMs);
    return { ...parseList(response.text, response.headers, response.context), ...(budget ? { budget } : {}) };
  }

  private async readRecord(path: string): Promise<SourceRecord> {
    const response = await this.send('GET', path, {});
    if (response.statusCode !== 200) throw writeErrorFromResponse(response.statusCode, response.headers, response.text, response.context);
    return parseRecord(response);
  }

  /** WooCommerce answers 200 to an update and 201 to a create, each with the record as a read shows it. */
  private async write(method: 'PUT' | 'POST', path: string, fields: SourceRecord): Promise<SourceRecord> {
    const response = await this.send(method, path, {}, fields);
    if (response.statusCode !== 200 && response.statusCode !== 201) {
      throw writeErrorFromResponse(response.statusCode, response.headers, response.text, response.context);
    }
    return parseRecord(response);
  }

  private async send(
    method: HttpMethod,
    path: string,
    params: Record<string, string>,
    body?: SourceRecord,
    timeoutMs = this.settings.timeoutMs,
  ): Promise<HttpResponse> {
    const url = new URL(path, this.apiRoot);
    const context: RequestContext = { method, path: url.pathname, secrets: this.secrets, nowMs: this.now() };
    const headers: Record<string, string> = { accept: 'application/json', 'user-agent': 'shardsync' };
    // https://woocommerce.github.io/woocommerce-rest-api-docs/#authentication: Basic over HTTPS
    // only; over plain HTTP the key/secret must never travel, so each request is OAuth-signed
    // (fresh nonce and timestamp per attempt: the store rejects a replayed nonce). A JSON body is
    // not part of the OAuth signature base string (RFC 5849 §3.4.1.3).
    if (url.protocol === 'https:') {
      url.search = new URLSearchParams(params).toString();
      const basic = Buffer.from(`${this.credentials.consumerKey}:${this.credentials.consumerSecret}`).toString('base64');
      headers.authorization = `Basic ${basic}`;
    } else {
      url.search = signOAuth1Query(method, url.href, params, this.credentials);
    }
    if (body !== undefined) headers['content-type'] = 'application/json';

    try {
      const response = await request(url, {
        method,
        headers,
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        dispatcher: this.agent,
        signal: AbortSignal.timeout(timeoutMs),
      });
      return { statusCode: response.statusCode, headers: response.headers, text: await response.body.text(), context };
    } catch (error) {
      throw errorFromTransport(error, context);
    }
  }
}

export function createWooCommerceConnector(
  settings: WooCommerceSettingsInput,
  credentials: WooCommerceCredentials,
  outbound: OutboundGuard,
  options?: WooCommerceConnectorOptions,
): WooCommerceConnector {
  return new WooCommerceConnector(
    wooCommerceSettingsSchema.parse(settings),
    wooCommerceCredentialsSchema.parse(credentials),
    outbound,
    options,
  );
}

function findStream(name: string): WooCommerceStream {
  const stream = wooCommerceStreams.find((candidate) => candidate.name === name);
  if (!stream) {
    throw new ProviderError({ code: 'unknown_stream', retriable: false, message: `WooCommerce has no stream "${name}"` });
  }
  return stream;
}

/** https://woocommerce.github.io/woocommerce-rest-api-docs/#list-all-products (same paging params for each stream). */
function listParams(stream: WooCommerceStream, pageRequest: ListPageRequest, since: number | undefined): Record<string, string> {
  const params: Record<string, string> = {
    page: String(pageRequest.page),
    per_page: String(Math.min(maxPerPage, Math.max(1, pageRequest.perPage))),
    orderby: 'id',
    order: 'asc',
  };
  for (const [name, value] of Object.entries(pageRequest.filters ?? {})) params[name] ??= value;
  if (since !== undefined && stream.serverFiltersModified) {
    // WordPress' date_query `after` is exclusive and to the second: ask from one second earlier
    // so records modified exactly at `modifiedAfter` are included.
    params.modified_after = new Date(since - 1000).toISOString().slice(0, 19);
    params.dates_are_gmt = 'true';
  }
  if (pageRequest.ids) {
    checkIds(pageRequest.ids);
    params.include = pageRequest.ids.join(',');
  }
  return params;
}

function checkIds(ids: readonly string[]): void {
  const bad = ids.find((id) => !/^[1-9]\d*$/.test(id));
  if (bad !== undefined) {
    throw new ProviderError({ code: 'invalid_id', retriable: false, message: `WooCommerce ids are positive integers, got "${bad}"` });
  }
}

/**
 * The id belongs in the URL only: WordPress reads a JSON body's parameters before the URL's
 * (WP_REST_Request::get_parameter_order), so a body `id` would redirect an update to another record.
 */
function checkFields(fields: SourceRecord): void {
  if (typeof fields !== 'object' || fields === null || Array.isArray(fields)) {
    throw new ProviderError({ code: 'invalid_fields', retriable: false, message: 'WooCommerce writes take an object of fields' });
  }
  if ('id' in fields) {
    throw new ProviderError({ code: 'invalid_fields', retriable: false, message: 'WooCommerce writes must not carry an id field; the id goes in the URL' });
  }
}

/** Connection failures before anything was sent, and 429s: re-sending a create after these cannot duplicate it. */
const notConnectedCodes = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN']);
function neverReachedStore(error: unknown): boolean {
  return error instanceof RateLimitError || (error instanceof ProviderUnavailableError && notConnectedCodes.has(error.code));
}

const writtenRecordSchema = z.looseObject({ id: z.number().int().positive() });

function parseRecord({ statusCode, text, context }: HttpResponse): SourceRecord {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ProviderUnavailableError({
      status: statusCode,
      code: 'truncated_response',
      message: `WooCommerce ${context.method} ${context.path}: the body is not JSON (truncated?)`,
    });
  }
  const parsed = writtenRecordSchema.safeParse(json);
  if (!parsed.success) {
    throw new ProviderError({
      status: statusCode,
      code: 'invalid_response',
      retriable: false,
      message: `WooCommerce ${context.method} ${context.path}: the body is not a record with a numeric id`,
    });
  }
  return parsed.data;
}

function writeResult(record: SourceRecord, stream: WooCommerceStream): WriteResult {
  const modifiedAt = record[stream.modifiedField];
  return { externalId: String(record.id), record, ...(typeof modifiedAt === 'string' ? { modifiedAt } : {}) };
}

function parseList(
  text: string,
  headers: Record<string, string | string[] | undefined>,
  context: RequestContext,
): Omit<SourcePage, 'page'> {
  const invalid = (why: string) =>
    new ProviderError({ status: 200, code: 'invalid_response', retriable: false, message: `WooCommerce ${context.method} ${context.path}: ${why}` });
  let records: unknown;
  try {
    records = JSON.parse(text);
  } catch {
    // A 200 cut off mid-body (PHP dying mid-output, a dropped proxy connection) is a transient fault.
    throw new ProviderUnavailableError({
      status: 200,
      code: 'truncated_response',
      message: `WooCommerce ${context.method} ${context.path}: the body is not JSON (truncated?)`,
    });
  }
  if (!Array.isArray(records)) throw invalid('the body is not a JSON array');
  // https://woocommerce.github.io/woocommerce-rest-api-docs/#pagination
  const totalRecords = Number(firstHeader(headers['x-wp-total']));
  const totalPages = Number(firstHeader(headers['x-wp-totalpages']));
  if (!Number.isInteger(totalRecords) || !Number.isInteger(totalPages)) {
    throw invalid('X-WP-Total/X-WP-TotalPages headers are missing (stripped by a proxy?)');
  }
  return { records: records as SourceRecord[], totalRecords, totalPages };
}

/** `date_modified_gmt` is UTC without a zone suffix; NaN when absent (such records are kept). */
function modifiedAtMs(record: SourceRecord, stream: WooCommerceStream): number {
  const value = record[stream.modifiedField];
  return typeof value === 'string' ? parseUtc(value) : Number.NaN;
}

/** A date-time read as UTC unless it names its zone, so both WooCommerce's and ISO 8601 forms compare. */
function parseUtc(value: string): number {
  return Date.parse(/(Z|[+-]\d\d:?\d\d)$/i.test(value) ? value : `${value}Z`);
}

function sameSecond(a: number, b: number): boolean {
  return Math.floor(a / 1000) === Math.floor(b / 1000);
}
