import type { FakeRestError } from './fakeWooCommerceWrites.js';

/** The credentials a request carried, as the store received them. */
export interface ReceivedCredentials {
  key?: string;
  secret?: string;
  /** The Authorization header, verbatim. */
  authorization?: string;
}

/**
 * From the `consumer_key`/`consumer_secret` query, HTTP Basic, or OAuth 1.0a's `oauth_consumer_key`
 * (an OAuth-signed request carries no secret).
 */
export function receivedCredentials(query: URLSearchParams, authorization: string | undefined): ReceivedCredentials {
  const basic = /^Basic\s+(\S+)$/i.exec(authorization ?? '')?.[1];
  const pair = basic ? Buffer.from(basic, 'base64').toString('utf8') : '';
  const colon = pair.indexOf(':');
  const key = query.get('consumer_key') ?? query.get('oauth_consumer_key') ?? (colon > 0 ? pair.slice(0, colon) : undefined);
  const secret = query.get('consumer_secret') ?? (colon > 0 ? pair.slice(colon + 1) : undefined);
  return { ...(key ? { key } : {}), ...(secret ? { secret } : {}), ...(authorization ? { authorization } : {}) };
}

/**
 * The `credential_echo` fault: a store (or a plugin, or its debug output) that puts the
 * credentials it received into its error body, in every form one is seen in the wild: raw key and
 * secret, URL-encoded (encodeURIComponent and form encoding), the Authorization header it got (or
 * the Basic header the pair makes, when the request was OAuth-signed), a Bearer token of the pair,
 * and the secret upper-cased, in the message and in `data.params` (which WordPress fills for
 * invalid parameters). Still WordPress' error shape `{code, message, data: {status}}`. What the
 * request did not carry comes from the store's own copy of the key, as a dump of its key record
 * would show it.
 */
export function credentialEchoError(status: number, received: ReceivedCredentials, stored: { consumerKey: string; consumerSecret: string }): FakeRestError {
  const key = received.key ?? stored.consumerKey;
  const secret = received.secret ?? stored.consumerSecret;
  const pair = Buffer.from(`${key}:${secret}`);
  const authorization = received.authorization ?? `Basic ${pair.toString('base64')}`;
  const form = new URLSearchParams({ consumer_key: key, consumer_secret: secret }).toString();
  const message =
    `Consumer key ${key} with secret ${secret} was refused. ` +
    `Request: consumer_key=${encodeURIComponent(key)}&consumer_secret=${encodeURIComponent(secret)} (form: ${form}); ` +
    `Authorization: ${authorization}; token: Bearer ${pair.toString('base64url')}; SECRET=${secret.toUpperCase()}`;
  const code = status === 401 || status === 403 ? 'woocommerce_rest_authentication_error' : status === 400 ? 'rest_invalid_param' : 'internal_server_error';
  return {
    status,
    body: { code, message, data: { status, params: { consumer_secret: `${secret} is not valid for ${key}`, authorization } } },
  };
}
