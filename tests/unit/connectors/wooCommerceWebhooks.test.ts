import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { checkWebhookSignature, signWebhook } from '../../../shared/core/triggers/webhookSignature.js';
import { isWooCommercePing, WOOCOMMERCE_VERIFIER, wooCommerceWebhooks } from '../../../shared/connectors/woocommerce/wooCommerceWebhooks.js';

const secret = 'wc-webhook-secret-123';
const body = Buffer.from('{"id":42,"email":"ann@example.com","first_name":"Ann"}');
const now = new Date('2025-03-04T05:06:07Z');
const bytes = (text: string) => Buffer.from(text);

describe('the WooCommerce verifier', () => {
  const signature = createHmac('sha256', secret).update(body).digest('base64');

  it('accepts base64(HMAC-SHA256(secret, raw body)) in X-WC-Webhook-Signature, header names in any case', () => {
    expect(checkWebhookSignature(WOOCOMMERCE_VERIFIER, secret, new Headers({ 'x-wc-webhook-signature': signature }), body, now)).toEqual({ valid: true, signed: body });
  });

  it('refuses a tampered body, a wrong secret, a missing signature, a missing secret and junk', () => {
    const headers = new Headers({ 'X-WC-Webhook-Signature': signature });
    const tampered = bytes(body.toString().replace('Ann"}', 'Bob"}'));
    expect(checkWebhookSignature(WOOCOMMERCE_VERIFIER, secret, headers, tampered, now)).toEqual({ valid: false, reason: 'mismatch' });
    expect(checkWebhookSignature(WOOCOMMERCE_VERIFIER, 'another-secret', headers, body, now)).toEqual({ valid: false, reason: 'mismatch' });
    expect(checkWebhookSignature(WOOCOMMERCE_VERIFIER, secret, new Headers(), body, now)).toEqual({ valid: false, reason: 'missing_signature' });
    expect(checkWebhookSignature(WOOCOMMERCE_VERIFIER, undefined, headers, body, now)).toEqual({ valid: false, reason: 'no_secret' });
    expect(checkWebhookSignature(WOOCOMMERCE_VERIFIER, secret, new Headers({ 'X-WC-Webhook-Signature': `${signature}!` }), body, now)).toMatchObject({
      valid: false,
      reason: 'malformed_signature',
    });
    // A truncated signature of valid base64 is a mismatch, never a prefix match.
    const short = createHmac('sha256', secret).update(body).digest().subarray(0, 16).toString('base64');
    expect(checkWebhookSignature(WOOCOMMERCE_VERIFIER, secret, new Headers({ 'X-WC-Webhook-Signature': short }), body, now)).toMatchObject({ valid: false });
  });

  it('the fake store signs the way the verifier checks', () => {
    expect(signWebhook(WOOCOMMERCE_VERIFIER, secret, body)).toBe(signature);
  });
});

describe('isWooCommercePing', () => {
  it('is the unsigned form body `webhook_id=<id>` WooCommerce sends on creation', () => {
    expect(isWooCommercePing(new Headers({ 'content-type': 'application/x-www-form-urlencoded' }), bytes('webhook_id=17'))).toBe(true);
    expect(isWooCommercePing(new Headers({ 'X-WC-Webhook-Signature': 'x' }), bytes('webhook_id=17'))).toBe(false);
    expect(isWooCommercePing(new Headers(), bytes('{"id":17}'))).toBe(false);
    expect(isWooCommercePing(new Headers(), bytes('webhook_id=17&x=1'))).toBe(false);
  });
});

describe("WooCommerce's webhook events", () => {
  const raw = (payload: unknown) => Buffer.from(JSON.stringify(payload));
  const topic = (name: string) => new Headers({ 'X-WC-Webhook-Topic': name, 'X-WC-Webhook-Delivery-ID': 'd1' });

  it('ignores action topics, which report WordPress hooks rather than records, even with an id', () => {
    expect(wooCommerceWebhooks.parseEvent(WOOCOMMERCE_VERIFIER, topic('action.woocommerce_checkout_order_processed'), { action: 'x', arg: 1 }, raw({}))).toMatchObject({
      kind: 'ignored',
    });
    expect(wooCommerceWebhooks.parseEvent(WOOCOMMERCE_VERIFIER, topic('action.woocommerce_checkout_order_processed'), { id: 7 }, raw({ id: 7 }))).toEqual({
      kind: 'ignored',
      reason: 'topic "action.woocommerce_checkout_order_processed" names no record stream',
    });
  });

  it("maps a record topic's resource to its stream", () => {
    expect(wooCommerceWebhooks.parseEvent(WOOCOMMERCE_VERIFIER, topic('order.updated'), { id: 7 }, raw({ id: 7 }))).toMatchObject({
      kind: 'event',
      event: { topic: 'order.updated', stream: 'orders', externalId: '7' },
    });
  });
});
