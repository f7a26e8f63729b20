import { z } from 'zod';
import type { ProviderDefinition } from '../providerDefinition.js';
import { credentialsSchemaOf } from '../spec/authSpec.js';
import { SpecConnector, streamInfoOf } from '../spec/specConnector.js';
import { genericRestSettingsSchema, resolvedBaseUrl, type GenericRestSettings } from './genericRestSettings.js';
import { genericRestWebhooks } from './genericRestWebhooks.js';

/** Settings are stored validated; parsing again fills defaults and narrows the type. */
const settingsOf = (settings: unknown): GenericRestSettings => genericRestSettingsSchema.parse(settings);

/** A REST API the tenant describes with a connector spec in the connection's settings: no code deployed. */
export const genericRestProvider: ProviderDefinition = {
  provider: 'generic-rest',
  settingsSchema: genericRestSettingsSchema,
  credentialsSchema: (settings) => credentialsSchemaOf(settingsOf(settings).spec.auth),
  documentedCredentials: z
    .record(z.string(), z.string())
    .describe(
      'By `spec.auth.kind`: `basic` {username, password} (or the fields it names), `apiKey` {apiKey}, `bearer` {token}, `oauth2` {clientId, clientSecret, refreshToken}, `none` {}.',
    ),
  streams: (settings) => settingsOf(settings).spec.streams.map(streamInfoOf),
  maxPageSize: (settings) => settingsOf(settings).spec.maxPageSize,
  urls: (settings) => {
    const parsed = settingsOf(settings);
    const auth = parsed.spec.auth;
    return [{ path: 'settings.spec.baseUrl', url: resolvedBaseUrl(parsed) }, ...(auth.kind === 'oauth2' ? [{ path: 'settings.spec.auth.tokenUrl', url: auth.tokenUrl }] : [])];
  },
  webhooks: genericRestWebhooks,
  // One attempt per call: the engine reschedules a failing page instead of sleeping in a function.
  create: (settings, credentials, context) => {
    const parsed = settingsOf(settings);
    const target = { baseUrl: resolvedBaseUrl(parsed), timeoutMs: parsed.timeoutMs, ...(parsed.caCertificate ? { caCertificate: parsed.caCertificate } : {}) };
    const checked = credentialsSchemaOf(parsed.spec.auth).parse(credentials) as Record<string, unknown>;
    return new SpecConnector('generic-rest', parsed.spec, target, checked, context, {}, { retryPolicy: { maxRetries: 0 } });
  },
};
