import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import {
  faultForRequest,
  startFakeWooCommerce,
  type FakeFaultKind,
  type FakeWooCommerce,
  type FakeWooCommerceFaults,
} from '../../dev/fakes/fakeWooCommerce.js';
import { ProviderError } from '../../shared/connectors/providerError.js';
import { ProviderUnavailableError } from '../../shared/connectors/providerUnavailableError.js';
import { RateLimitError } from '../../shared/connectors/rateLimitError.js';
import { createWooCommerceConnector, type WooCommerceConnector } from '../../shared/connectors/woocommerce/wooCommerceConnector.js';
import { classifyProviderError } from '../../shared/sync/failures/errorClassification.js';
import { loopbackOutbound } from '../unit/sync/loopbackOutbound.js';

/**
 * The fake store's injected faults, as the connector sees them. The engine builds its connector
 * with one attempt per call (it retries by rescheduling), so these do too: every fault must come
 * out as the right typed error, and every transient one as retriable.
 */

const credentials = { consumerKey: 'ck_faults_key', consumerSecret: 'cs_faults_secret' };
const counts = { customers: 60, products: 10, orders: 10 };
const TIMEOUT_MS = 300;

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
});

async function fake(faults: FakeWooCommerceFaults = {}, seed = 5): Promise<FakeWooCommerce> {
  const store = await startFakeWooCommerce({ seed, counts, ...credentials, faults });
  cleanups.push(() => store.close());
  return store;
}

function connect(store: FakeWooCommerce): WooCommerceConnector {
  const connector = createWooCommerceConnector({ baseUrl: store.url, timeoutMs: TIMEOUT_MS }, credentials, loopbackOutbound(), {
    retryPolicy: { maxRetries: 0 },
  });
  cleanups.push(() => connector.close());
  return connector;
}

const always = (kind: FakeFaultKind, extra: FakeWooCommerceFaults = {}): FakeWooCommerceFaults => ({ failureRate: 1, kinds: [kind], ...extra });

async function listError(connector: WooCommerceConnector): Promise<unknown> {
  return connector.listPage({ stream: 'customers', page: 1, perPage: 20 }).then(
    () => expect.unreachable('the page should have failed'),
    (error: unknown) => error,
  );
}

/** A raw GET (no auth: the faults come first), so the wire format itself can be checked. */
function rawGet(url: string): Promise<{ status: number; headers: Record<string, unknown>; body: Buffer; error?: string }> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let status = 0;
    let headers: Record<string, unknown> = {};
    const done = (error?: Error) => resolve({ status, headers, body: Buffer.concat(chunks), ...(error ? { error: error.message } : {}) });
    const req = request(url, (response) => {
      status = response.statusCode ?? 0;
      headers = response.headers;
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => done());
      response.on('error', done);
      response.on('aborted', () => done(new Error('aborted')));
    });
    req.on('error', done);
    req.end();
  });
}

