import { createHmac } from 'node:crypto';
import { Agent as HttpsAgent } from 'node:https';
import OAuth from 'oauth-1.0a';
import { request } from 'undici';
import wooCommerceRestApiModule from '@woocommerce/woocommerce-rest-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeWooCommerce, type FakeWooCommerce } from '../../dev/fakes/fakeWooCommerce.js';
import { createSelfSignedCertificate } from '../../dev/fakes/selfSignedCertificate.js';
import { signOAuth1Query } from '../../shared/connectors/woocommerce/oauth1Signer.js';

/**
 * The fake must accept what the OFFICIAL client sends (and reject what WooCommerce rejects):
 * if it drifted into agreeing only with our own connector, its tests would prove nothing.
 */

// The package is Babel-built CommonJS: Node (and TypeScript) see the class under `.default`,
// Vitest unwraps it.
type ClientClass = typeof wooCommerceRestApiModule.default;
const interop = wooCommerceRestApiModule as unknown as ClientClass & { default?: ClientClass };
const WooCommerceRestApi: ClientClass = interop.default ?? interop;

const credentials = { consumerKey: 'ck_contract_key', consumerSecret: 'cs_contract_secret' };
const counts = { customers: 120, products: 45, orders: 80 };

interface AxiosFailure {
  response: { status: number; data: { code: string; message: string; data: { status: number } } };
}
const failureOf = (promise: Promise<unknown>) =>
  promise.then(
    () => expect.unreachable('the request should have failed'),
    (error: AxiosFailure) => ({ status: error.response.status, code: error.response.data.code, message: error.response.data.message }),
  );

describe('fake WooCommerce over plain HTTP, driven by the official client (OAuth 1.0a)', () => {
  let store: FakeWooCommerce;
  let api: InstanceType<ClientClass>;

  beforeAll(async () => {
    store = await startFakeWooCommerce({ seed: 3, counts, ...credentials });
    api = new WooCommerceRestApi({ url: store.url, ...credentials, version: 'wc/v3' });
  });
  afterAll(() => store.close());

  it('lists a page with the totals headers', async () => {
    const response = await api.get('customers', { page: 2, per_page: 50 });
    expect(response.status).toBe(200);
    expect(response.headers['x-wp-total']).toBe('120');
    expect(response.headers['x-wp-totalpages']).toBe('3');
    expect(response.data).toHaveLength(50);
    expect(response.data[0]).toMatchObject({ id: 51, role: 'customer', billing: { email: expect.any(String) } });
    const logged = store.requestLog.at(-1)!;
    expect(logged).toMatchObject({ auth: 'oauth1', status: 200, query: { page: '2', per_page: '50' } });
  });

  it('applies orderby, order and the last page', async () => {
    const response = await api.get('products', { page: 5, per_page: 10, orderby: 'id', order: 'desc' });
    expect(response.data.map((product: { id: number }) => product.id)).toEqual([5, 4, 3, 2, 1]);
    expect(response.headers['x-wp-totalpages']).toBe('5');
  });

  it('filters on modified_after in GMT', async () => {
    const since = new Date(Date.now() - 1000).toISOString().slice(0, 19);
    store.updateRecord('orders', 17, { status: 'completed' });
    const response = await api.get('orders', { modified_after: since, dates_are_gmt: true, per_page: 100 });
    expect(response.data.map((order: { id: number }) => order.id)).toEqual([17]);
    expect(response.headers['x-wp-total']).toBe('1');
  });

  it('gets one record by id, and 404s an unknown one', async () => {
    const response = await api.get('orders/12');
    expect(response.data).toMatchObject({ id: 12, number: '12', line_items: expect.any(Array) });
    expect(await failureOf(api.get('orders/9999'))).toEqual({ status: 404, code: 'woocommerce_rest_invalid_id', message: 'Invalid ID.' });
  });

  it('answers WordPress errors for bad parameters and unknown routes', async () => {
    expect(await failureOf(api.get('customers', { per_page: 101 }))).toMatchObject({ status: 400, code: 'rest_invalid_param' });
    expect(await failureOf(api.get('coupons'))).toMatchObject({ status: 404, code: 'rest_no_route' });
  });

  it('rejects a wrong secret and an unknown key with 401', async () => {
    const wrongSecret = new WooCommerceRestApi({ url: store.url, ...credentials, consumerSecret: 'cs_wrong', version: 'wc/v3' });
    expect(await failureOf(wrongSecret.get('customers'))).toEqual({
      status: 401,
      code: 'woocommerce_rest_authentication_error',
      message: 'Invalid signature - provided signature does not match.',
    });
    const wrongKey = new WooCommerceRestApi({ url: store.url, ...credentials, consumerKey: 'ck_unknown', version: 'wc/v3' });
    expect(await failureOf(wrongKey.get('customers'))).toMatchObject({ status: 401, message: 'Consumer key is invalid.' });
  });

  it('answers 401 woocommerce_rest_cannot_view without any credentials', async () => {
    const response = await request(`${store.url}/wp-json/wc/v3/customers`);
    expect(response.statusCode).toBe(401);
    expect(await response.body.json()).toMatchObject({ code: 'woocommerce_rest_cannot_view', data: { status: 401 } });
  });

  it('verifies the signature over the query: tampering fails, a bare-secret key passes', async () => {
    const url = `${store.url}/wp-json/wc/v3/products`;
    const tampered = signOAuth1Query('GET', url, { per_page: '1' }, credentials).replace('per_page=1', 'per_page=2');
    expect((await request(`${url}?${tampered}`)).statusCode).toBe(401);

    // Some clients sign with key = secret instead of `secret&`; WooCommerce accepts both (PROVIDERS.md).
    const oauth = new OAuth({
      consumer: { key: credentials.consumerKey, secret: credentials.consumerSecret },
      signature_method: 'HMAC-SHA256',
      last_ampersand: false,
      hash_function: (base, key) => createHmac('sha256', key).update(base).digest('base64'),
    });
    const signed = oauth.authorize({ url, method: 'GET' });
    const bare = new URLSearchParams(Object.entries(signed).map(([key, value]): [string, string] => [key, String(value)]));
    expect((await request(`${url}?${bare}`)).statusCode).toBe(200);
  });

  it('rejects a replayed nonce and a stale timestamp', async () => {
    const url = `${store.url}/wp-json/wc/v3/products`;
    const signed = `${url}?${signOAuth1Query('GET', url, { per_page: '1' }, credentials)}`;
    expect((await request(signed)).statusCode).toBe(200);
    const replay = await request(signed);
    expect(replay.statusCode).toBe(401);
    expect(await replay.body.json()).toMatchObject({ message: 'Invalid nonce - nonce has already been used.' });

    const stale = await startFakeWooCommerce({ seed: 3, counts, ...credentials, now: () => Date.now() + 3_600_000 });
    try {
      const staleUrl = `${stale.url}/wp-json/wc/v3/products`;
      const response = await request(`${staleUrl}?${signOAuth1Query('GET', staleUrl, {}, credentials)}`);
      expect(await response.body.json()).toMatchObject({ message: 'Invalid timestamp.' });
    } finally {
      await stale.close();
    }
  });
});

