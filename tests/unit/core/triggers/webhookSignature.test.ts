import { createHmac } from 'node:crypto';
import * as crypto from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import { checkWebhookSignature, signatureLifetimeSeconds, signWebhook } from '../../../../shared/core/triggers/webhookSignature.js';
import { WOOCOMMERCE_VERIFIER } from '../../../../shared/connectors/woocommerce/wooCommerceWebhooks.js';
import { alertHeaders } from '../../../../shared/core/operations/alertSignature.js';
import type { WebhookHmacVerifier } from '../../../../shared/core/schemas/connection.js';

// Spy on the comparison the verifier must use, keeping its real behaviour.
vi.mock('node:crypto', async (importOriginal) => {
  const original = await importOriginal<typeof import('node:crypto')>();
  return { ...original, timingSafeEqual: vi.fn(original.timingSafeEqual) };
});

const secret = 'wc-webhook-secret-123';
const body = Buffer.from('{"id":42,"email":"ann@example.com","first_name":"Ann"}');
const now = new Date('2025-03-04T05:06:07Z');
const nowSeconds = String(Math.floor(now.getTime() / 1000));
const bytes = (text: string) => Buffer.from(text);

describe('the generic HMAC verifier', () => {
  it('GitHub style: `sha256=` + hex in X-Hub-Signature-256 (GitHub\'s documented example)', () => {
    const github: WebhookHmacVerifier = { kind: 'hmac', header: 'X-Hub-Signature-256', algorithm: 'sha256', encoding: 'hex', prefix: 'sha256=', signedPayload: 'body' };
    const headers = new Headers({ 'X-Hub-Signature-256': 'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17' });
    expect(checkWebhookSignature(github, "It's a Secret to Everybody", headers, bytes('Hello, World!'), now)).toMatchObject({ valid: true });
    expect(checkWebhookSignature(github, "It's a Secret to Everybody", headers, bytes('Hello, World?'), now)).toMatchObject({ valid: false, reason: 'mismatch' });
    const noPrefix = new Headers({ 'X-Hub-Signature-256': '757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17' });
    expect(checkWebhookSignature(github, "It's a Secret to Everybody", noPrefix, bytes('Hello, World!'), now)).toMatchObject({ valid: false, reason: 'malformed_signature' });
  });

  it('Shopify style: base64 HMAC-SHA256 in X-Shopify-Hmac-Sha256; sha1 and sha512 digests too', () => {
    for (const algorithm of ['sha256', 'sha1', 'sha512'] as const) {
      const shopify: WebhookHmacVerifier = { kind: 'hmac', header: 'X-Shopify-Hmac-Sha256', algorithm, encoding: 'base64', signedPayload: 'body' };
      const headers = new Headers({ 'X-Shopify-Hmac-Sha256': createHmac(algorithm, secret).update(body).digest('base64') });
      expect(checkWebhookSignature(shopify, secret, headers, body, now), algorithm).toMatchObject({ valid: true });
      // The same digest under another algorithm has another length: refused.
      const other = algorithm === 'sha256' ? 'sha512' : 'sha256';
      expect(checkWebhookSignature({ ...shopify, algorithm: other }, secret, headers, body, now), algorithm).toMatchObject({ valid: false });
    }
  });

  describe('signed timestamp (`timestamp.body`), as our own alerts are signed', () => {
    const stamped: WebhookHmacVerifier = {
      kind: 'hmac',
      header: 'X-Shardsync-Signature',
      algorithm: 'sha256',
      encoding: 'hex',
      prefix: 'sha256=',
      timestampHeader: 'X-Shardsync-Timestamp',
      toleranceSeconds: 300,
      signedPayload: 'timestamp.body',
    };
    const rawBody = '{"type":"execution.failed"}';
    const signedAt = (at: Date) => new Headers(alertHeaders({ event: 'execution.failed', deliveryId: 'd1', rawBody, now: at, secret }));

    it('accepts a signature over `${timestamp}.${body}` within the tolerance either way', () => {
      expect(checkWebhookSignature(stamped, secret, signedAt(now), bytes(rawBody), now)).toMatchObject({ valid: true });
      expect(checkWebhookSignature(stamped, secret, signedAt(new Date(now.getTime() - 299_000)), bytes(rawBody), now)).toMatchObject({ valid: true });
      expect(checkWebhookSignature(stamped, secret, signedAt(new Date(now.getTime() + 299_000)), bytes(rawBody), now)).toMatchObject({ valid: true });
    });

    it('refuses a stale or future timestamp, a missing one, and a timestamp swapped after signing', () => {
      expect(checkWebhookSignature(stamped, secret, signedAt(new Date(now.getTime() - 301_000)), bytes(rawBody), now)).toEqual({ valid: false, reason: 'stale_timestamp' });
      expect(checkWebhookSignature(stamped, secret, signedAt(new Date(now.getTime() + 301_000)), bytes(rawBody), now)).toEqual({ valid: false, reason: 'stale_timestamp' });
      const headers = signedAt(now);
      headers.delete('X-Shardsync-Timestamp');
      expect(checkWebhookSignature(stamped, secret, headers, bytes(rawBody), now)).toEqual({ valid: false, reason: 'missing_timestamp' });
      const replayed = signedAt(new Date(now.getTime() - 3_600_000));
      replayed.set('X-Shardsync-Timestamp', nowSeconds);
      expect(checkWebhookSignature(stamped, secret, replayed, bytes(rawBody), now)).toEqual({ valid: false, reason: 'mismatch' });
    });

    it('a valid check hands back what was signed, `${timestamp}.${body}`: the delivery\'s identity for replays', () => {
      const headers = signedAt(now);
      expect(checkWebhookSignature(stamped, secret, headers, bytes(rawBody), now)).toEqual({ valid: true, signed: bytes(`${nowSeconds}.${rawBody}`) });
    });

    it('a signature stays acceptable for twice the tolerance; a body-only one has no end', () => {
      expect(signatureLifetimeSeconds(stamped)).toBe(600);
      expect(signatureLifetimeSeconds({ ...stamped, toleranceSeconds: undefined })).toBe(600);
      expect(signatureLifetimeSeconds({ ...stamped, toleranceSeconds: 86_400 })).toBe(172_800);
      expect(signatureLifetimeSeconds(WOOCOMMERCE_VERIFIER)).toBeUndefined();
    });

    it('signWebhook produces what the verifier accepts', () => {
      const headers = new Headers({ 'X-Shardsync-Timestamp': nowSeconds, 'X-Shardsync-Signature': signWebhook(stamped, secret, rawBody, nowSeconds) });
      expect(checkWebhookSignature(stamped, secret, headers, bytes(rawBody), now)).toMatchObject({ valid: true });
    });
  });
});

describe('constant-time comparison', () => {
  it('compares every well-formed signature with timingSafeEqual, matching or not', () => {
    const good = createHmac('sha256', secret).update(body).digest('base64');
    const bad = createHmac('sha256', 'wrong').update(body).digest('base64');
    const before = vi.mocked(crypto.timingSafeEqual).mock.calls.length;
    checkWebhookSignature(WOOCOMMERCE_VERIFIER, secret, new Headers({ 'X-WC-Webhook-Signature': good }), body, now);
    checkWebhookSignature(WOOCOMMERCE_VERIFIER, secret, new Headers({ 'X-WC-Webhook-Signature': bad }), body, now);
    expect(vi.mocked(crypto.timingSafeEqual).mock.calls.length - before).toBe(2);
  });
});
