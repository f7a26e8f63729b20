import { describe, expect, it } from 'vitest';
import { createSelfSignedCertificate } from '../../../dev/fakes/selfSignedCertificate.js';
import type { SourceRecord } from '../../../shared/connectors/connector.js';
import { AuthError } from '../../../shared/connectors/authError.js';
import { ProviderError } from '../../../shared/connectors/providerError.js';
import { ProviderUnavailableError } from '../../../shared/connectors/providerUnavailableError.js';
import { RateLimitError } from '../../../shared/connectors/rateLimitError.js';
import type { WooCommerceConnector } from '../../../shared/connectors/woocommerce/wooCommerceConnector.js';
import { wooCommerceHarness } from './wooCommerceHarness.js';

const credentials = { consumerKey: 'ck_0123456789abcdef', consumerSecret: 'cs_s3cr3t_do_not_leak' };
const counts = { customers: 250, products: 120, orders: 300 };
const certificate = createSelfSignedCertificate();

const { fake, connect } = wooCommerceHarness({ seed: 42, counts, credentials });

async function readAll(connector: WooCommerceConnector, stream: string, extra: { modifiedAfter?: Date } = {}) {
  const first = await connector.listPage({ stream, page: 1, perPage: 100, ...extra });
  const records: SourceRecord[] = [...first.records];
  for (let page = 2; page <= first.totalPages; page++) {
    records.push(...(await connector.listPage({ stream, page, perPage: 100, ...extra })).records);
  }
  return { first, records };
}

const withoutLinks = ({ _links, ...record }: SourceRecord) => record;

