import { createHmac, timingSafeEqual } from 'node:crypto';
import { phpQuery } from './fakeWooCommerceQuery.js';

export type AuthMethod = 'basic' | 'query' | 'oauth1';
/** What a REST API key may do (WooCommerce → Settings → Advanced → REST API → Permissions). */
export type KeyPermissions = 'read' | 'write' | 'read_write';
export type AuthOutcome =
  | { kind: 'authenticated'; method: AuthMethod }
  | { kind: 'anonymous' }
  | { kind: 'rejected'; code: string; message: string };

export interface FakeAuthConfig {
  consumerKey: string;
  consumerSecret: string;
  https: boolean;
  /** WordPress home URL: the signed base URI is rebuilt from it, not from the Host header. */
  homeUrl: string;
  now: () => number;
  /** WooCommerce accepts oauth_timestamp within 15 minutes of its clock. */
  timestampToleranceSeconds: number;
  permissions: KeyPermissions;
}

const oauthRequired = ['oauth_consumer_key', 'oauth_timestamp', 'oauth_nonce', 'oauth_signature', 'oauth_signature_method'];

/**
 * Authentication as WooCommerce's WC_REST_Authentication does it
 * (plugins/woocommerce/includes/class-wc-rest-authentication.php;
 * https://woocommerce.github.io/woocommerce-rest-api-docs/#authentication):
 * over HTTPS Basic or `consumer_key`/`consumer_secret` query parameters (query first); then, on
 * either scheme, one-legged OAuth 1.0a from the query. No credentials at all is "anonymous": the
 * route answers 401 `woocommerce_rest_cannot_view` itself.
 */
export class FakeWooCommerceAuth {
  private readonly usedNonces = new Map<string, number>();

  constructor(private readonly config: FakeAuthConfig) {}

  authenticate(method: string, path: string, query: URLSearchParams, authorization: string | undefined): AuthOutcome {
    const basic = this.config.https ? this.basic(query, authorization) : undefined;
    const outcome = basic ?? this.oauth1(method, path, phpQuery(query));
    return outcome.kind === 'authenticated' ? this.checkPermissions(method, outcome) : outcome;
  }

  /** WC_REST_Authentication::check_permissions: the key's permissions against the HTTP method. */
  private checkPermissions(method: string, outcome: AuthOutcome): AuthOutcome {
    const { permissions } = this.config;
    const writing = ['POST', 'PUT', 'PATCH', 'DELETE'].includes(method.toUpperCase());
    if (writing && permissions === 'read') return rejected('The API key provided does not have write permissions.');
    if (!writing && permissions === 'write') return rejected('The API key provided does not have read permissions.');
    return outcome;
  }

  private basic(query: URLSearchParams, authorization: string | undefined): AuthOutcome | undefined {
    let method: AuthMethod = 'query';
    let key = query.get('consumer_key') ?? '';
    let secret = query.get('consumer_secret') ?? '';
    if (!key || !secret) {
      const decoded = /^Basic\s+(\S+)$/i.exec(authorization ?? '')?.[1];
      const pair = decoded ? Buffer.from(decoded, 'base64').toString('utf8') : '';
      const colon = pair.indexOf(':');
      [method, key, secret] = ['basic', pair.slice(0, Math.max(0, colon)), pair.slice(colon + 1)];
    }
    // An unknown key is not an error here: WooCommerce falls through to OAuth, then to anonymous.
    if (!key || !secret || !safeEqual(key, this.config.consumerKey)) return undefined;
    if (!safeEqual(secret, this.config.consumerSecret)) return rejected('Consumer secret is invalid.');
    return { kind: 'authenticated', method };
  }

  private oauth1(method: string, path: string, params: Map<string, string>): AuthOutcome {
    const missing = oauthRequired.filter((name) => !params.get(name));
    if (missing.length === oauthRequired.length) return { kind: 'anonymous' };
    if (missing.length > 0) {
      return { kind: 'rejected', code: 'woocommerce_rest_authentication_missing_parameter', message: `Missing OAuth parameter(s) ${missing.join(', ')}` };
    }
    if (!safeEqual(params.get('oauth_consumer_key')!, this.config.consumerKey)) return rejected('Consumer key is invalid.');
    const signatureMethod = params.get('oauth_signature_method')!;
    if (signatureMethod !== 'HMAC-SHA1' && signatureMethod !== 'HMAC-SHA256') {
      return rejected('Invalid signature - signature method is invalid.');
    }
    // PHP has already turned '+' into ' ' while decoding $_GET; WooCommerce undoes that.
    const offered = safeDecode(params.get('oauth_signature')!.replace(/ /g, '+'));
    const base = baseString(method, `${this.config.homeUrl}${path}`, params);
    const algorithm = signatureMethod === 'HMAC-SHA1' ? 'sha1' : 'sha256';
    // Key `secret&` per RFC 5849 §3.4.2; also accept a bare secret (PROVIDERS.md).
    const valid = [`${this.config.consumerSecret}&`, this.config.consumerSecret].some((key) =>
      safeEqual(createHmac(algorithm, key).update(base).digest('base64'), offered),
    );
    if (!valid) return rejected('Invalid signature - provided signature does not match.');
    return this.checkTimestampAndNonce(params.get('oauth_timestamp')!, params.get('oauth_nonce')!);
  }

  private checkTimestampAndNonce(timestamp: string, nonce: string): AuthOutcome {
    const nowSeconds = Math.floor(this.config.now() / 1000);
    const tolerance = this.config.timestampToleranceSeconds;
    const seconds = Number(timestamp);
    if (!Number.isInteger(seconds) || Math.abs(nowSeconds - seconds) > tolerance) return rejected('Invalid timestamp.');
    for (const [used, at] of this.usedNonces) if (at < nowSeconds - tolerance) this.usedNonces.delete(used);
    if (this.usedNonces.has(nonce)) return rejected('Invalid nonce - nonce has already been used.');
    this.usedNonces.set(nonce, seconds);
    return { kind: 'authenticated', method: 'oauth1' };
  }
}

/** OAuth 1.0a signature base string (RFC 5849 §3.4.1), parameters sorted by raw key like PHP's uksort(strcmp). */
export function baseString(method: string, baseUri: string, params: Map<string, string>): string {
  const normalized = [...params]
    .filter(([key]) => key !== 'oauth_signature')
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, value]) => `${rfc3986(key)}=${rfc3986(value)}`)
    .join('&');
  return `${method.toUpperCase()}&${rfc3986(baseUri)}&${rfc3986(normalized)}`;
}

/** PHP rawurlencode. */
function rfc3986(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

function rejected(message: string): AuthOutcome {
  return { kind: 'rejected', code: 'woocommerce_rest_authentication_error', message };
}
