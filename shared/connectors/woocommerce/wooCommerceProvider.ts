import type { ProviderDefinition } from '../providerDefinition.js';
import { SpecConnector, streamInfoOf } from '../spec/specConnector.js';
import { wooCommerceTarget } from './wooCommerceConnector.js';
import { wooCommerceHooks } from './wooCommerceHooks.js';
import { wooCommerceCredentialsSchema, wooCommerceSettingsSchema, type WooCommerceSettings } from './wooCommerceSettings.js';
import { wooCommerceSpec } from './wooCommerceSpec.js';
import { wooCommerceWebhooks } from './wooCommerceWebhooks.js';

/** Registry entry: settings and credentials arrive unvalidated from storage and are parsed here. */
export const wooCommerceProvider: ProviderDefinition = {
  provider: 'woocommerce',
  settingsSchema: wooCommerceSettingsSchema,
  credentialsSchema: () => wooCommerceCredentialsSchema,
  documentedCredentials: wooCommerceCredentialsSchema,
  streams: () => wooCommerceSpec.streams.map(streamInfoOf),
  maxPageSize: () => wooCommerceSpec.maxPageSize,
  urls: (settings) => [{ path: 'settings.baseUrl', url: (settings as WooCommerceSettings).baseUrl }],
  webhooks: wooCommerceWebhooks,
  // The engine retries a failing page by scheduling its message later, never by sleeping inside a
  // function: the connector it uses makes one attempt per call.
  create: (settings, credentials, { outbound }) =>
    new SpecConnector(
      'woocommerce',
      wooCommerceSpec,
      wooCommerceTarget(wooCommerceSettingsSchema.parse(settings)),
      wooCommerceCredentialsSchema.parse(credentials),
      { outbound },
      wooCommerceHooks,
      { retryPolicy: { maxRetries: 0 } },
    ),
};
