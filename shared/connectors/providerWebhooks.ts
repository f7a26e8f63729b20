import type { WebhookHmacVerifier } from '../core/schemas/connection.js';
import type { HeaderReader } from '../core/triggers/webhookSignature.js';
import type { WebhookEventDecision } from '../core/triggers/webhookEvent.js';

/** How a provider signs and shapes its webhook deliveries. */
export interface ProviderWebhooks {
  /** The provider's own signing scheme: a connection's default, and what the provider's name stands for as a `verifier`. */
  verifier: WebhookHmacVerifier;
  /** A connection's default scheme where its settings define one (`generic-rest`); else `verifier`. */
  schemeOf?(settings: unknown): WebhookHmacVerifier | undefined;
  /** The scheme in words, for the API description (after "`<provider>`: "). */
  description: string;
  /** Whether a delivery is the provider's unsigned check that a new endpoint answers: answered 200 before anything is looked up. */
  isPing(headers: HeaderReader, rawBody: Uint8Array): boolean;
  /**
   * The signing key an unsigned delivery hands over (Notion's `{verification_token}` when a
   * subscription is made): kept as the connection's webhook secret if it has none yet.
   */
  verificationToken?(headers: HeaderReader, body: unknown): string | undefined;
  /** The stream and record a verified delivery is about, or why it is ignored; `config` is the scheme that verified it, `settings` the connection's. */
  parseEvent(config: WebhookHmacVerifier, headers: HeaderReader, body: unknown, signed: Uint8Array, settings?: unknown): WebhookEventDecision;
}
