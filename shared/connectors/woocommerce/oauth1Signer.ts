import { createHmac } from 'node:crypto';
import OAuth from 'oauth-1.0a';
import type { WooCommerceCredentials } from './wooCommerceSettings.js';

/**
 * Query string for a one-legged OAuth 1.0a request, as WooCommerce requires over plain HTTP
 * (https://woocommerce.github.io/woocommerce-rest-api-docs/#authentication-over-http).
 * Same scheme as the official client (node_modules/@woocommerce/woocommerce-rest-api/index.mjs,
 * `_getOAuth`): HMAC-SHA256, signing key `secret&`, request parameters part of the base string.
 * Unlike that client we send every parameter once, so the signed and the sent query are the same.
 *
 * @param url absolute URL without a query; it must be the URL the store sees.
 * @returns the encoded query: `params` followed by the `oauth_*` parameters.
 */
export function signOAuth1Query(
  method: string,
  url: string,
  params: Readonly<Record<string, string>>,
  credentials: WooCommerceCredentials,
): string {
  const oauth = new OAuth({
    consumer: { key: credentials.consumerKey, secret: credentials.consumerSecret },
    signature_method: 'HMAC-SHA256',
    hash_function: (base, key) => createHmac('sha256', key).update(base).digest('base64'),
  });
  // `data` is part of the signed parameter set; the library returns the oauth_* values.
  const signed = oauth.authorize({ url, method, data: { ...params } });
  const oauthParams = Object.entries(signed).filter(([key]) => key.startsWith('oauth_'));
  return [...Object.entries(params), ...oauthParams]
    .map(([key, value]) => `${oauth.percentEncode(key)}=${oauth.percentEncode(String(value))}`)
    .join('&');
}
