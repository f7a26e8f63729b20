import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { alertHeaders, verifyAlertSignature } from '../../../../shared/core/operations/alertSignature.js';

const secret = 'a-signing-secret-of-some-length';
const rawBody = '{"id":"alr_1","type":"execution.failed"}';
const now = new Date('2025-01-02T03:04:05.678Z');
const signed = alertHeaders({ event: 'execution.failed', deliveryId: 'alr_1', rawBody, now, secret });

describe('alertHeaders', () => {
  it('signs `${timestamp}.${rawBody}` with HMAC-SHA256 and names event and delivery', () => {
    const expected = createHmac('sha256', secret).update(`1735787045.${rawBody}`).digest('hex');
    expect(signed).toEqual({
      'X-Shardsync-Event': 'execution.failed',
      'X-Shardsync-Delivery': 'alr_1',
      'X-Shardsync-Timestamp': '1735787045',
      'X-Shardsync-Signature': `sha256=${expected}`,
    });
  });

  it('sends no timestamp or signature without a secret', () => {
    expect(alertHeaders({ event: 'circuit.opened', deliveryId: 'alr_2', rawBody, now })).toEqual({
      'X-Shardsync-Event': 'circuit.opened',
      'X-Shardsync-Delivery': 'alr_2',
    });
  });
});

describe('verifyAlertSignature', () => {
  const lowerCased = Object.fromEntries(Object.entries(signed).map(([name, value]) => [name.toLowerCase(), value]));

  it('accepts its own signature, header names in any case (as node:http delivers them)', () => {
    expect(verifyAlertSignature(secret, signed, rawBody, now)).toBe(true);
    expect(verifyAlertSignature(secret, lowerCased, rawBody, now)).toBe(true);
  });

  it('rejects a tampered body, another secret or a tampered signature', () => {
    expect(verifyAlertSignature(secret, signed, rawBody.replace('failed', 'partial'), now)).toBe(false);
    expect(verifyAlertSignature(`${secret}x`, signed, rawBody, now)).toBe(false);
    const flipped = signed['X-Shardsync-Signature']!.replace(/.$/, (last) => (last === '0' ? '1' : '0'));
    expect(verifyAlertSignature(secret, { ...signed, 'X-Shardsync-Signature': flipped }, rawBody, now)).toBe(false);
    expect(verifyAlertSignature(secret, { ...signed, 'X-Shardsync-Signature': 'sha256=short' }, rawBody, now)).toBe(false);
  });

  it('rejects a timestamp outside the tolerance either way, and a re-stamped replay', () => {
    const later = (seconds: number) => new Date(now.getTime() + seconds * 1000);
    expect(verifyAlertSignature(secret, signed, rawBody, later(300))).toBe(true);
    expect(verifyAlertSignature(secret, signed, rawBody, later(301))).toBe(false);
    expect(verifyAlertSignature(secret, signed, rawBody, later(-301))).toBe(false);
    expect(verifyAlertSignature(secret, signed, rawBody, later(60), 30)).toBe(false);
    const restamped = { ...signed, 'X-Shardsync-Timestamp': String(Math.floor(later(400).getTime() / 1000)) };
    expect(verifyAlertSignature(secret, restamped, rawBody, later(400))).toBe(false);
  });

  it('rejects missing, malformed or repeated headers and an empty secret', () => {
    const { 'X-Shardsync-Signature': _signature, ...unsigned } = signed;
    expect(verifyAlertSignature(secret, unsigned, rawBody, now)).toBe(false);
    expect(verifyAlertSignature(secret, { ...signed, 'X-Shardsync-Timestamp': '1735787045.5' }, rawBody, now)).toBe(false);
    expect(verifyAlertSignature(secret, { ...lowerCased, 'x-shardsync-signature': [signed['X-Shardsync-Signature']!] }, rawBody, now)).toBe(false);
    expect(verifyAlertSignature('', alertHeaders({ event: 'x', deliveryId: 'y', rawBody, now, secret: '' }), rawBody, now)).toBe(false);
  });
});
