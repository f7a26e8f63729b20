import { z } from 'zod';
import { connectionInput, connectionWebhooks, webhookHmacVerifier } from '../core/schemas/connection.js';

/** A webhook `verifier`: one of `providers`' own schemes, by the provider's name, or a generic HMAC check. */
export const webhookVerifierFor = (providers: readonly string[]) => z.union([z.literal(providers), webhookHmacVerifier]);

/**
 * Core's connection request, which takes any provider name, narrowed to `providers`: `provider`
 * and a `verifier` naming a provider's scheme must be one of them.
 */
export const connectionInputFor = (providers: readonly string[]) =>
  connectionInput.extend({
    provider: z.enum(providers),
    webhooks: connectionWebhooks.extend({ verifier: webhookVerifierFor(providers).optional() }).optional(),
  });
