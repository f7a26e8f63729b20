import { createHash } from 'node:crypto';
import type { WebhookHmacVerifier } from '../../core/schemas/connection.js';
import type { WebhookEvent } from '../../core/triggers/webhookEvent.js';
import type { ProviderWebhooks } from '../providerWebhooks.js';

/**
 * HubSpot's v3 signature (https://developers.hubspot.com/docs/api/webhooks/validating-requests):
 * `X-HubSpot-Signature-v3` = base64 HMAC-SHA256 under the app's client secret of method + full
 * URL + raw body + `X-HubSpot-Request-Timestamp` (ms), refused when the timestamp is over 5 minutes off.
 */
export const HUBSPOT_V3_VERIFIER: WebhookHmacVerifier = {
  kind: 'hmac',
  header: 'X-HubSpot-Signature-v3',
  algorithm: 'sha256',
  encoding: 'base64',
  signedPayload: 'method.url.body.timestamp',
  timestampHeader: 'X-HubSpot-Request-Timestamp',
  timestampUnit: 'ms',
  toleranceSeconds: 300,
};

/** HubSpot's v1, which CRM subscriptions still send: `X-HubSpot-Signature` = hex SHA-256 of the client secret followed by the body. No timestamp: name it as the connection's verifier only where v3 is not sent. */
export const HUBSPOT_V1_VERIFIER: WebhookHmacVerifier = {
  kind: 'hmac',
  header: 'X-HubSpot-Signature',
  algorithm: 'sha256',
  encoding: 'hex',
  signedPayload: 'body',
  construction: 'secretPrefixedHash',
};

const streamOf: Record<string, string> = { contact: 'contacts', company: 'companies', deal: 'deals' };

/**
 * A delivery is a JSON array of events `{eventId, subscriptionType: "contact.propertyChange" |
 * "contact.deletion" | …, objectId, occurredAt}`: ids, not records, so each changed record is
 * fetched; `*.deletion` events are deletes the run confirms by reading. Each event's replay key is
 * the signed bytes' digest and its event id.
 */
export const hubSpotWebhooks: ProviderWebhooks = {
  verifier: HUBSPOT_V3_VERIFIER,
  description: "`X-HubSpot-Signature-v3`, base64 HMAC-SHA256 of method, URL, body and `X-HubSpot-Request-Timestamp` (within 5 minutes) with the app's client secret as `webhookSecret`",
  isPing: () => false,
  parseEvent: (_config, _headers, body, signed) => {
    if (!Array.isArray(body)) return { kind: 'ignored', reason: 'the body is not an array of events' };
    const digest = createHash('sha256').update(signed).digest('base64url');
    const events: WebhookEvent[] = [];
    for (const [index, entry] of body.entries()) {
      const { subscriptionType, objectId, eventId } = (entry ?? {}) as { subscriptionType?: unknown; objectId?: unknown; eventId?: unknown };
      if (typeof subscriptionType !== 'string') continue;
      const [object, change] = subscriptionType.split('.', 2);
      const stream = object === undefined ? undefined : streamOf[object];
      const externalId = typeof objectId === 'number' && Number.isSafeInteger(objectId) ? String(objectId) : typeof objectId === 'string' && /^\d{1,30}$/.test(objectId) ? objectId : undefined;
      if (!stream || !externalId) continue;
      events.push({
        topic: subscriptionType,
        stream,
        externalId,
        ...(change === 'deletion' ? { deleted: true } : {}),
        replayKey: `${digest}:${typeof eventId === 'number' || typeof eventId === 'string' ? String(eventId) : index}`,
      });
    }
    return events.length > 0 ? { kind: 'events', events } : { kind: 'ignored', reason: 'no record events' };
  },
};