describe('fake WooCommerce faults, seen through the connector', () => {
  it('5xx answers are ProviderUnavailableError', async () => {
    const store500 = await fake(always('server_error'));
    const error500 = await listError(connect(store500));
    expect(error500).toBeInstanceOf(ProviderUnavailableError);
    expect(error500).toMatchObject({ status: 500, retriable: true, code: 'internal_server_error' });
    expect(store500.requestLog).toMatchObject([{ status: 500, fault: 'server_error' }]);

    const store503 = await fake(always('unavailable'));
    const error503 = await listError(connect(store503));
    expect(error503).toBeInstanceOf(ProviderUnavailableError);
    expect(error503).toMatchObject({ status: 503, retriable: true });
    expect(store503.requestLog).toMatchObject([{ status: 503, fault: 'unavailable' }]);
  });

  it('429 is a RateLimitError', async () => {
    const store = await fake(always('rate_limit'));
    const error = await listError(connect(store));
    expect(error).toBeInstanceOf(RateLimitError);
    expect(store.requestLog).toMatchObject([{ status: 429, fault: 'rate_limit' }]);
  });

  it('a request held past the client timeout is a ProviderUnavailableError "timeout", logged with no status', async () => {
    const store = await fake(always('timeout'));
    const started = Date.now();
    const error = await listError(connect(store));
    const elapsed = Date.now() - started;
    expect(error).toBeInstanceOf(ProviderUnavailableError);
    expect(error).toMatchObject({ code: 'timeout', retriable: true, status: undefined });
    expect(elapsed).toBeGreaterThanOrEqual(TIMEOUT_MS - 20);
    expect(elapsed).toBeLessThan(TIMEOUT_MS + 1_000);
    // The fake notices the client hanging up and logs the request as never answered.
    await expect.poll(() => store.requestLog.length).toBe(1);
    expect(store.requestLog[0]).toMatchObject({ status: 0, fault: 'timeout', path: '/wp-json/wc/v3/customers' });
  });

  it('with hangMs, a held request is answered late (too late for a short timeout, in time for a long one)', async () => {
    const store = await fake(always('timeout', { hangMs: 600 }));
    const error = await listError(connect(store));
    expect(error).toMatchObject({ code: 'timeout' });
    await expect.poll(() => store.requestLog.length, { timeout: 2_000 }).toBe(1);
    expect(store.requestLog[0]).toMatchObject({ status: 0, fault: 'timeout' });

    const patient = createWooCommerceConnector({ baseUrl: store.url, timeoutMs: 5_000 }, credentials, loopbackOutbound(), { retryPolicy: { maxRetries: 0 } });
    cleanups.push(() => patient.close());
    const started = Date.now();
    const page = await patient.listPage({ stream: 'customers', page: 1, perPage: 20 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(580);
    expect(page.records).toHaveLength(20);
    expect(store.requestLog[1]).toMatchObject({ status: 200, fault: 'timeout', auth: 'oauth1' });
  });

  it('a held request does not keep close() waiting', async () => {
    const store = await startFakeWooCommerce({ seed: 5, counts, ...credentials, faults: always('timeout') });
    const pending = rawGet(`${store.url}/wp-json/wc/v3/customers`);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const started = Date.now();
    await store.close();
    expect(Date.now() - started).toBeLessThan(1_000);
    expect((await pending).status).toBe(0);
  });

  it('a connection reset before any answer is a retriable ProviderUnavailableError', async () => {
    const store = await fake(always('connection_reset'));
    const error = await listError(connect(store));
    expect(error).toBeInstanceOf(ProviderUnavailableError);
    expect(error).toMatchObject({ retriable: true });
    expect(store.requestLog).toMatchObject([{ status: 0, fault: 'connection_reset' }]);
  });

  it('truncated JSON on the wire: 200, real headers, a body cut in the middle that does not hang the client', async () => {
    const clean = await fake(always('truncated_json'));
    // Auth is checked after the fault is chosen, so sign nothing: the 401 body gets cut as well.
    const answer = await rawGet(`${clean.url}/wp-json/wc/v3/customers`);
    expect(answer.error).toBeUndefined();
    expect(Number(answer.headers['content-length'])).toBe(answer.body.length);
    expect(() => JSON.parse(answer.body.toString())).toThrow();

    const reset = await fake(always('truncated_json', { truncation: 'reset' }));
    const started = Date.now();
    const broken = await rawGet(`${reset.url}/wp-json/wc/v3/customers`);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(broken.status).toBe(401);
    expect(broken.headers['transfer-encoding']).toBe('chunked');
    expect(broken.error).toBeDefined();
    expect(reset.requestLog).toMatchObject([{ status: 401, fault: 'truncated_json' }]);
  });

  it('a truncated body whose connection dies half-way is a retriable ProviderUnavailableError', async () => {
    const store = await fake(always('truncated_json', { truncation: 'reset' }));
    const error = await listError(connect(store));
    expect(error).toBeInstanceOf(ProviderUnavailableError);
    expect(error).toMatchObject({ retriable: true });
    expect(store.requestLog).toMatchObject([{ status: 200, fault: 'truncated_json', auth: 'oauth1' }]);
  });

  // A complete 200 whose JSON stops half-way (PHP ran out of memory mid-output) is transient: the
  // same request usually succeeds next time, so the engine must retry the page, not give it up.
  it('a complete 200 with truncated JSON is a retriable error', async () => {
    const store = await fake(always('truncated_json'));
    const error = await listError(connect(store));
    expect(store.requestLog).toMatchObject([{ status: 200, fault: 'truncated_json', auth: 'oauth1' }]);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ status: 200, retriable: true });
    expect(classifyProviderError(error)).toMatchObject({ kind: 'recoverable' });
  });

  it('downUntil: every request is a 503 until the time passes (a number or a function)', async () => {
    const upAt = Date.now() + 400;
    const store = await fake({ downUntil: upAt });
    const connector = connect(store);
    const error = await listError(connector);
    expect(error).toBeInstanceOf(ProviderUnavailableError);
    expect(error).toMatchObject({ status: 503, code: 'http_503', retriable: true });
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, upAt - Date.now() + 10)));
    const page = await connector.listPage({ stream: 'customers', page: 1, perPage: 20 });
    expect(page.records).toHaveLength(20);
    expect(store.requestLog.map((entry) => [entry.status, entry.fault])).toEqual([[503, 'down'], [200, undefined]]);

    let back = Number.POSITIVE_INFINITY;
    const moved = await fake({ downUntil: () => back });
    const movedConnector = connect(moved);
    for (let i = 0; i < 3; i++) expect(await listError(movedConnector)).toMatchObject({ status: 503 });
    back = 0;
    expect((await movedConnector.listPage({ stream: 'customers', page: 1, perPage: 20 })).records).toHaveLength(20);
    expect(moved.requestLog.map((entry) => entry.status)).toEqual([503, 503, 503, 200]);
  });

  it('failureRate: request n fails or not, and how, by the seed alone', async () => {
    const faults: FakeWooCommerceFaults = { failureRate: 0.3, seed: 77, kinds: ['server_error', 'unavailable', 'rate_limit'] };
    const planned = Array.from({ length: 40 }, (_, index) => faultForRequest(faults, index + 1));
    // Deterministic, with some of every kind at about the rate.
    expect(Array.from({ length: 40 }, (_, index) => faultForRequest(faults, index + 1))).toEqual(planned);
    expect(planned.filter(Boolean).length).toBeGreaterThan(4);
    expect(planned.filter(Boolean).length).toBeLessThan(24);
    // Another seed, another plan.
    expect(Array.from({ length: 40 }, (_, index) => faultForRequest({ ...faults, seed: 78 }, index + 1))).not.toEqual(planned);

    const runOnce = async () => {
      const store = await fake(faults);
      const connector = connect(store);
      for (let n = 0; n < planned.length; n++) {
        await connector.listPage({ stream: 'customers', page: (n % 3) + 1, perPage: 20 }).catch((error: unknown) => {
          if (!(error instanceof ProviderError && error.retriable)) throw error;
        });
      }
      return store.requestLog.map((entry) => [entry.status, entry.fault]);
    };
    const first = await runOnce();
    const expected = planned.map((fault) => {
      if (fault === undefined) return [200, undefined];
      return [{ server_error: 500, unavailable: 503, rate_limit: 429 }[fault as 'server_error' | 'unavailable' | 'rate_limit'], fault];
    });
    expect(first).toEqual(expected);
    expect(await runOnce()).toEqual(first);
  });

  it('over many requests, the default kinds fail at about the rate, each kind typed as retriable', async () => {
    const faults: FakeWooCommerceFaults = { failureRate: 0.2, seed: 9 };
    const planned = Array.from({ length: 2_000 }, (_, index) => faultForRequest(faults, index + 1));
    const failed = planned.filter(Boolean).length;
    expect(failed / planned.length).toBeGreaterThan(0.17);
    expect(failed / planned.length).toBeLessThan(0.23);
    for (const kind of ['server_error', 'timeout', 'truncated_json'] as const) {
      expect(planned.filter((fault) => fault === kind).length).toBeGreaterThan(failed / 5);
    }
    expect(faultForRequest({ failureRate: 0 }, 1)).toBeUndefined();
    expect(faultForRequest({ failureRate: 0.5, kinds: [] }, 1)).toBeUndefined();
  });
});
