import { describe, expect, it } from 'vitest';
import { checkWebhookSignature, signWebhook } from '../../../../shared/core/triggers/webhookSignature.js';
import { webhookHmacVerifier } from '../../../../shared/core/schemas/connection.js';

const verifier = webhookHmacVerifier.parse({ kind: 'hmac', header: 'X-Hook-Secret', algorithm: 'sha256', encoding: 'hex', construction: 'sharedSecret' });
const body = Buffer.from('{"type":"INSERT","table":"customers","record":{"id":1}}');
const now = new Date('2026-01-01T00:00:00Z');

describe('a shared secret sent as is in a header (sharedSecret)', () => {
  it('accepts the secret, refuses anything else, and identifies the delivery by its body', () => {
    const ok = checkWebhookSignature(verifier, 'the-shared-secret', new Headers({ 'X-Hook-Secret': 'the-shared-secret' }), body, now);
    expect(ok).toEqual({ valid: true, signed: body });
    for (const sent of ['the-shared-secreT', 'the-shared-secret-and-more', 'the', ' ']) {
      expect(checkWebhookSignature(verifier, 'the-shared-secret', new Headers({ 'X-Hook-Secret': sent }), body, now), sent).toMatchObject({ valid: false });
    }
    expect(checkWebhookSignature(verifier, 'the-shared-secret', new Headers(), body, now)).toEqual({ valid: false, reason: 'missing_signature' });
    expect(checkWebhookSignature(verifier, undefined, new Headers({ 'X-Hook-Secret': 'the-shared-secret' }), body, now)).toEqual({ valid: false, reason: 'no_secret' });
  });

  it('takes a prefix, and signs (for tests and fakes) by sending the secret', () => {
    const prefixed = { ...verifier, prefix: 'Secret ' };
    expect(checkWebhookSignature(prefixed, 's3cret-value', new Headers({ 'X-Hook-Secret': 'Secret s3cret-value' }), body, now)).toMatchObject({ valid: true });
    expect(checkWebhookSignature(prefixed, 's3cret-value', new Headers({ 'X-Hook-Secret': 's3cret-value' }), body, now)).toEqual({ valid: false, reason: 'malformed_signature' });
    expect(signWebhook(prefixed, 's3cret-value', body)).toBe('Secret s3cret-value');
  });
});
