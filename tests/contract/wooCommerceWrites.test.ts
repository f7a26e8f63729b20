import wooCommerceRestApiModule from '@woocommerce/woocommerce-rest-api';
import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import type { FakeWooCommerce } from '../../dev/fakes/fakeWooCommerce.js';
import { createSelfSignedCertificate } from '../../dev/fakes/selfSignedCertificate.js';
import { AuthError } from '../../shared/connectors/authError.js';
import { ProviderError } from '../../shared/connectors/providerError.js';
import { ProviderUnavailableError } from '../../shared/connectors/providerUnavailableError.js';
import { RateLimitError } from '../../shared/connectors/rateLimitError.js';
import { RecordNotFoundError } from '../../shared/connectors/recordNotFoundError.js';
import { ValidationError } from '../../shared/connectors/validationError.js';
import { WriteConflictError } from '../../shared/connectors/writeConflictError.js';
import { WriteOutcomeUnknownError } from '../../shared/connectors/writeOutcomeUnknownError.js';
import { classifyProviderError } from '../../shared/sync/failures/errorClassification.js';
import { wooCommerceHarness } from '../unit/connectors/wooCommerceHarness.js';

/**
 * The connector's write side against the fake store over loopback, and the fake's PUT/POST against
 * the official client: the fake has to behave as WooCommerce does, or these tests prove nothing.
 */

const credentials = { consumerKey: 'ck_writes_key', consumerSecret: 'cs_writes_secret' };
const counts = { customers: 40, products: 30, orders: 50 };

/** One attempt per call by default, as the engine builds it; `delays` records what retries would wait. */
const { fake, connect } = wooCommerceHarness({ seed: 9, counts, credentials, options: { retryPolicy: { maxRetries: 0 } } });

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => expect.unreachable('the write should have failed'),
    (error: unknown) => error,
  );

const writes = (store: FakeWooCommerce) => store.requestLog.filter((entry) => entry.method !== 'GET');

