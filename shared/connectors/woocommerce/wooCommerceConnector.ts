import { Agent, request } from 'undici';
import type { Connector, ListPageRequest, SourcePage, SourceRecord, StreamInfo } from '../connector.js';
import { ProviderError, ProviderUnavailableError } from '../providerErrors.js';
import { decideRetry, defaultRetryPolicy, type RetryPolicy } from '../retryPolicy.js';
import { signOAuth1Query } from './oauth1Signer.js';
import { errorFromResponse, errorFromTransport, firstHeader, type RequestContext } from './wooCommerceErrors.js';
import {
  wooCommerceCredentialsSchema,
  wooCommerceSettingsSchema,
  type WooCommerceCredentials,
  type WooCommerceSettings,
  type WooCommerceSettingsInput,
} from './wooCommerceSettings.js';
import { wooCommerceStreams, type WooCommerceStream } from './wooCommerceStreams.js';

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

/** Reads a WooCommerce store through its REST API v3 (https://woocommerce.github.io/woocommerce-rest-api-docs/). */
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
    options: WooCommerceConnectorOptions = {},
  ) {
    const base = new URL(settings.baseUrl);
    this.apiRoot = new URL(`${base.pathname.replace(/\/+$/, '')}/wp-json/wc/v3/`, base);
    // One pool per connector: pages reuse kept-alive connections (and TLS sessions).
    this.agent = new Agent({
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
    return wooCommerceStreams.map(({ name, idField, modifiedField, dependsOn }) => ({ name, idField, modifiedField, dependsOn }));
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
    return { records, page: pageRequest.page, totalPages: result.totalPages, totalRecords: result.totalRecords };
  }

  /** Closes the kept-alive connections. */
  close(): Promise<void> {
    return this.agent.close();
  }

  private async withRetries<T>(call: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await call();
      } catch (error) {
        const decision = decideRetry(error, attempt, this.policy, this.random);
        if (!decision.retry) throw error;
        await this.sleep(decision.delayMs);
      }
    }
  }

  private async getList(stream: string, params: Record<string, string>): Promise<Omit<SourcePage, 'page'>> {
    const url = new URL(stream, this.apiRoot);
    const context: RequestContext = { method: 'GET', path: url.pathname, secrets: this.secrets, nowMs: this.now() };
    const headers: Record<string, string> = { accept: 'application/json', 'user-agent': 'shardsync' };
    // https://woocommerce.github.io/woocommerce-rest-api-docs/#authentication: Basic over HTTPS
    // only; over plain HTTP the key/secret must never travel, so each request is OAuth-signed
    // (fresh nonce and timestamp per attempt: the store rejects a replayed nonce).
    if (url.protocol === 'https:') {
      url.search = new URLSearchParams(params).toString();
      const basic = Buffer.from(`${this.credentials.consumerKey}:${this.credentials.consumerSecret}`).toString('base64');
      headers.authorization = `Basic ${basic}`;
    } else {
      url.search = signOAuth1Query('GET', url.href, params, this.credentials);
    }

    let statusCode: number;
    let responseHeaders: Record<string, string | string[] | undefined>;
    let text: string;
    try {
      const response = await request(url, {
        method: 'GET',
        headers,
        dispatcher: this.agent,
        signal: AbortSignal.timeout(this.settings.timeoutMs),
      });
      statusCode = response.statusCode;
      responseHeaders = response.headers;
      text = await response.body.text();
    } catch (error) {
      throw errorFromTransport(error, context);
    }
    if (statusCode !== 200) throw errorFromResponse(statusCode, responseHeaders, text, context);
    return parseList(text, responseHeaders, context);
  }
}

export function createWooCommerceConnector(
  settings: WooCommerceSettingsInput,
  credentials: WooCommerceCredentials,
  options?: WooCommerceConnectorOptions,
): WooCommerceConnector {
  return new WooCommerceConnector(
    wooCommerceSettingsSchema.parse(settings),
    wooCommerceCredentialsSchema.parse(credentials),
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
    const bad = pageRequest.ids.find((id) => !/^[1-9]\d*$/.test(id));
    if (bad !== undefined) {
      throw new ProviderError({ code: 'invalid_id', retriable: false, message: `WooCommerce ids are positive integers, got "${bad}"` });
    }
    params.include = pageRequest.ids.join(',');
  }
  return params;
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
  return typeof value === 'string' ? Date.parse(`${value}Z`) : Number.NaN;
}
