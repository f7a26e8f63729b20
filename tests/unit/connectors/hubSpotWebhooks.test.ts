import { describe, expect, it } from 'vitest';
import { checkWebhookSignature } from '../../../shared/core/triggers/webhookSignature.js';
import { HUBSPOT_V1_VERIFIER, HUBSPOT_V3_VERIFIER, hubSpotWebhooks } from '../../../shared/connectors/hubspot/hubSpotWebhooks.js';
import { signV1, signV3 } from '../../../dev/fakes/hubspot/fakeHubSpotWebhooks.js';

const SECRET = 'hubspot-client-secret-1';
const url = 'https://shardsync.example.net/api/webhooks/acme/hubspot?from=hub';
const body = JSON.stringify([
  { eventId: 11, subscriptionType: 'contact.propertyChange', objectId: 501, propertyName: 'email', occurredAt: 1 },
  { eventId: 12, subscriptionType: 'company.deletion', objectId: 77, occurredAt: 1 },
  { eventId: 13, subscriptionType: 'ticket.creation', objectId: 9, occurredAt: 1 },
]);
const now = new Date('2026-12-07T06:00:00.000Z');
const v3Headers = (signature: string, timestampMs: number) => new Headers({ 'X-HubSpot-Signature-v3': signature, 'X-HubSpot-Request-Timestamp': String(timestampMs) });

describe('HubSpot webhooks', () => {
  it('accept a v3 signature over method, URL, body and timestamp in ms, as HubSpot (and its client) make it', () => {
    const at = now.getTime() - 60_000;
    const check = checkWebhookSignature(HUBSPOT_V3_VERIFIER, SECRET, v3Headers(signV3('POST', url, body, at, SECRET), at), Buffer.from(body), now, { method: 'POST', url });
    expect(check.valid).toBe(true);
  });

  it('refuse a v3 delivery over 5 minutes old, one for another URL or method, and a forged one', () => {
    const old = now.getTime() - 301_000;
    const stale = checkWebhookSignature(HUBSPOT_V3_VERIFIER, SECRET, v3Headers(signV3('POST', url, body, old, SECRET), old), Buffer.from(body), now, { method: 'POST', url });
    expect(stale).toEqual({ valid: false, reason: 'stale_timestamp' });
    const at = now.getTime();
    const signed = signV3('POST', url, body, at, SECRET);
    expect(checkWebhookSignature(HUBSPOT_V3_VERIFIER, SECRET, v3Headers(signed, at), Buffer.from(body), now, { method: 'POST', url: `${url}&x=1` })).toEqual({ valid: false, reason: 'mismatch' });
    expect(checkWebhookSignature(HUBSPOT_V3_VERIFIER, SECRET, v3Headers(signed, at), Buffer.from(body), now, { method: 'PUT', url })).toEqual({ valid: false, reason: 'mismatch' });
    expect(checkWebhookSignature(HUBSPOT_V3_VERIFIER, SECRET, v3Headers(signV3('POST', url, body, at, 'another-secret'), at), Buffer.from(body), now, { method: 'POST', url }).valid).toBe(false);
    // Without the request line the signature cannot be checked at all.
    expect(checkWebhookSignature(HUBSPOT_V3_VERIFIER, SECRET, v3Headers(signed, at), Buffer.from(body), now)).toEqual({ valid: false, reason: 'missing_timestamp' });
  });

  it('accept v1 (hex SHA-256 of the secret and the body) when a connection names it', () => {
    const headers = new Headers({ 'X-HubSpot-Signature': signV1(body, SECRET) });
    expect(checkWebhookSignature(HUBSPOT_V1_VERIFIER, SECRET, headers, Buffer.from(body), now).valid).toBe(true);
    expect(checkWebhookSignature(HUBSPOT_V1_VERIFIER, SECRET, new Headers({ 'X-HubSpot-Signature': signV1(`${body} `, SECRET) }), Buffer.from(body), now).valid).toBe(false);
  });

  it('turn an array of events into one event per record, deletions marked, other objects ignored, each with its own replay key', () => {
    const decision = hubSpotWebhooks.parseEvent(HUBSPOT_V3_VERIFIER, new Headers(), JSON.parse(body), Buffer.from(body));
    expect(decision.kind).toBe('events');
    const events = decision.kind === 'events' ? decision.events : [];
    expect(events).toHaveLength(2);
    expect(events.map(({ stream, externalId, deleted }) => ({ stream, externalId, deleted }))).toEqual([
      { stream: 'contacts', externalId: '501', deleted: undefined },
      { stream: 'companies', externalId: '77', deleted: true },
    ]);
    expect(new Set(events.map((event) => event.replayKey)).size).toBe(2);
    expect(hubSpotWebhooks.parseEvent(HUBSPOT_V3_VERIFIER, new Headers(), { objectId: 1 }, Buffer.from('{}'))).toMatchObject({ kind: 'ignored' });
  });
});
