import { z } from 'zod';
import { connectionInput, connectionView, type ProviderName } from '../core/schemas/connection.js';
import type { ProviderDefinition } from './connectorRegistry.js';
import { wooCommerceProvider } from './woocommerce/wooCommerceProvider.js';

/**
 * The connection's request and answer as the API description shows them: `settings` and
 * `credentials` in each provider's own shape, one variant per provider. Only documentation: a
 * save parses the generic `connectionInput`, then the provider's schemas (so the two agree by
 * construction). Keyed by provider name, so a provider added to `providerName` must be added here.
 */
const documentedProviders: Record<ProviderName, ProviderDefinition> = { woocommerce: wooCommerceProvider };

const inputOf = (provider: ProviderDefinition) =>
  connectionInput.extend({
    provider: z.literal(provider.provider),
    settings: provider.settingsSchema.describe(`The \`${provider.provider}\` settings; replaced as a whole on every save.`),
    credentials: provider.credentialsSchema
      .optional()
      .describe('Write-only: stored in Secrets, never returned. Required on creation; absent on an update, the stored ones are kept.'),
  });

const viewOf = (provider: ProviderDefinition) =>
  connectionView.extend({
    provider: z.literal(provider.provider),
    settings: provider.settingsSchema.describe(`The \`${provider.provider}\` settings as validated, defaults filled in.`),
  });

const [firstInput, ...otherInputs] = Object.values(documentedProviders).map(inputOf);
const [firstView, ...otherViews] = Object.values(documentedProviders).map(viewOf);

export const documentedConnectionInput = z.discriminatedUnion('provider', [firstInput!, ...otherInputs]).meta({
  id: 'ConnectionInput',
  description: "A connection as a save sets it; `settings` and `credentials` depend on `provider`.",
});

export const documentedConnectionView = z.discriminatedUnion('provider', [firstView!, ...otherViews]).meta({
  id: 'Connection',
  description: "One tenant's authenticated link to one provider instance. Credentials and the webhook secret are never shown.",
});