describe('WooCommerceConnector', () => {
  it('declares the three streams with their id and modified fields, numbered pages, orders after customers and products, customers not filtered by the store', async () => {
    const { connector } = connect(await fake());
    const dependsOn: Record<string, string[]> = { customers: [], products: [], orders: ['customers', 'products'] };
    expect(connector.streams()).toEqual(
      ['customers', 'products', 'orders'].map((name) => ({
        name,
        idField: 'id',
        modifiedField: 'date_modified_gmt',
        dependsOn: dependsOn[name],
        serverFiltersModified: name !== 'customers',
        paging: 'numbered',
      })),
    );
  });

  it('reads every page of a stream in id order with exact totals', async () => {
    const { connector } = connect(await fake());
    const { first, records } = await readAll(connector, 'customers');
    expect(first).toMatchObject({ page: 1, totalPages: 3, totalRecords: 250 });
    expect(records.map((record) => record.id)).toEqual(Array.from({ length: 250 }, (_, index) => index + 1));
    expect(records[0]).toMatchObject({
      email: expect.stringMatching(/@example\.com$/),
      billing: { phone: expect.any(String) },
      date_modified_gmt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/),
    });
  });

  it('serves the same records for the same seed and different ones for another seed', async () => {
    const read = async (seed: number) => {
      const { connector } = connect(await fake({ seed }));
      return (await connector.listPage({ stream: 'orders', page: 2, perPage: 50 })).records.map(withoutLinks);
    };
    const [first, again, other] = [await read(7), await read(7), await read(8)];
    expect(again).toEqual(first);
    expect(other).not.toEqual(first);
    expect(first[0]).toMatchObject({ id: 51, line_items: expect.any(Array), currency: 'USD' });
  });

  it('asks for more than 100 records per page as 100', async () => {
    const store = await fake();
    const { connector } = connect(store);
    const page = await connector.listPage({ stream: 'orders', page: 1, perPage: 500 });
    expect(page).toMatchObject({ totalPages: 3, totalRecords: 300 });
    expect(page.records).toHaveLength(100);
    expect(store.requestLog[0]!.query).toMatchObject({ per_page: '100', orderby: 'id', order: 'asc' });
  });

  it('reads only records modified at or after modifiedAfter (server-side for products)', async () => {
    const store = await fake();
    const { connector } = connect(store);
    const since = new Date();
    store.updateRecord('products', 42, { name: 'Renamed' });
    store.updateRecord('products', 7, { regular_price: '1.00' });
    const { first, records } = await readAll(connector, 'products', { modifiedAfter: since });
    expect(records.map((record) => record.id)).toEqual([7, 42]);
    expect(first.totalRecords).toBe(2);
    expect(records[1]).toMatchObject({ name: 'Renamed' });
    expect(store.requestLog[0]!.query).toMatchObject({ dates_are_gmt: 'true', modified_after: expect.any(String) });
  });

  it('filters customers on date_modified_gmt itself: their endpoint has no modified_after', async () => {
    const store = await fake();
    const { connector } = connect(store);
    const since = new Date();
    store.updateRecord('customers', 201, { billing: { phone: '+1 555 0100' } });
    const { records } = await readAll(connector, 'customers', { modifiedAfter: since });
    expect(records.map((record) => record.id)).toEqual([201]);
    expect(records[0]).toMatchObject({ billing: { phone: '+1 555 0100', city: expect.any(String) } });
    expect(store.requestLog[0]!.query).not.toHaveProperty('modified_after');
  });

  it('reads given ids only', async () => {
    const store = await fake();
    const { connector } = connect(store);
    const page = await connector.listPage({ stream: 'orders', page: 1, perPage: 100, ids: ['9', '2', '99999'] });
    expect(page.records.map((record) => record.id)).toEqual([2, 9]);
    expect(page.totalRecords).toBe(2);
    expect(await connector.listPage({ stream: 'orders', page: 1, perPage: 100, ids: [] })).toMatchObject({ records: [], totalRecords: 0 });
    expect(store.requestLog).toHaveLength(1);
  });

  it('signs with OAuth 1.0a over plain HTTP and never sends the secret', async () => {
    const store = await fake();
    const { connector } = connect(store);
    await connector.listPage({ stream: 'customers', page: 1, perPage: 10 });
    await connector.listPage({ stream: 'customers', page: 2, perPage: 10 });
    expect(store.requestLog.map((entry) => [entry.status, entry.auth])).toEqual([[200, 'oauth1'], [200, 'oauth1']]);
    expect(store.requestLog[0]!.query).toMatchObject({ oauth_signature_method: 'HMAC-SHA256', oauth_consumer_key: credentials.consumerKey });
    expect(JSON.stringify(store.requestLog)).not.toContain(credentials.consumerSecret);
  });

  describe.skipIf(!certificate)('over HTTPS (skipped when the openssl CLI is unavailable)', () => {
    const https = certificate!;

    it('uses Basic authentication and trusts a private CA from caCertificate', async () => {
      const store = await fake({ https });
      const { connector } = connect(store, { settings: { caCertificate: https.cert } });
      const page = await connector.listPage({ stream: 'products', page: 1, perPage: 5 });
      expect(page.records).toHaveLength(5);
      expect(store.requestLog.map((entry) => entry.auth)).toEqual(['basic']);
    });

    it('fails without retrying when the certificate is not trusted', async () => {
      const store = await fake({ https });
      const { connector, delays } = connect(store);
      const failure = connector.listPage({ stream: 'products', page: 1, perPage: 5 });
      await expect(failure).rejects.toMatchObject({ code: 'tls_certificate', retriable: false });
      expect(delays).toEqual([]);
    });

    it('reports a wrong secret as AuthError', async () => {
      const store = await fake({ https });
      const wrong = { ...credentials, consumerSecret: 'cs_wrong_secret_value' };
      const { connector } = connect(store, { settings: { caCertificate: https.cert }, secrets: wrong });
      const error = await connector.listPage({ stream: 'products', page: 1, perPage: 5 }).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(AuthError);
      expect(error).toMatchObject({ status: 401, code: 'woocommerce_rest_authentication_error', message: expect.stringContaining('Consumer secret is invalid') });
      expect((error as Error).message).not.toContain('cs_wrong_secret_value');
    });
  });

  it('reports a wrong secret as AuthError at once, without retries or the secret in the message', async () => {
    const store = await fake();
    const wrong = { ...credentials, consumerSecret: 'cs_wrong_secret_value' };
    const { connector, delays } = connect(store, { secrets: wrong });
    const error = await connector.listPage({ stream: 'customers', page: 1, perPage: 10 }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AuthError);
    expect(error).toMatchObject({ status: 401, retriable: false, code: 'woocommerce_rest_authentication_error' });
    expect((error as Error).message).toContain('Invalid signature');
    expect((error as Error).message).not.toContain('cs_wrong_secret_value');
    expect(store.requestLog).toHaveLength(1);
    expect(delays).toEqual([]);
  });

  it('waits Retry-After on 429, then succeeds', async () => {
    const store = await fake({ faults: { rateLimitEvery: 2, retryAfterSeconds: 2 } });
    const { connector, delays } = connect(store);
    await connector.listPage({ stream: 'orders', page: 1, perPage: 10 });
    const page = await connector.listPage({ stream: 'orders', page: 2, perPage: 10 });
    expect(page.records[0]).toMatchObject({ id: 11 });
    expect(store.requestLog.map((entry) => entry.status)).toEqual([200, 429, 200]);
    expect(delays).toEqual([2000]);
  });

  it('backs off with jitter on 500, then succeeds', async () => {
    const store = await fake({ faults: { serverErrorEvery: 2 } });
    const { connector, delays } = connect(store);
    await connector.listPage({ stream: 'orders', page: 1, perPage: 10 });
    await connector.listPage({ stream: 'orders', page: 2, perPage: 10 });
    expect(store.requestLog.map((entry) => entry.status)).toEqual([200, 500, 200]);
    // random() = 0.5 of the first window, base 250 ms.
    expect(delays).toEqual([125]);
  });

  it('gives up after four attempts with ProviderUnavailableError', async () => {
    const store = await fake({ faults: { serverErrorEvery: 1 } });
    const { connector, delays } = connect(store);
    const error = await connector.listPage({ stream: 'orders', page: 1, perPage: 10 }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ProviderUnavailableError);
    expect(error).toMatchObject({ status: 500, code: 'internal_server_error', retriable: true });
    expect(store.requestLog).toHaveLength(4);
    expect(delays).toEqual([125, 250, 500]);
  });

  it('surfaces a rate limit whose Retry-After is too long to sleep through', async () => {
    const store = await fake({ faults: { rateLimitEvery: 1, retryAfterSeconds: 3600 } });
    const { connector, delays } = connect(store);
    const error = await connector.listPage({ stream: 'orders', page: 1, perPage: 10 }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error).toMatchObject({ retryAfterMs: 3_600_000 });
    expect(delays).toEqual([]);
  });

  it('times out a slow store and retries', async () => {
    const store = await fake({ faults: { latencyMs: 400 } });
    const { connector, delays } = connect(store, { settings: { timeoutMs: 100 }, options: { retryPolicy: { maxRetries: 1 } } });
    const error = await connector.listPage({ stream: 'orders', page: 1, perPage: 10 }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ProviderUnavailableError);
    expect(error).toMatchObject({ code: 'timeout' });
    expect(delays).toHaveLength(1);
  });

  it('does not retry other 4xx answers', async () => {
    const store = await fake();
    const { connector, delays } = connect(store);
    const error = await connector.listPage({ stream: 'orders', page: 0, perPage: 10 }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ status: 400, code: 'rest_invalid_param', retriable: false });
    expect(delays).toEqual([]);
  });

  it('rejects unknown streams and non-numeric ids before calling the store', async () => {
    const store = await fake();
    const { connector } = connect(store);
    await expect(connector.listPage({ stream: 'coupons', page: 1, perPage: 10 })).rejects.toMatchObject({ code: 'unknown_stream' });
    await expect(connector.listPage({ stream: 'orders', page: 1, perPage: 10, ids: ['1,2'] })).rejects.toMatchObject({ code: 'invalid_id' });
    expect(store.requestLog).toEqual([]);
  });
});
