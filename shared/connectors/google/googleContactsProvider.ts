import { z } from 'zod';
import type { ProviderContext, ProviderDefinition } from '../providerDefinition.js';
import { credentialsSchemaOf } from '../spec/authSpec.js';
import type { ConnectorSpec } from '../spec/connectorSpec.js';
import { streamInfoOf, type SpecConnectorOptions } from '../spec/specConnector.js';
import { GoogleContactsConnector } from './googleContactsConnector.js';
import { googleContactsHooks } from './googleContactsHooks.js';
import { googleContactsSettingsSchema, type GoogleContactsSettings } from './googleContactsSettings.js';
import { googleContactsSpec } from './googleContactsSpec.js';
import { googleContactsWebhooks } from './googleContactsWebhooks.js';

/** Settings are stored validated; parsing again fills defaults and narrows the type. */
const settingsOf = (settings: unknown): GoogleContactsSettings => googleContactsSettingsSchema.parse(settings);

/** A Google Contacts connector for these settings (tests pass retry options). */
export function createGoogleContactsConnector(settings: GoogleContactsSettings, credentials: unknown, context: ProviderContext, options?: SpecConnectorOptions): GoogleContactsConnector {
  const spec: ConnectorSpec = googleContactsSpec(settings);
  const checked = credentialsSchemaOf(spec.auth).parse(credentials) as Record<string, unknown>;
  return new GoogleContactsConnector('google-contacts', spec, { baseUrl: spec.baseUrl, timeoutMs: settings.timeoutMs }, checked, context, googleContactsHooks, options);
}

/** Registry entry: settings and credentials arrive unvalidated from storage and are parsed here. */
export const googleContactsProvider: ProviderDefinition = {
  provider: 'google-contacts',
  settingsSchema: googleContactsSettingsSchema,
  credentialsSchema: (settings) => credentialsSchemaOf(googleContactsSpec(settingsOf(settings)).auth),
  documentedCredentials: z
    .record(z.string(), z.string())
    .describe('`{clientId, clientSecret, refreshToken}` of an OAuth client granted the `contacts` scope.'),
  streams: (settings) => googleContactsSpec(settingsOf(settings)).streams.map(streamInfoOf),
  maxPageSize: (settings) => googleContactsSpec(settingsOf(settings)).maxPageSize,
  urls: (settings) => {
    const parsed = settingsOf(settings);
    return [
      { path: 'settings.baseUrl', url: parsed.baseUrl },
      { path: 'settings.tokenUrl', url: parsed.tokenUrl },
    ];
  },
  webhooks: googleContactsWebhooks,
  // One attempt per call: the engine reschedules a failing page instead of sleeping in a function.
  create: (settings, credentials, context) => createGoogleContactsConnector(settingsOf(settings), credentials, context, { retryPolicy: { maxRetries: 0 } }),
};