describe('WooCommerce writes through the connector', () => {
  it('updates a record partially and returns it as the store now has it', async () => {
    const store = await fake();
    const { connector } = connect(store);
    const before = store.getRecord('customers', 7)!;
    const result = await connector.update('customers', '7', { first_name: 'Ada', billing: { phone: '+1 555 0100' } });

    expect(result.externalId).toBe('7');
    expect(result.record).toMatchObject({ id: 7, first_name: 'Ada', last_name: before.last_name, billing: { phone: '+1 555 0100', city: (before.billing as { city: string }).city } });
    expect(result.modifiedAt).toBe(result.record.date_modified_gmt);
    expect(result.modifiedAt! > String(before.date_modified_gmt)).toBe(true);
    expect(store.getRecord('customers', 7)).toEqual(result.record);
    const read = await connector.listPage({ stream: 'customers', page: 1, perPage: 10, ids: ['7'] });
    expect(read.records).toEqual([result.record]);
    expect(writes(store)).toMatchObject([
      { method: 'PUT', path: '/wp-json/wc/v3/customers/7', status: 200, auth: 'oauth1', body: { first_name: 'Ada', billing: { phone: '+1 555 0100' } } },
    ]);
  });

  it('checks modifiedAt with a GET before the PUT, and chains from the returned modifiedAt', async () => {
    const store = await fake();
    const { connector } = connect(store);
    const read = String(store.getRecord('products', 4)!.date_modified_gmt);
    const first = await connector.update('products', '4', { name: 'Renamed' }, { modifiedAt: read });
    // The engine may keep the instant in ISO form: it is compared as an instant.
    const second = await connector.update('products', '4', { sku: 'SKU-RENAMED' }, { modifiedAt: `${first.modifiedAt!}.000Z` });
    expect(second.record).toMatchObject({ name: 'Renamed', sku: 'SKU-RENAMED' });
    expect(store.requestLog.map((entry) => `${entry.method} ${entry.status}`)).toEqual(['GET 200', 'PUT 200', 'GET 200', 'PUT 200']);
  });

  it('refuses with WriteConflictError carrying the current record when it changed since it was read', async () => {
    const store = await fake();
    const { connector } = connect(store);
    const read = String(store.getRecord('customers', 3)!.date_modified_gmt);
    store.updateRecord('customers', 3, { last_name: 'Changed-Elsewhere' });

    const error = await failure(connector.update('customers', '3', { first_name: 'Mine' }, { modifiedAt: read }));
    expect(error).toBeInstanceOf(WriteConflictError);
    expect(error).toMatchObject({ code: 'modified_since_read', retriable: false, current: { id: 3, last_name: 'Changed-Elsewhere' } });
    expect(writes(store)).toEqual([]);
    expect(store.getRecord('customers', 3)!.first_name).not.toBe('Mine');
    // Classified permanent by the read side's rules: the engine must look for WriteConflictError first.
    expect(classifyProviderError(error)).toEqual({ kind: 'permanent', name: 'WriteConflictError' });
  });

  it('cannot see an edit landing between its GET and PUT (check-then-write): the edit survives where fields differ', async () => {
    const store = await fake({ faults: { writeFaults: [{ kind: 'concurrent_edit', patch: { first_name: 'Theirs', last_name: 'Theirs' } }] } });
    const { connector } = connect(store);
    const read = String(store.getRecord('customers', 5)!.date_modified_gmt);
    const result = await connector.update('customers', '5', { first_name: 'Mine' }, { modifiedAt: read });
    expect(result.record).toMatchObject({ first_name: 'Mine', last_name: 'Theirs' });
    expect(writes(store)).toMatchObject([{ status: 200, fault: 'concurrent_edit' }]);
  });

  it.each([
    [409, 'conflict'],
    [412, 'precondition_failed'],
  ] as const)('maps a %i from in front of the store to WriteConflictError with the record fetched', async (status, kind) => {
    const store = await fake({ faults: { writeFaults: [{ kind }] } });
    const { connector } = connect(store);
    const error = await failure(connector.update('orders', '8', { status: 'completed' }));
    expect(error).toBeInstanceOf(WriteConflictError);
    expect(error).toMatchObject({ status, retriable: false, current: { id: 8 } });
    expect(store.requestLog.map((entry) => `${entry.method} ${entry.status}`)).toEqual([`PUT ${status}`, 'GET 200']);
  });

  it('creates records with the next id, WooCommerce defaults and derived fields', async () => {
    const store = await fake();
    const { connector } = connect(store);
    const orderBefore = store.getRecord('orders', 12);

    const customer = await connector.create('customers', { email: 'grace@example.org', first_name: 'Grace', billing: { city: 'Arlington' } });
    expect(customer.externalId).toBe('41');
    expect(customer.record).toMatchObject({ id: 41, email: 'grace@example.org', username: 'grace', role: 'customer', billing: { city: 'Arlington', email: '' } });
    expect(customer.modifiedAt).toBe(customer.record.date_modified_gmt);
    expect(store.getRecord('customers', 41)).toEqual(customer.record);
    expect((await connector.listPage({ stream: 'customers', page: 1, perPage: 10 })).totalRecords).toBe(41);
    // Generated orders draw from the generated customers only: a created one changes none of them.
    expect(store.getRecord('orders', 12)).toEqual(orderBefore);

    const product = await connector.create('products', { name: 'Blue Mug', regular_price: '12.50' });
    expect(product.record).toMatchObject({ id: 31, name: 'Blue Mug', regular_price: '12.50', price: '12.50', on_sale: false, status: 'publish' });
    const onSale = await connector.update('products', product.externalId, { sale_price: '9.99' });
    expect(onSale.record).toMatchObject({ price: '9.99', on_sale: true });
    expect(writes(store).map((entry) => entry.status)).toEqual([201, 201, 200]);
  });

  it('ignores read-only fields and refuses an id in the fields before sending anything', async () => {
    const store = await fake();
    const { connector } = connect(store);
    const before = store.getRecord('products', 2)!;
    const result = await connector.update('products', '2', { price: '0.01', date_modified_gmt: '2000-01-01T00:00:00', name: 'Cheap?' });
    expect(result.record).toMatchObject({ name: 'Cheap?', price: before.price });
    expect(result.modifiedAt).not.toBe('2000-01-01T00:00:00');

    const log = store.requestLog.length;
    await expect(connector.update('products', '2', { id: 3, name: 'x' })).rejects.toMatchObject({ code: 'invalid_fields', retriable: false });
    await expect(connector.create('products', { id: 3 })).rejects.toMatchObject({ code: 'invalid_fields' });
    await expect(connector.update('coupons', '2', {})).rejects.toMatchObject({ code: 'unknown_stream' });
    await expect(connector.update('products', '2a', {})).rejects.toMatchObject({ code: 'invalid_id' });
    await expect(connector.update('products', '2', {}, { modifiedAt: 'yesterday' })).rejects.toMatchObject({ code: 'invalid_precondition' });
    expect(store.requestLog).toHaveLength(log);
  });

  it('maps 400s to ValidationError with the provider message and the fields it names', async () => {
    const store = await fake();
    const { connector } = connect(store);
    const email = await failure(connector.update('customers', '2', { email: 'not-an-address', billing: { phone: null } }));
    expect(email).toBeInstanceOf(ValidationError);
    expect(email).toMatchObject({
      status: 400,
      code: 'rest_invalid_param',
      retriable: false,
      providerMessage: 'Invalid parameter(s): email, billing',
      fieldErrors: { email: 'Invalid email address.', billing: 'billing[phone] is not of type string.' },
    });
    expect((email as Error).message).toContain('Invalid parameter(s): email, billing');
    expect(classifyProviderError(email)).toEqual({ kind: 'permanent', name: 'ValidationError' });

    const price = await failure(connector.update('products', '2', { regular_price: 12.5 }));
    expect(price).toMatchObject({ fieldErrors: { regular_price: 'regular_price is not of type string.' } });
    const customer = await failure(connector.create('orders', { customer_id: 999 }));
    expect(customer).toBeInstanceOf(ValidationError);
    expect(customer).toMatchObject({ code: 'woocommerce_rest_invalid_customer_id', providerMessage: 'Customer ID is invalid.' });
    const missing = await failure(connector.create('customers', { first_name: 'No Email' }));
    expect(missing).toMatchObject({ code: 'registration-error-invalid-email' });
    expect(store.getRecord('customers', 2)!.email).not.toBe('not-an-address');
  });

  it('maps an unknown id to RecordNotFoundError on every stream, whatever status the store uses', async () => {
    const store = await fake();
    const { connector } = connect(store);
    const expected = { customers: [404, 'wc_user_invalid_id'], products: [400, 'woocommerce_rest_product_invalid_id'], orders: [400, 'woocommerce_rest_shop_order_invalid_id'] };
    for (const [stream, [status, code]] of Object.entries(expected)) {
      const error = await failure(connector.update(stream, '9999', {}));
      expect(error).toBeInstanceOf(RecordNotFoundError);
      expect(error).toMatchObject({ status, code, retriable: false });
    }
    // The precondition's GET meets the read side's 404.
    const viaGet = await failure(connector.update('orders', '9999', {}, { modifiedAt: '2024-01-01T00:00:00' }));
    expect(viaGet).toBeInstanceOf(RecordNotFoundError);
    expect(viaGet).toMatchObject({ status: 404, code: 'woocommerce_rest_invalid_id' });
  });

  it('maps 429 to RateLimitError with Retry-After, and waits it out when retries are allowed', async () => {
    const store = await fake({ faults: { writeFaults: [{ kind: 'rate_limit', retryAfterSeconds: 7 }] } });
    const error = await failure(connect(store).connector.update('customers', '4', { first_name: 'Later' }));
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error).toMatchObject({ status: 429, retryAfterMs: 7000, retriable: true });
    expect(classifyProviderError(error)).toEqual({ kind: 'recoverable', name: 'RateLimitError', retryAfterMs: 7000 });

    store.setFaults({ writeFaults: [{ kind: 'rate_limit', retryAfterSeconds: 2 }, { kind: 'rate_limit', retryAfterSeconds: 3 }] });
    const { connector, delays } = connect(store, { options: {} });
    // A 429 proves the store did not take the create, so even a create is retried.
    const created = await connector.create('customers', { email: 'patient@example.org' });
    expect(created.record).toMatchObject({ email: 'patient@example.org' });
    expect(delays).toEqual([2000, 3000]);
  });

  it('retries an update after a 500 (PUT is idempotent) but not a create, whose outcome is then unknown', async () => {
    const store = await fake({ faults: { writeFaults: [{ kind: 'server_error' }] } });
    const { connector, delays } = connect(store, { options: {} });
    const updated = await connector.update('orders', '3', { customer_note: 'leave at the door' });
    expect(updated.record).toMatchObject({ customer_note: 'leave at the door' });
    expect(writes(store).map((entry) => entry.status)).toEqual([500, 200]);
    expect(delays).toEqual([125]);

    // PHP died after saving: the record exists though the answer was a 500.
    store.setFaults({ writeFaults: [{ kind: 'server_error', applied: true }] });
    const error = await failure(connector.create('orders', { customer_note: 'once only' }));
    expect(error).toBeInstanceOf(WriteOutcomeUnknownError);
    expect(error).toBeInstanceOf(ProviderUnavailableError);
    expect(error).toMatchObject({ status: 500, retriable: true, message: expect.stringContaining('may have been created') });
    expect(classifyProviderError(error)).toMatchObject({ kind: 'recoverable', name: 'WriteOutcomeUnknownError' });
    expect(writes(store).filter((entry) => entry.method === 'POST')).toHaveLength(1);
    expect(store.getRecord('orders', 51)).toMatchObject({ customer_note: 'once only' });
  });

  it('reports refused credentials and a read-only key as AuthError', async () => {
    const store = await fake();
    const wrong = connect(store, { secrets: { ...credentials, consumerSecret: 'cs_wrong' } }).connector;
    const error = await failure(wrong.update('customers', '1', { first_name: 'x' }));
    expect(error).toBeInstanceOf(AuthError);
    expect(error).toMatchObject({ status: 401, code: 'woocommerce_rest_authentication_error' });
    expect((error as Error).message).not.toContain('cs_wrong');

    const readOnly = await fake({ keyPermissions: 'read' });
    const { connector } = connect(readOnly);
    expect((await connector.listPage({ stream: 'customers', page: 1, perPage: 5 })).records).toHaveLength(5);
    const refused = await failure(connector.create('customers', { email: 'nope@example.org' }));
    expect(refused).toBeInstanceOf(AuthError);
    expect((refused as Error).message).toContain('The API key provided does not have write permissions.');
    expect(classifyProviderError(refused)).toEqual({ kind: 'auth', name: 'AuthError' });
  });

  it('surfaces a timed-out update as retriable and a timed-out create as WriteOutcomeUnknownError', async () => {
    const store = await fake({ faults: { failureRate: 1, kinds: ['timeout'] } });
    const { connector } = connect(store, { options: { retryPolicy: { maxRetries: 0 } }, settings: { timeoutMs: 200 } });
    const update = await failure(connector.update('products', '1', { name: 'slow' }));
    expect(update).toBeInstanceOf(ProviderUnavailableError);
    expect(update).not.toBeInstanceOf(WriteOutcomeUnknownError);
    expect(update).toMatchObject({ code: 'timeout', retriable: true });
    const create = await failure(connector.create('products', { name: 'slow' }));
    expect(create).toBeInstanceOf(WriteOutcomeUnknownError);
    expect(create).toMatchObject({ code: 'timeout' });
  });

  const certificate = createSelfSignedCertificate();
  it.skipIf(!certificate)('writes over HTTPS with Basic authentication (skipped without the openssl CLI)', async () => {
    const store = await fake({ https: certificate! });
    const { connector } = connect(store, { settings: { caCertificate: certificate!.cert } });
    const result = await connector.update('orders', '2', { status: 'on-hold' });
    expect(result.record).toMatchObject({ id: 2, status: 'on-hold' });
    expect(writes(store)).toMatchObject([{ method: 'PUT', auth: 'basic', status: 200 }]);
  });

  it('maps a record deleted at the store to RecordNotFoundError', async () => {
    const store = await fake();
    const { connector } = connect(store);
    store.deleteRecord('customers', 6);
    const error = await failure(connector.update('customers', '6', { first_name: 'Gone' }));
    expect(error).toBeInstanceOf(RecordNotFoundError);
    expect(error).toBeInstanceOf(ProviderError);
  });
});

