import { z } from 'zod';
import { connectionInput, connectionView, connectionWebhooks } from '../core/schemas/connection.js';
import type { ProviderDefinition } from './providerDefinition.js';
import { registeredProviders } from './registeredProviders.js';
import { webhookVerifierFor } from './registeredConnectionInput.js';

/**
 * The connection's request and answer as the API description shows them: `settings` and
 * `credentials` in each provider's own shape, one variant per provider. Only documentation: a
 * save parses the generic `connectionInput` narrowed to the registered providers, then the
 * provider's schemas (so the two agree by construction).
 */
const providerNames = registeredProviders.map((provider) => provider.provider);

/** The webhook settings, the provider's own scheme named where a `verifier` is absent. */
const webhooksOf = (provider: ProviderDefinition) =>
  connectionWebhooks.extend({
    verifier: webhookVerifierFor(providerNames)
      .optional()
      .describe(`How deliveries are authenticated. Absent: the provider's own scheme (\`${provider.provider}\`: ${provider.webhooks.description}).`),
  });

const inputOf = (provider: ProviderDefinition) =>
  connectionInput.extend({
    provider: z.literal(provider.provider),
    settings: provider.settingsSchema.describe(`The \`${provider.provider}\` settings; replaced as a whole on every save.`),
    credentials: provider.documentedCredentials
      .optional()
      .describe('Write-only: stored in Secrets, never returned. Required on creation; absent on an update, the stored ones are kept.'),
    // Core's description of the field, kept: only its verifier changes.
    webhooks: webhooksOf(provider).optional().meta(connectionInput.shape.webhooks.meta() ?? {}),
  });

const viewOf = (provider: ProviderDefinition) =>
  connectionView.extend({
    provider: z.literal(provider.provider),
    settings: provider.settingsSchema.describe(`The \`${provider.provider}\` settings as validated, defaults filled in.`),
    webhooks: webhooksOf(provider).optional(),
  });

const [firstInput, ...otherInputs] = registeredProviders.map(inputOf);
const [firstView, ...otherViews] = registeredProviders.map(viewOf);

export const documentedConnectionInput = z.discriminatedUnion('provider', [firstInput!, ...otherInputs]).meta({
  id: 'ConnectionInput',
  description: "A connection as a save sets it; `settings` and `credentials` depend on `provider`.",
});

export const documentedConnectionView = z.discriminatedUnion('provider', [firstView!, ...otherViews]).meta({
  id: 'Connection',
  description: "One tenant's authenticated link to one provider instance. Credentials and the webhook secret are never shown.",
});
