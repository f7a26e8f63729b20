import { createHmac, timingSafeEqual } from 'node:crypto';
import type { WebhookHmacVerifier } from '../schemas/connection.js';

/** Case-insensitive header access, as the Fetch API's `Headers` gives it. */
export interface HeaderReader {
  get(name: string): string | null;
}

const DEFAULT_TOLERANCE_SECONDS = 300;

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
): SignatureCheck {
  if (!secret) return { valid: false, reason: 'no_secret' };
  const header = headers.get(config.header);
  if (header === null || header === '') return { valid: false, reason: 'missing_signature' };
  const provided = decodeSignature(header, config);
  if (!provided) return { valid: false, reason: 'malformed_signature' };

  const signed = signedPayload(config, headers, rawBody);
  if (!signed) return { valid: false, reason: 'missing_timestamp' };
  if (config.signedPayload === 'timestamp.body') {
    // Bounds how long a captured delivery can be replayed; either way, for clock skew.
    const skew = Math.abs(Math.floor(now.getTime() / 1000) - Number(headers.get(config.timestampHeader!)));
    if (skew > toleranceSeconds(config)) return { valid: false, reason: 'stale_timestamp' };
  }
  const expected = createHmac(config.algorithm, secret).update(signed).digest();
  // The digest length is public (it follows from the algorithm); timingSafeEqual needs equal lengths.
  return provided.length === expected.length && timingSafeEqual(provided, expected) ? { valid: true, signed } : { valid: false, reason: 'mismatch' };
}

/**
 * Pure: the exact bytes the provider's HMAC covers — the raw body, or `${timestamp}.${raw body}` —
 * or undefined when the signed timestamp is missing or not whole seconds.
 */
function signedPayload(config: WebhookHmacVerifier, headers: HeaderReader, rawBody: Uint8Array): Buffer | undefined {
  if (config.signedPayload === 'body') return Buffer.from(rawBody.buffer, rawBody.byteOffset, rawBody.byteLength);
  const timestamp = headers.get(config.timestampHeader!);
  if (timestamp === null || !/^\d{1,12}$/.test(timestamp)) return undefined;
  return Buffer.concat([Buffer.from(`${timestamp}.`), rawBody]);
}

/**
 * How long (seconds) after it is made a signature is accepted: a signed timestamp from `tolerance`
 * before it to `tolerance` after it; undefined for a body-only signature, which never expires.
 */
export function signatureLifetimeSeconds(config: WebhookHmacVerifier): number | undefined {
  return config.signedPayload === 'timestamp.body' ? 2 * toleranceSeconds(config) : undefined;
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
export function signWebhook(config: WebhookHmacVerifier, secret: string, rawBody: Uint8Array | string, timestamp?: string): string {
  const body = typeof rawBody === 'string' ? Buffer.from(rawBody) : rawBody;
  const signed = config.signedPayload === 'timestamp.body' ? Buffer.concat([Buffer.from(`${timestamp ?? ''}.`), body]) : body;
  return `${config.prefix ?? ''}${createHmac(config.algorithm, secret).update(signed).digest(config.encoding)}`;
}
