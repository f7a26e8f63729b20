import { z } from 'zod';
import type { ProviderContext, ProviderDefinition } from '../providerDefinition.js';
import { credentialsSchemaOf } from '../spec/authSpec.js';
import type { ConnectorSpec } from '../spec/connectorSpec.js';
import { SpecConnector, streamInfoOf, type SpecConnectorOptions } from '../spec/specConnector.js';
import { hubSpotHooks } from './hubSpotHooks.js';
import { hubSpotSettingsSchema, type HubSpotSettings } from './hubSpotSettings.js';
import { hubSpotSpec } from './hubSpotSpec.js';
import { hubSpotWebhooks } from './hubSpotWebhooks.js';

/** Settings are stored validated; parsing again fills defaults and narrows the type. */
const settingsOf = (settings: unknown): HubSpotSettings => hubSpotSettingsSchema.parse(settings);

/** A HubSpot connector for these settings and spec (tests pass a spec with a lower search ceiling). */
export function createHubSpotConnector(
  settings: HubSpotSettings,
  spec: ConnectorSpec,
  credentials: unknown,
  context: ProviderContext,
  options?: SpecConnectorOptions,
): SpecConnector {
  const checked = credentialsSchemaOf(spec.auth).parse(credentials) as Record<string, unknown>;
  return new SpecConnector('hubspot', spec, { baseUrl: spec.baseUrl, timeoutMs: settings.timeoutMs }, checked, context, hubSpotHooks, options);
}

/** Registry entry: settings and credentials arrive unvalidated from storage and are parsed here. */
export const hubSpotProvider: ProviderDefinition = {
  provider: 'hubspot',
  settingsSchema: hubSpotSettingsSchema,
  credentialsSchema: (settings) => credentialsSchemaOf(hubSpotSpec(settingsOf(settings)).auth),
  documentedCredentials: z
    .record(z.string(), z.string())
    .describe('By `settings.auth`: `privateApp` {token} (a private app\'s access token), `oauth` {clientId, clientSecret, refreshToken}.'),
  streams: (settings) => hubSpotSpec(settingsOf(settings)).streams.map(streamInfoOf),
  maxPageSize: (settings) => hubSpotSpec(settingsOf(settings)).maxPageSize,
  urls: (settings) => {
    const auth = hubSpotSpec(settingsOf(settings)).auth;
    return [{ path: 'settings.baseUrl', url: settingsOf(settings).baseUrl }, ...(auth.kind === 'oauth2' ? [{ path: 'settings.baseUrl', url: auth.tokenUrl }] : [])];
  },
  webhooks: hubSpotWebhooks,
  // One attempt per call: the engine reschedules a failing page instead of sleeping in a function.
  create: (settings, credentials, context) => {
    const parsed = settingsOf(settings);
    return createHubSpotConnector(parsed, hubSpotSpec(parsed), credentials, context, { retryPolicy: { maxRetries: 0 } });
  },
};
