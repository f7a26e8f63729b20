import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { WebhookHmacVerifier } from '../schemas/connection.js';

/** Case-insensitive header access, as the Fetch API's `Headers` gives it. */
export interface HeaderReader {
  get(name: string): string | null;
}

const DEFAULT_TOLERANCE_SECONDS = 300;

/** The request line a `method.url.body.timestamp` signature covers: the method and the full URL the provider called. */
export interface SignedRequestLine {
  method: string;
  url: string;
}

export type SignatureCheck =
  /** `signed`: the bytes the signature covers, which identify the delivery (see webhookEvent). */
  | { valid: true; signed: Buffer }
  | { valid: false; reason: 'no_secret' | 'missing_signature' | 'malformed_signature' | 'missing_timestamp' | 'stale_timestamp' | 'mismatch' };

/**
 * Pure: does `rawBody` (the exact bytes received, never a re-serialisation) carry a valid
 * signature under `secret`, in the scheme `config` describes? The comparison is constant-time, so
 * response timing tells an attacker nothing about how much of a forged signature was right.
 */
export function checkWebhookSignature(
  config: WebhookHmacVerifier,
  secret: string | undefined,
  headers: HeaderReader,
  rawBody: Uint8Array,
  now: Date,
  requestLine?: SignedRequestLine,
): SignatureCheck {
  if (!secret) return { valid: false, reason: 'no_secret' };
  const header = headers.get(config.header);
  if (header === null || header === '') return { valid: false, reason: 'missing_signature' };
  if (config.construction === 'sharedSecret') return checkSharedSecret(config, secret, header, rawBody);
  const provided = decodeSignature(header, config);
  if (!provided) return { valid: false, reason: 'malformed_signature' };

  const signed = signedPayload(config, headers, rawBody, requestLine);
  if (!signed) return { valid: false, reason: 'missing_timestamp' };
  if (config.signedPayload !== 'body') {
    // Bounds how long a captured delivery can be replayed; either way, for clock skew.
    const stamp = Number(headers.get(config.timestampHeader!));
    const skewSeconds = Math.abs(now.getTime() - (config.timestampUnit === 'ms' ? stamp : stamp * 1000)) / 1000;
    if (skewSeconds > toleranceSeconds(config)) return { valid: false, reason: 'stale_timestamp' };
  }
  const expected = digestOf(config, secret, signed);
  // The digest length is public (it follows from the algorithm); timingSafeEqual needs equal lengths.
  return provided.length === expected.length && timingSafeEqual(provided, expected) ? { valid: true, signed } : { valid: false, reason: 'mismatch' };
}

/**
 * A header that carries the secret itself. Both sides are hashed first, so the comparison takes
 * the same time whatever the lengths and however much of a guess was right.
 */
function checkSharedSecret(config: WebhookHmacVerifier, secret: string, header: string, rawBody: Uint8Array): SignatureCheck {
  const value = header.trim();
  if (config.prefix !== undefined && !value.startsWith(config.prefix)) return { valid: false, reason: 'malformed_signature' };
  const given = createHash('sha256').update(config.prefix === undefined ? value : value.slice(config.prefix.length)).digest();
  const expected = createHash('sha256').update(secret).digest();
  return timingSafeEqual(given, expected) ? { valid: true, signed: Buffer.from(rawBody.buffer, rawBody.byteOffset, rawBody.byteLength) } : { valid: false, reason: 'mismatch' };
}

/** The HMAC of `signed` under the secret, or the plain hash of the secret and `signed` (`secretPrefixedHash`). */
function digestOf(config: WebhookHmacVerifier, secret: string, signed: Buffer): Buffer {
  return config.construction === 'secretPrefixedHash'
    ? createHash(config.algorithm).update(secret).update(signed).digest()
    : createHmac(config.algorithm, secret).update(signed).digest();
}

/**
 * Pure: the exact bytes the provider's signature covers — the raw body, `${timestamp}.${raw body}`,
 * or method + URL + raw body + timestamp — or undefined when the signed timestamp (whole seconds,
 * or milliseconds) or the request line is missing.
 */
function signedPayload(config: WebhookHmacVerifier, headers: HeaderReader, rawBody: Uint8Array, requestLine?: SignedRequestLine): Buffer | undefined {
  if (config.signedPayload === 'body') return Buffer.from(rawBody.buffer, rawBody.byteOffset, rawBody.byteLength);
  const timestamp = headers.get(config.timestampHeader!);
  if (timestamp === null || !/^\d{1,15}$/.test(timestamp)) return undefined;
  if (config.signedPayload === 'timestamp.body') return Buffer.concat([Buffer.from(`${timestamp}.`), rawBody]);
  if (!requestLine) return undefined;
  return Buffer.concat([Buffer.from(`${requestLine.method.toUpperCase()}${requestLine.url}`), rawBody, Buffer.from(timestamp)]);
}

/**
 * How long (seconds) after it is made a signature is accepted: a signed timestamp from `tolerance`
 * before it to `tolerance` after it; undefined for a body-only signature, which never expires.
 */
export function signatureLifetimeSeconds(config: WebhookHmacVerifier): number | undefined {
  return config.signedPayload === 'body' ? undefined : 2 * toleranceSeconds(config);
}

const toleranceSeconds = (config: WebhookHmacVerifier): number => config.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;

/** The signature bytes, or undefined when the header is not a well-formed encoding (Node's decoders would silently skip junk). */
function decodeSignature(header: string, config: WebhookHmacVerifier): Buffer | undefined {
  let value = header.trim();
  if (config.prefix !== undefined) {
    if (!value.startsWith(config.prefix)) return undefined;
    value = value.slice(config.prefix.length);
  }
  if (config.encoding === 'hex') return /^(?:[0-9a-fA-F]{2})+$/.test(value) ? Buffer.from(value, 'hex') : undefined;
  return /^[A-Za-z0-9+/]+={0,2}$/.test(value) && value.length % 4 === 0 ? Buffer.from(value, 'base64') : undefined;
}

/** What a test or fake provider sends: the header value for `rawBody` (with the prefix, if any). */
export function signWebhook(config: WebhookHmacVerifier, secret: string, rawBody: Uint8Array | string, timestamp?: string, requestLine?: SignedRequestLine): string {
  if (config.construction === 'sharedSecret') return `${config.prefix ?? ''}${secret}`;
  const body = typeof rawBody === 'string' ? Buffer.from(rawBody) : Buffer.from(rawBody);
  const headers: HeaderReader = { get: (name) => (config.timestampHeader !== undefined && name === config.timestampHeader ? (timestamp ?? null) : null) };
  const signed = signedPayload(config, headers, body, requestLine) ?? body;
  return `${config.prefix ?? ''}${digestOf(config, secret, signed).toString(config.encoding)}`;
}
