import type { WebhookHmacVerifier } from '../../core/schemas/connection.js';
import type { ProviderWebhooks } from '../providerWebhooks.js';

/** Any scheme a caller may choose; none is Google's, since the People API sends nothing. */
const GENERIC_VERIFIER: WebhookHmacVerifier = { kind: 'hmac', header: 'X-Signature', algorithm: 'sha256', encoding: 'hex', signedPayload: 'body' };

/**
 * The People API has no push notifications: changes are polled with the sync token, so a
 * delivery names no record and is acknowledged and ignored.
 */
export const googleContactsWebhooks: ProviderWebhooks = {
  verifier: GENERIC_VERIFIER,
  description: 'none: the People API sends no webhooks (changes are polled with its sync token); deliveries are ignored',
  isPing: () => false,
  parseEvent: () => ({ kind: 'ignored', reason: 'Google People sends no webhooks: changes are read with the sync token' }),
};
