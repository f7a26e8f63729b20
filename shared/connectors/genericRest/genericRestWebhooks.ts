import type { WebhookHmacVerifier } from '../../core/schemas/connection.js';
import { webhookEvent } from '../../core/triggers/webhookEvent.js';
import type { ProviderWebhooks } from '../providerWebhooks.js';
import { genericRestSettingsSchema } from './genericRestSettings.js';

/** What `generic-rest` stands for as a `verifier` by name, and the scheme of a spec without `webhooks`. */
const DEFAULT_VERIFIER: WebhookHmacVerifier = { kind: 'hmac', header: 'X-Signature', algorithm: 'sha256', encoding: 'hex', signedPayload: 'body' };

const webhookSpecOf = (settings: unknown) => genericRestSettingsSchema.safeParse(settings).data?.spec.webhooks;

/** Deliveries signed and shaped as the connection's spec says (`spec.webhooks`). */
export const genericRestWebhooks: ProviderWebhooks = {
  verifier: DEFAULT_VERIFIER,
  description: "the spec's `webhooks.verifier`; without one `X-Signature`, hex HMAC-SHA256 of the body with `webhookSecret`",
  schemeOf: (settings) => webhookSpecOf(settings)?.verifier,
  // A generic API has no unsigned ping of its own.
  isPing: () => false,
  parseEvent: (config, headers, body, signed, settings) => {
    const spec = webhookSpecOf(settings);
    return webhookEvent(config, headers, body, signed, {
      ...(spec?.topicPath !== undefined ? { topicPath: spec.topicPath } : {}),
      ...(spec?.streams !== undefined ? { streams: spec.streams } : {}),
      ...(spec ? { idPath: spec.idPath } : {}),
      ...(spec?.deletedTopics !== undefined ? { deletedTopics: spec.deletedTopics } : {}),
      ...(spec?.recordPath !== undefined ? { recordPath: spec.recordPath } : {}),
    });
  },
};
