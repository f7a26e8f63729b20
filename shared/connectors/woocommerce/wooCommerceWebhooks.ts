import type { WebhookHmacVerifier } from '../../core/schemas/connection.js';
import type { HeaderReader } from '../../core/triggers/webhookSignature.js';
import { webhookEvent } from '../../core/triggers/webhookEvent.js';
import type { ProviderWebhooks } from '../providerWebhooks.js';

/**
 * WooCommerce as a preset of the generic check: `X-WC-Webhook-Signature` =
 * base64(HMAC-SHA256(secret, raw body)) (WC_Webhook::generate_signature). Its
 * `X-WC-Webhook-Delivery-ID` is not signed, so replays are recognised by the body.
 */
export const WOOCOMMERCE_VERIFIER: WebhookHmacVerifier = {
  kind: 'hmac',
  header: 'X-WC-Webhook-Signature',
  algorithm: 'sha256',
  encoding: 'base64',
  signedPayload: 'body',
  deliveryIdHeader: 'X-WC-Webhook-Delivery-ID',
  topicHeader: 'X-WC-Webhook-Topic',
};

/**
 * WooCommerce pings a new webhook's URL with the form body `webhook_id=<id>` and no signature
 * (WC_Webhook::deliver_ping) and only activates it on a 200.
 */
export function isWooCommercePing(headers: HeaderReader, rawBody: Uint8Array): boolean {
  if (headers.get(WOOCOMMERCE_VERIFIER.header) !== null) return false;
  return rawBody.length <= 64 && /^webhook_id=\d+$/.test(Buffer.from(rawBody).toString('latin1').trim());
}

/** How WooCommerce signs and shapes its deliveries: topics such as `customer.updated` name the record's stream. */
export const wooCommerceWebhooks: ProviderWebhooks = {
  verifier: WOOCOMMERCE_VERIFIER,
  description: '`X-WC-Webhook-Signature`, base64 HMAC-SHA256 of the body with `webhookSecret`',
  isPing: isWooCommercePing,
  // `action.<hook>` topics report WordPress hooks firing, not records; `<resource>.deleted` carries the id of a deleted one.
  // Other record topics carry the record as the REST API v3 shows it (WC_Webhook::build_payload asks the same controller a read does).
  parseEvent: (config, headers, body, signed) =>
    webhookEvent(config, headers, body, signed, { nonRecordResources: ['action'], deletedTopics: '\\.deleted$', recordPath: '$' }),
};