// The package is Babel-built CommonJS: Node (and TypeScript) see the class under `.default`,
// Vitest unwraps it.
type ClientClass = typeof wooCommerceRestApiModule.default;
const interop = wooCommerceRestApiModule as unknown as ClientClass & { default?: ClientClass };
const WooCommerceRestApi: ClientClass = interop.default ?? interop;

interface AxiosFailure {
  response: { status: number; data: { code: string; message: string; data: { status: number; params?: Record<string, string> } } };
}
const clientFailure = (promise: Promise<unknown>) =>
  promise.then(
    () => expect.unreachable('the request should have failed'),
    (error: AxiosFailure) => ({ status: error.response.status, ...error.response.data }),
  );

describe('fake WooCommerce writes, driven by the official client (OAuth 1.0a over HTTP)', () => {
  it('updates with PUT, and with POST to the item route', async () => {
    const store = await fake();
    const api = new WooCommerceRestApi({ url: store.url, ...credentials, version: 'wc/v3' });
    const put = await api.put('customers/3', { last_name: 'Lovelace', shipping: { city: 'London' } });
    expect(put.status).toBe(200);
    expect(put.data).toMatchObject({ id: 3, last_name: 'Lovelace', shipping: { city: 'London' } });
    const post = await api.post('orders/5', { status: 'completed' });
    expect(post.status).toBe(200);
    expect(post.data).toMatchObject({ id: 5, status: 'completed' });
    expect(writes(store)).toMatchObject([
      { method: 'PUT', auth: 'oauth1', status: 200 },
      { method: 'POST', path: '/wp-json/wc/v3/orders/5', auth: 'oauth1', status: 200 },
    ]);
  });

  it('creates with POST: 201, a Location header and the record', async () => {
    const store = await fake();
    const api = new WooCommerceRestApi({ url: store.url, ...credentials, version: 'wc/v3' });
    const response = await api.post('products', { name: 'Green Tea', regular_price: '4.20', stock_quantity: '12', manage_stock: 'true' });
    expect(response.status).toBe(201);
    expect(response.headers.location).toBe(`${store.url}/wp-json/wc/v3/products/31`);
    expect(response.data).toMatchObject({ id: 31, name: 'Green Tea', price: '4.20', stock_quantity: 12, manage_stock: true });
  });

  it('answers WordPress errors: invalid parameters, an unknown id, an existing id, no credentials', async () => {
    const store = await fake();
    const api = new WooCommerceRestApi({ url: store.url, ...credentials, version: 'wc/v3' });
    expect(await clientFailure(api.put('customers/3', { email: 'nope' }))).toEqual({
      status: 400,
      code: 'rest_invalid_param',
      message: 'Invalid parameter(s): email',
      data: { status: 400, params: { email: 'Invalid email address.' } },
    });
    expect(await clientFailure(api.put('orders/3', { status: 'shipped' }))).toMatchObject({
      status: 400,
      data: { params: { status: 'status is not one of pending, processing, on-hold, completed, cancelled, refunded, failed, and checkout-draft.' } },
    });
    expect(await clientFailure(api.put('products/999', { name: 'x' }))).toMatchObject({ status: 400, code: 'woocommerce_rest_product_invalid_id', message: 'Invalid ID.' });
    expect(await clientFailure(api.post('products', { id: 3, name: 'x' }))).toMatchObject({ status: 400, code: 'woocommerce_rest_product_exists' });

    const anonymous = await request(`${store.url}/wp-json/wc/v3/customers/3`, { method: 'PUT', body: '{"first_name":"x"}', headers: { 'content-type': 'application/json' } });
    expect(anonymous.statusCode).toBe(401);
    expect(await anonymous.body.json()).toMatchObject({ code: 'woocommerce_rest_cannot_edit' });
    const broken = await request(`${store.url}/wp-json/wc/v3/customers/3`, { method: 'PUT', body: '{"first_name":', headers: { 'content-type': 'application/json' } });
    expect(broken.statusCode).toBe(400);
    expect(await broken.body.json()).toMatchObject({ code: 'rest_invalid_json' });
  });
});
