import type { WebhookHmacVerifier } from '../../core/schemas/connection.js';
import { webhookEvent } from '../../core/triggers/webhookEvent.js';
import type { ProviderWebhooks } from '../providerWebhooks.js';

/**
 * Salesforce signs nothing it sends (Outbound Messages are unsigned SOAP; Change Data Capture is a
 * streaming subscription), so its scheme is the generic one an Apex or Flow callout can produce.
 */
const SALESFORCE_VERIFIER: WebhookHmacVerifier = { kind: 'hmac', header: 'X-Signature', algorithm: 'sha256', encoding: 'hex', signedPayload: 'body' };

/** Deliveries from the org's own callouts: a JSON body `{topic: "<stream>.<event>", Id}`, e.g. `contacts.updated`. */
export const salesforceWebhooks: ProviderWebhooks = {
  verifier: SALESFORCE_VERIFIER,
  description: 'none of its own (Outbound Messages are unsigned): `X-Signature`, hex HMAC-SHA256 of the body with `webhookSecret`, from an Apex or Flow callout sending `{topic, Id}`',
  isPing: () => false,
  parseEvent: (config, headers, body, signed) => webhookEvent(config, headers, body, signed, { idPath: 'Id', deletedTopics: '\\.deleted$' }),
};
