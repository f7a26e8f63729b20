import { randomBytes } from 'node:crypto';
import { signWebhook } from '../../shared/core/triggers/webhookSignature.js';
import { WOOCOMMERCE_VERIFIER } from '../../shared/connectors/woocommerce/wooCommerceWebhooks.js';
import type { FakeRecord } from './fakeWooCommerceData.js';

export interface FakeWebhookOptions {
  /** e.g. `customer`; the record is read from its stream (`customers`). */
  resource: 'customer' | 'product' | 'order';
  id: number;
  secret: string;
  /** Default `<resource>.updated`. */
  topic?: string;
  /** Default a fresh random one, as WooCommerce makes per delivery. */
  deliveryId?: string;
  /** The store's webhook id (`X-WC-Webhook-ID`); default 1. */
  webhookId?: number;
  /** Sign with this instead of `secret`: a forged delivery. */
  signatureOverride?: string;
}

export interface FakeWebhookResponse {
  status: number;
  body: unknown;
}

const USER_AGENT = 'WooCommerce/9.4.0 Hookshot (WordPress/6.7)';

/**
 * Delivers a webhook the way WC_Webhook::deliver does: the record as JSON (just `{id}` for a
 * `deleted` event), signed base64(HMAC-SHA256(secret, body)), with the X-WC-Webhook-* headers.
 */
export async function deliverFakeWebhook(
  url: string,
  storeUrl: string,
  record: FakeRecord | undefined,
  options: FakeWebhookOptions,
): Promise<FakeWebhookResponse> {
  const topic = options.topic ?? `${options.resource}.updated`;
  const event = topic.split('.')[1] ?? 'updated';
  const payload = event === 'deleted' ? { id: options.id } : record;
  if (!payload) throw new Error(`fake WooCommerce has no ${options.resource} ${options.id} to send`);
  const body = JSON.stringify(payload);
  return post(url, body, {
    'content-type': 'application/json',
    'user-agent': USER_AGENT,
    'x-wc-webhook-source': `${storeUrl}/`,
    'x-wc-webhook-topic': topic,
    'x-wc-webhook-resource': options.resource,
    'x-wc-webhook-event': event,
    'x-wc-webhook-signature': options.signatureOverride ?? signWebhook(WOOCOMMERCE_VERIFIER, options.secret, body),
    'x-wc-webhook-id': String(options.webhookId ?? 1),
    'x-wc-webhook-delivery-id': options.deliveryId ?? randomBytes(16).toString('hex'),
  });
}

/** The unsigned ping WooCommerce sends when a webhook is created (WC_Webhook::deliver_ping). */
export function deliverFakeWebhookPing(url: string, webhookId = 1): Promise<FakeWebhookResponse> {
  return post(url, `webhook_id=${webhookId}`, { 'content-type': 'application/x-www-form-urlencoded', 'user-agent': USER_AGENT });
}

async function post(url: string, body: string, headers: Record<string, string>): Promise<FakeWebhookResponse> {
  const response = await fetch(url, { method: 'POST', headers, body });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // Not JSON: keep the text.
  }
  return { status: response.status, body: parsed };
}
