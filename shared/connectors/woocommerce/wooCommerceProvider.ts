import type { ProviderDefinition } from '../providerDefinition.js';
import { maxPerPage, WooCommerceConnector } from './wooCommerceConnector.js';
import { wooCommerceCredentialsSchema, wooCommerceSettingsSchema } from './wooCommerceSettings.js';
import { wooCommerceStreams } from './wooCommerceStreams.js';
import { wooCommerceWebhooks } from './wooCommerceWebhooks.js';

/** Registry entry: settings and credentials arrive unvalidated from storage and are parsed here. */
export const wooCommerceProvider: ProviderDefinition = {
  provider: 'woocommerce',
  settingsSchema: wooCommerceSettingsSchema,
  credentialsSchema: wooCommerceCredentialsSchema,
  streams: wooCommerceStreams.map((stream) => ({ ...stream, dependsOn: [...stream.dependsOn] })),
  maxPageSize: maxPerPage,
  urlSettings: ['baseUrl'],
  webhooks: wooCommerceWebhooks,
  // The engine retries a failing page by scheduling its message later, never by sleeping inside a
  // function: the connector it uses makes one attempt per call.
  create: (settings, credentials, { outbound }) =>
    new WooCommerceConnector(wooCommerceSettingsSchema.parse(settings), wooCommerceCredentialsSchema.parse(credentials), outbound, {
      retryPolicy: { maxRetries: 0 },
    }),
};
