import { describe, expect, it } from 'vitest';
import { webhookEvent } from '../../../../shared/core/triggers/webhookEvent.js';
import { WOOCOMMERCE_VERIFIER, wooCommerceWebhooks } from '../../../../shared/connectors/woocommerce/wooCommerceWebhooks.js';
import type { WebhookHmacVerifier } from '../../../../shared/core/schemas/connection.js';

const raw = (body: unknown) => Buffer.from(JSON.stringify(body));
const woo = (topic: string, deliveryId = 'd1') => new Headers({ 'X-WC-Webhook-Topic': topic, 'X-WC-Webhook-Delivery-ID': deliveryId });

describe('webhookEvent', () => {
  it('maps a WooCommerce topic\'s resource to its stream and the body id to the record', () => {
    for (const [topic, stream] of [['customer.updated', 'customers'], ['product.created', 'products'], ['order.deleted', 'orders']] as const) {
      const decision = webhookEvent(WOOCOMMERCE_VERIFIER, woo(topic), { id: 7 }, raw({ id: 7 }));
      expect(decision).toMatchObject({ kind: 'event', event: { topic, stream, externalId: '7' } });
    }
  });

  it("ignores the provider's non-record topics and bodies without a usable id", () => {
    const actions = { nonRecordResources: ['action'] };
    expect(webhookEvent(WOOCOMMERCE_VERIFIER, woo('action.woocommerce_checkout_order_processed'), { action: 'x', arg: 1 }, raw({}), actions)).toMatchObject({ kind: 'ignored' });
    expect(webhookEvent(WOOCOMMERCE_VERIFIER, woo('action.woocommerce_checkout_order_processed'), { id: 1 }, raw({ id: 1 }), actions)).toMatchObject({ kind: 'ignored' });
    expect(webhookEvent(WOOCOMMERCE_VERIFIER, woo('customer.updated'), { email: 'a@b.c' }, raw({}))).toMatchObject({ kind: 'ignored' });
    expect(webhookEvent(WOOCOMMERCE_VERIFIER, woo('customer.updated'), { id: 'a b' }, raw({}))).toMatchObject({ kind: 'ignored' });
    expect(webhookEvent(WOOCOMMERCE_VERIFIER, new Headers(), { id: 1 }, raw({ id: 1 }))).toMatchObject({ kind: 'ignored', reason: 'no topic' });
  });

  it('identifies a delivery by what is signed: an unsigned delivery id changes nothing, another signed body or timestamp does', () => {
    const key = (deliveryId: string, body: unknown, signed: Uint8Array = raw(body)) => {
      const decision = webhookEvent(WOOCOMMERCE_VERIFIER, woo('customer.updated', deliveryId), body, signed);
      return decision.kind === 'event' ? decision.event.replayKey : undefined;
    };
    expect(key('d1', { id: 1 })).toBeDefined();
    expect(key('d1', { id: 1 })).toBe(key('d1', { id: 1 }));
    expect(key('d1', { id: 1 })).toBe(key('d2', { id: 1 }));
    // WooCommerce reuses a delivery id within one second: the bodies tell those deliveries apart.
    expect(key('d1', { id: 1 })).not.toBe(key('d1', { id: 2 }));
    const stamped = (timestamp: string) => key('d1', { id: 1 }, Buffer.from(`${timestamp}.${JSON.stringify({ id: 1 })}`));
    expect(stamped('1700000000')).toBe(stamped('1700000000'));
    expect(stamped('1700000000')).not.toBe(stamped('1700000001'));
  });

  it('carries the whole record from recordPath (`$`: the body), never for a delete; a spec names the topic, stream and id paths', () => {
    const body = { event: 'contact.changed', data: { uid: 'c-9', name: 'Ada', updated_at: '2026-01-01T00:00:00Z' } };
    const spec = { topicPath: 'event', streams: { 'contact.changed': 'people' }, idPath: 'data.uid', recordPath: 'data', deletedTopics: '\\.removed$' };
    expect(webhookEvent(WOOCOMMERCE_VERIFIER, new Headers(), body, raw(body), spec)).toMatchObject({
      kind: 'event',
      event: { topic: 'contact.changed', stream: 'people', externalId: 'c-9', record: body.data },
    });
    const removed = { ...body, event: 'contact.removed' };
    const deleted = webhookEvent(WOOCOMMERCE_VERIFIER, new Headers(), removed, raw(removed), spec);
    expect(deleted).toMatchObject({ kind: 'event', event: { stream: 'contacts', deleted: true } });
    expect(deleted.kind === 'event' && deleted.event.record).toBeUndefined();
    const whole = { id: 7, first_name: 'Ada' };
    expect(webhookEvent(WOOCOMMERCE_VERIFIER, woo('customer.updated'), whole, raw(whole), { recordPath: '$' })).toMatchObject({ event: { record: whole } });
    expect(webhookEvent(WOOCOMMERCE_VERIFIER, woo('customer.updated'), whole, raw(whole))).not.toHaveProperty('event.record');
  });

  it('deletedTopics marks as deleted only the events whose topic matches', () => {
    const deletes = { deletedTopics: '\\.deleted$' };
    const deletedOf = (topic: string, options: { deletedTopics?: string } = deletes) => {
      const decision = webhookEvent(WOOCOMMERCE_VERIFIER, woo(topic), { id: 7 }, raw({ id: 7 }), options);
      expect(decision.kind).toBe('event');
      return decision.kind === 'event' ? decision.event.deleted : undefined;
    };
    expect(deletedOf('customer.deleted')).toBe(true);
    expect(deletedOf('order.deleted')).toBe(true);
    for (const topic of ['customer.updated', 'customer.created', 'customer.restored', 'customer.deleted.later', 'customer.undeleted_flag']) expect(deletedOf(topic)).toBeUndefined();
    // Without the option no topic is a delete, not even one that says so.
    expect(deletedOf('customer.deleted', {})).toBeUndefined();
  });

  it("WooCommerce's parser reports `<resource>.deleted` topics as deletes, with the body's id", () => {
    const parse = (topic: string) => wooCommerceWebhooks.parseEvent(WOOCOMMERCE_VERIFIER, woo(topic), { id: 12 }, raw({ id: 12 }));
    expect(parse('customer.deleted')).toMatchObject({ kind: 'event', event: { stream: 'customers', externalId: '12', deleted: true } });
    const updated = parse('customer.updated');
    expect(updated.kind).toBe('event');
    expect(updated.kind === 'event' && updated.event).not.toHaveProperty('deleted');
  });

  it('generic providers: the topic from the configured header (Shopify `customers/update`) or the body', () => {
    const shopify: WebhookHmacVerifier = { kind: 'hmac', header: 'X-Shopify-Hmac-Sha256', algorithm: 'sha256', encoding: 'base64', signedPayload: 'body', topicHeader: 'X-Shopify-Topic' };
    expect(webhookEvent(shopify, new Headers({ 'X-Shopify-Topic': 'customers/update' }), { id: 9 }, raw({ id: 9 }))).toMatchObject({
      event: { stream: 'customers', externalId: '9' },
    });
    const bodyTopic: WebhookHmacVerifier = { kind: 'hmac', header: 'X-Sig', algorithm: 'sha256', encoding: 'hex', signedPayload: 'body' };
    expect(webhookEvent(bodyTopic, new Headers(), { type: 'order.paid', id: 'ord_1' }, raw({}))).toMatchObject({ event: { stream: 'orders', externalId: 'ord_1' } });
  });
});
