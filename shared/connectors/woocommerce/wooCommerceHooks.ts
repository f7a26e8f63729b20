import type { SpecHooks } from '../spec/specHooks.js';
import { signOAuth1Query } from './oauth1Signer.js';

/**
 * https://woocommerce.github.io/woocommerce-rest-api-docs/#authentication: Basic over HTTPS only
 * (the spec's `auth`); over plain HTTP the key and secret must never travel, so each request is
 * OAuth 1.0a-signed (fresh nonce and timestamp per attempt: the store rejects a replayed nonce).
 * A JSON body is not part of the OAuth signature base string (RFC 5849 §3.4.1.3).
 */
export const wooCommerceHooks: SpecHooks = {
  signQuery: (method, url, params, credentials) =>
    url.protocol === 'http:'
      ? signOAuth1Query(method, url.href, params, { consumerKey: String(credentials.consumerKey), consumerSecret: String(credentials.consumerSecret) })
      : undefined,
};
