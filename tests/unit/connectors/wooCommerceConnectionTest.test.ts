import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { AuthError } from '../../../shared/connectors/authError.js';
import { ProviderError } from '../../../shared/connectors/providerError.js';
import { ProviderUnavailableError } from '../../../shared/connectors/providerUnavailableError.js';
import { createWooCommerceConnector } from '../../../shared/connectors/woocommerce/wooCommerceConnector.js';
import { loopbackOutbound } from '../sync/loopbackOutbound.js';
import { wooCommerceHarness } from './wooCommerceHarness.js';

const credentials = { consumerKey: 'ck_test_connection_0001', consumerSecret: 'cs_test_connection_secret' };
const { fake, connect } = wooCommerceHarness({ seed: 4, counts: { customers: 30, products: 0, orders: 0 }, credentials });

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

/** A web server at the base URL that is not a WooCommerce store: every path answers `status` with an HTML page. */
async function notAStore(status: number): Promise<string> {
  const server = createServer((_request, response) => {
    response.writeHead(status, { 'content-type': 'text/html' });
    response.end('<!DOCTYPE html><html><body>Welcome to my blog</body></html>');
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function failure(promise: Promise<unknown>): Promise<ProviderError> {
  const error = await promise.then(() => undefined, (caught: unknown) => caught);
  expect(error).toBeInstanceOf(ProviderError);
  return error as ProviderError;
}

describe('WooCommerce connection test', () => {
  it('with the right key, one authenticated request for one customer resolves', async () => {
    const store = await fake();
    const { connector } = connect(store);
    await connector.testConnection();
    expect(store.requestLog).toHaveLength(1);
    expect(store.requestLog[0]).toMatchObject({ method: 'GET', path: '/wp-json/wc/v3/customers', status: 200, auth: 'oauth1', query: { per_page: '1' } });
  });

  it('a wrong secret is an AuthError with the store’s 401, tried once, the secret in no message', async () => {
    const store = await fake();
    const wrong = { consumerKey: credentials.consumerKey, consumerSecret: 'cs_wrong_secret_9876' };
    const { connector } = connect(store, { secrets: wrong });
    const error = await failure(connector.testConnection());
    expect(error).toBeInstanceOf(AuthError);
    expect(error).toMatchObject({ status: 401, code: 'woocommerce_rest_authentication_error' });
    expect(store.requestLog).toHaveLength(1);
    expect(`${error.message} ${error.stack}`).not.toContain(wrong.consumerSecret);
  });

  it('a key whose user may not manage the store is an AuthError with 403, for the test as for a write', async () => {
    const { connector } = connect(await fake({ keyOwnerRole: 'customer' }));
    const refused = await failure(connector.testConnection());
    expect(refused).toBeInstanceOf(AuthError);
    expect(refused).toMatchObject({ status: 403, code: 'woocommerce_rest_cannot_view' });
    expect(await failure(connector.update('customers', '1', { first_name: 'Ada' }))).toMatchObject({ status: 403, code: 'woocommerce_rest_cannot_edit' });
  });

  it('a site that answers 200 but is no WooCommerce store says so, and a 404 keeps its status', async () => {
    const blog = createWooCommerceConnector({ baseUrl: await notAStore(200) }, credentials, loopbackOutbound());
    const notWooCommerce = await failure(blog.testConnection());
    expect(notWooCommerce).toMatchObject({ status: 200, code: 'not_woocommerce', retriable: false });
    expect(notWooCommerce.message).toContain("is baseUrl the store's root?");
    const missing = createWooCommerceConnector({ baseUrl: await notAStore(404) }, credentials, loopbackOutbound());
    expect(await failure(missing.testConnection())).toMatchObject({ status: 404, code: 'http_404' });
    await Promise.all([blog.close(), missing.close()]);
  });

  it('gives up after the timeout it is given when that is shorter than the connection’s own', async () => {
    const { connector } = connect(await fake({ faults: { latencyMs: 2_000 } }), { settings: { timeoutMs: 30_000 } });
    const started = performance.now();
    const error = await failure(connector.testConnection({ timeoutMs: 200 }));
    expect(error).toBeInstanceOf(ProviderUnavailableError);
    expect(error.code).toBe('timeout');
    expect(performance.now() - started).toBeLessThan(1_500);
  });
});
