import { z } from 'zod';
import type { ProviderContext, ProviderDefinition } from '../providerDefinition.js';
import { credentialsSchemaOf } from '../spec/authSpec.js';
import { SpecConnector, streamInfoOf, type SpecConnectorOptions } from '../spec/specConnector.js';
import { notionHooks } from './notionHooks.js';
import { NOTION_SAFE_REQUESTS_PER_MINUTE, notionSettingsSchema, type NotionSettings } from './notionSettings.js';
import { notionSpec } from './notionSpec.js';
import { notionWebhooks } from './notionWebhooks.js';

/** Settings are stored validated; parsing again fills defaults and narrows the type. */
const settingsOf = (settings: unknown): NotionSettings => notionSettingsSchema.parse(settings);

export function createNotionConnector(settings: NotionSettings, credentials: unknown, context: ProviderContext, options?: SpecConnectorOptions): SpecConnector {
  const spec = notionSpec(settings);
  const checked = credentialsSchemaOf(spec.auth).parse(credentials) as Record<string, unknown>;
  return new SpecConnector('notion', spec, { baseUrl: spec.baseUrl, timeoutMs: settings.timeoutMs }, checked, context, notionHooks, options);
}

/** Registry entry: settings and credentials arrive unvalidated from storage and are parsed here. */
export const notionProvider: ProviderDefinition = {
  provider: 'notion',
  settingsSchema: notionSettingsSchema,
  credentialsSchema: (settings) => credentialsSchemaOf(notionSpec(settingsOf(settings)).auth),
  documentedCredentials: z.record(z.string(), z.string()).describe("`{token}`: an internal integration's secret, shared with the data source."),
  streams: (settings) => notionSpec(settingsOf(settings)).streams.map(streamInfoOf),
  maxPageSize: (settings) => notionSpec(settingsOf(settings)).maxPageSize,
  urls: (settings) => [{ path: 'settings.baseUrl', url: settingsOf(settings).baseUrl }],
  defaultRequestsPerMinute: NOTION_SAFE_REQUESTS_PER_MINUTE,
  webhooks: notionWebhooks,
  // One attempt per call: the engine reschedules a failing page instead of sleeping in a function.
  create: (settings, credentials, context) => createNotionConnector(settingsOf(settings), credentials, context, { retryPolicy: { maxRetries: 0 } }),
};
