import { createHash, createHmac } from 'node:crypto';

export type HubSpotSubscriptionType =
  | 'contact.creation'
  | 'contact.deletion'
  | 'contact.propertyChange'
  | 'company.creation'
  | 'company.deletion'
  | 'company.propertyChange'
  | 'deal.creation'
  | 'deal.deletion'
  | 'deal.propertyChange';

/** One event of a delivery: ids, not records (the receiver reads the record back). */
export interface HubSpotWebhookEvent {
  eventId: number;
  subscriptionId: number;
  portalId: number;
  appId: number;
  occurredAt: number;
  subscriptionType: HubSpotSubscriptionType;
  attemptNumber: number;
  objectId: number;
  changeSource?: string;
  propertyName?: string;
  propertyValue?: string;
}

export type HubSpotWebhookEventInput = Pick<HubSpotWebhookEvent, 'subscriptionType' | 'objectId'> & Partial<HubSpotWebhookEvent>;

export interface SendWebhookOptions {
  clientSecret: string;
  /** v3 (HMAC, timestamped) as app webhooks sign now; v1 (hex SHA-256 of secret + body) as CRM subscriptions still do. */
  version: 'v3' | 'v1';
  /** Sign as of this instant (ms); default now. An old one is a replayed delivery. */
  timestampMs?: number;
  portalId?: number;
  appId?: number;
  /** Send this signature instead of the right one: a forged delivery. */
  signatureOverride?: string;
}

export interface SentWebhook {
  status: number;
  body: string;
  /** The exact bytes sent, and the headers: what a receiver verifies. */
  sentBody: string;
  headers: Record<string, string>;
}

/** `X-HubSpot-Signature-v3`: base64 HMAC-SHA256(client secret, method + URI + body + timestamp). */
export function signV3(method: string, uri: string, body: string, timestampMs: number, clientSecret: string): string {
  return createHmac('sha256', clientSecret).update(`${method}${uri}${body}${timestampMs}`).digest('base64');
}

/** `X-HubSpot-Signature` v1: hex SHA-256(client secret + body). */
export function signV1(body: string, clientSecret: string): string {
  return createHash('sha256').update(`${clientSecret}${body}`).digest('hex');
}

let nextEventId = 1;

/**
 * POSTs a JSON array of events as HubSpot delivers them, signed with the given version. Fields an
 * input leaves out get HubSpot-like values (fresh event ids, now, attempt 0).
 */
export async function sendWebhook(url: string, events: HubSpotWebhookEventInput[], options: SendWebhookOptions): Promise<SentWebhook> {
  const now = Date.now();
  const full: HubSpotWebhookEvent[] = events.map((event) => ({
    eventId: nextEventId++,
    subscriptionId: 1,
    portalId: options.portalId ?? 62515,
    appId: options.appId ?? 1160452,
    occurredAt: now,
    attemptNumber: 0,
    ...(event.subscriptionType.endsWith('.propertyChange') ? { changeSource: 'CRM' } : {}),
    ...event,
  }));
  const body = JSON.stringify(full);
  const headers: Record<string, string> = { 'content-type': 'application/json', 'user-agent': 'HubSpot Connect 2.0 (http://dev.hubspot.com/)' };
  if (options.version === 'v3') {
    const timestampMs = options.timestampMs ?? now;
    headers['x-hubspot-signature-v3'] = options.signatureOverride ?? signV3('POST', url, body, timestampMs, options.clientSecret);
    headers['x-hubspot-request-timestamp'] = String(timestampMs);
  } else {
    headers['x-hubspot-signature'] = options.signatureOverride ?? signV1(body, options.clientSecret);
    headers['x-hubspot-signature-version'] = 'v1';
  }
  const response = await fetch(url, { method: 'POST', headers, body });
  return { status: response.status, body: await response.text(), sentBody: body, headers };
}
