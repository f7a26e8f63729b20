import { afterEach, describe, expect, it } from 'vitest';
import { startFakeWooCommerce, type FakeWooCommerce, type FakeWooCommerceOptions } from '../../dev/fakes/fakeWooCommerce.js';
import { createSelfSignedCertificate } from '../../dev/fakes/selfSignedCertificate.js';
import { AuthError } from '../../shared/connectors/authError.js';
import { ValidationError } from '../../shared/connectors/validationError.js';
import { createWooCommerceConnector } from '../../shared/connectors/woocommerce/wooCommerceConnector.js';
import type { Connector } from '../../shared/connectors/connector.js';
import { createRedactor } from '../../shared/core/security/redaction.js';
import { redactingConnector } from '../../shared/sync/security/redactingConnector.js';
import { loopbackOutbound } from '../unit/sync/loopbackOutbound.js';
import { echoedForms, formsIn } from '../unit/core/security/echoedForms.js';

/**
 * The fake store's `credential_echo` fault, and what the connector and the connection boundary
 * make of it: the store sends the credentials back in every form, nothing the engine gets to see
 * of the error carries any of them.
 */

/** A secret whose URL-encoded and JSON-escaped forms differ from it, sent by Basic over HTTPS (not OAuth: WooCommerce keys its signature with the raw secret, the signer with the encoded one). */
const special = { consumerKey: 'ck_echo_4f1d2a9b8c7e6f5a', consumerSecret: 'cs_echo/9e8d+7c6b 5a4f&"x"' };
/** WooCommerce's own shape of key: signs over plain HTTP too. */
const plain = { consumerKey: 'ck_2b7c9e1f0a3d4c5b6a7f8e9d0c1b2a3f4e5d6c7b', consumerSecret: 'cs_8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e' };
const certificate = createSelfSignedCertificate();

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
});

async function fake(credentials: typeof plain, options: Partial<FakeWooCommerceOptions>): Promise<FakeWooCommerce> {
  const store = await startFakeWooCommerce({ seed: 5, counts: { customers: 5, products: 0, orders: 0 }, ...credentials, ...options });
  cleanups.push(() => store.close());
  return store;
}

/** The engine's view of the store: the connector behind the boundary that redacts this connection's credentials. */
function connect(store: FakeWooCommerce, credentials: typeof plain): Connector {
  const connector = createWooCommerceConnector(
    { baseUrl: store.url, ...(certificate && store.url.startsWith('https:') ? { caCertificate: certificate.cert } : {}) },
    credentials,
    loopbackOutbound(),
    { retryPolicy: { maxRetries: 0 } },
  );
  cleanups.push(() => connector.close());
  return redactingConnector(connector, createRedactor(Object.values(credentials)));
}

/** Everything an error carries, as a use case or logger could see it. */
function everything(error: unknown): string {
  const own = Object.fromEntries(Object.getOwnPropertyNames(error).map((name) => [name, (error as Record<string, unknown>)[name]]));
  return `${String(error)}\n${JSON.stringify(own)}`;
}

const failure = (promise: Promise<unknown>) => promise.then(() => expect.unreachable('the call should have failed'), (error: unknown) => error);

describe('the credential_echo fault', () => {
  it('answers in WooCommerce’s error shape with the credentials it received in every form', async () => {
    const store = await fake(special, { faults: { failureRate: 1, kinds: ['credential_echo'] } });
    const basic = `Basic ${Buffer.from(`${special.consumerKey}:${special.consumerSecret}`).toString('base64')}`;
    const response = await fetch(`${store.url}/wp-json/wc/v3/customers`, { headers: { authorization: basic } });
    const text = await response.text();
    expect(response.status).toBe(401);
    const body = JSON.parse(text) as { message: string; data: { params: Record<string, string> } };
    expect(body).toMatchObject({ code: 'woocommerce_rest_authentication_error', message: expect.any(String), data: { status: 401 } });
    // Raw values with quotes exist only once the JSON is read.
    const forms = echoedForms(special.consumerKey, special.consumerSecret);
    expect(formsIn(`${text}\n${body.message}\n${Object.values(body.data.params).join('\n')}`, forms)).toEqual(forms.map(({ form }) => form));
  });

  it('a read over plain HTTP (OAuth-signed) fails with AuthError and a message with every form redacted', async () => {
    const store = await fake(plain, { faults: { failureRate: 1, kinds: ['credential_echo'] } });
    const error = await failure(connect(store, plain).listPage({ stream: 'customers', page: 1, perPage: 5 }));
    expect(store.requestLog).toMatchObject([{ status: 401, fault: 'credential_echo' }]);
    expect(error).toBeInstanceOf(AuthError);
    expect((error as AuthError).message).toMatch(/was refused.*\[redacted\]/);
    expect(formsIn(everything(error), echoedForms(plain.consumerKey, plain.consumerSecret))).toEqual([]);
  });

  it.skipIf(!certificate)('a read over HTTPS, whose Basic header the store echoes verbatim, leaves no form either (skipped without openssl)', async () => {
    const store = await fake(special, { https: certificate!, faults: { failureRate: 1, kinds: ['credential_echo'], credentialEchoStatus: 500 } });
    const error = await failure(connect(store, special).listPage({ stream: 'customers', page: 1, perPage: 5 }));
    expect(store.requestLog).toMatchObject([{ status: 500, fault: 'credential_echo', auth: 'none' }]);
    expect((error as Error).message).toContain('[redacted]');
    expect(formsIn(everything(error), echoedForms(special.consumerKey, special.consumerSecret))).toEqual([]);
  });

  it('a rejected write is a ValidationError whose provider message and field errors carry no form', async () => {
    const store = await fake(plain, { faults: { writeFaults: [{ kind: 'credential_echo' }] } });
    const error = await failure(connect(store, plain).update!('customers', '1', { first_name: 'Ann' }));
    expect(store.requestLog.at(-1)).toMatchObject({ status: 400, fault: 'credential_echo' });
    expect(error).toBeInstanceOf(ValidationError);
    const { providerMessage, fieldErrors } = error as ValidationError;
    expect(providerMessage).toMatch(/^Consumer key \[redacted\] with secret \[redacted\] was refused/);
    expect(Object.keys(fieldErrors ?? {})).toEqual(['consumer_secret', 'authorization']);
    expect(formsIn(everything(error), echoedForms(plain.consumerKey, plain.consumerSecret))).toEqual([]);
  });
});
