import { createHmac, timingSafeEqual } from 'node:crypto';

export const ALERT_HEADERS = {
  timestamp: 'X-Shardsync-Timestamp',
  signature: 'X-Shardsync-Signature',
  event: 'X-Shardsync-Event',
  delivery: 'X-Shardsync-Delivery',
} as const;

export interface AlertHeadersInput {
  /** The alert type, e.g. `execution.failed`. */
  event: string;
  /** The payload id: the same on every attempt, so receivers can de-duplicate. */
  deliveryId: string;
  /** Exactly the bytes sent: the signature covers them, not a re-serialisation. */
  rawBody: string;
  now: Date;
  /** Absent: the delivery goes out unsigned (no timestamp or signature headers). */
  secret?: string;
}

/**
 * Headers of one delivery attempt. The signed content is `${timestamp}.${rawBody}`, so a captured
 * delivery cannot be replayed later than the receiver's tolerance with a new timestamp.
 */
export function alertHeaders(input: AlertHeadersInput): Record<string, string> {
  const headers: Record<string, string> = { [ALERT_HEADERS.event]: input.event, [ALERT_HEADERS.delivery]: input.deliveryId };
  if (input.secret !== undefined) {
    const timestamp = String(Math.floor(input.now.getTime() / 1000));
    headers[ALERT_HEADERS.timestamp] = timestamp;
    headers[ALERT_HEADERS.signature] = signAlert(input.secret, timestamp, input.rawBody);
  }
  return headers;
}

/** `sha256=<hex HMAC-SHA256(secret, "${timestamp}.${rawBody}")>`. */
export function signAlert(secret: string, timestamp: string, rawBody: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${rawBody}`).digest('hex')}`;
}

/**
 * For receivers (and our tests): true when the signature matches the raw body and the timestamp
 * is within `toleranceSeconds` of `now` either way (bounds replay, allows clock skew).
 * Header names are matched case-insensitively, as HTTP requires.
 */
export function verifyAlertSignature(
  secret: string,
  headers: Record<string, string | string[] | undefined>,
  rawBody: string,
  now: Date,
  toleranceSeconds = 300,
): boolean {
  if (secret === '') return false;
  const timestamp = header(headers, ALERT_HEADERS.timestamp);
  const signature = header(headers, ALERT_HEADERS.signature);
  if (timestamp === undefined || signature === undefined || !/^\d{1,12}$/.test(timestamp)) return false;
  if (Math.abs(Math.floor(now.getTime() / 1000) - Number(timestamp)) > toleranceSeconds) return false;
  const expected = Buffer.from(signAlert(secret, timestamp, rawBody));
  const actual = Buffer.from(signature);
  // timingSafeEqual needs equal lengths; the length of a well-formed signature is public anyway.
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

function header(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) {
    // A repeated header is ambiguous: reject rather than pick one.
    if (key.toLowerCase() === wanted) return typeof value === 'string' ? value : undefined;
  }
  return undefined;
}