const certificate = createSelfSignedCertificate();

describe.skipIf(!certificate)('fake WooCommerce over HTTPS, driven by the official client (skipped without the openssl CLI)', () => {
  let store: FakeWooCommerce;
  const httpsAgent = new HttpsAgent({ ca: certificate?.cert });

  beforeAll(async () => {
    store = await startFakeWooCommerce({ seed: 3, counts, ...credentials, https: certificate! });
  });
  afterAll(() => store.close());

  it('accepts Basic authentication', async () => {
    const api = new WooCommerceRestApi({ url: store.url, ...credentials, version: 'wc/v3', axiosConfig: { httpsAgent } });
    const response = await api.get('orders', { per_page: 5 });
    expect(response.data).toHaveLength(5);
    expect(store.requestLog.at(-1)!.auth).toBe('basic');
  });

  it('accepts consumer_key/consumer_secret query parameters (queryStringAuth)', async () => {
    const api = new WooCommerceRestApi({ url: store.url, ...credentials, version: 'wc/v3', queryStringAuth: true, axiosConfig: { httpsAgent } });
    const response = await api.get('customers/3');
    expect(response.data).toMatchObject({ id: 3 });
    expect(store.requestLog.at(-1)).toMatchObject({ auth: 'query', query: { consumer_secret: '[redacted]' } });
  });

  it('rejects a wrong secret with 401', async () => {
    const api = new WooCommerceRestApi({ url: store.url, ...credentials, consumerSecret: 'cs_wrong', version: 'wc/v3', queryStringAuth: true, axiosConfig: { httpsAgent } });
    expect(await failureOf(api.get('customers'))).toEqual({
      status: 401,
      code: 'woocommerce_rest_authentication_error',
      message: 'Consumer secret is invalid.',
    });
  });
});
