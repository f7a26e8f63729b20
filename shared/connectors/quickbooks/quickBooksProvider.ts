import { z } from 'zod';
import type { ProviderContext, ProviderDefinition } from '../providerDefinition.js';
import { credentialsSchemaOf } from '../spec/authSpec.js';
import { SpecConnector, streamInfoOf, type SpecConnectorOptions } from '../spec/specConnector.js';
import { quickBooksHooks } from './quickBooksQuery.js';
import { quickBooksSettingsSchema } from './quickBooksSettings.js';
import { quickBooksSpec } from './quickBooksSpec.js';
import { quickBooksWebhooks } from './quickBooksWebhooks.js';

/** Streams, page size and credentials do not depend on the company: one spec answers for every connection. */
const anySpec = quickBooksSpec(quickBooksSettingsSchema.parse({ realmId: '1' }));
const credentialsSchema = credentialsSchemaOf(anySpec.auth);

/** One company's connector: its spec, the OAuth client and the connection's shared tokens. */
export function createQuickBooksConnector(settings: unknown, credentials: unknown, context: ProviderContext, options?: SpecConnectorOptions): SpecConnector {
  const parsed = quickBooksSettingsSchema.parse(settings);
  const checked = credentialsSchema.parse(credentials) as Record<string, unknown>;
  return new SpecConnector('quickbooks', quickBooksSpec(parsed), { baseUrl: quickBooksSpec(parsed).baseUrl, timeoutMs: parsed.timeoutMs }, checked, context, quickBooksHooks, options);
}

/** Registry entry: settings and credentials arrive unvalidated from storage and are parsed here. */
export const quickBooksProvider: ProviderDefinition = {
  provider: 'quickbooks',
  settingsSchema: quickBooksSettingsSchema,
  credentialsSchema: () => credentialsSchema,
  documentedCredentials: z
    .strictObject({ clientId: z.string(), clientSecret: z.string(), refreshToken: z.string() })
    .describe("The Intuit app's client id and secret, and the refresh token the company's consent gave (scope `com.intuit.quickbooks.accounting`). Each refresh may rotate it; the newest is kept."),
  streams: () => anySpec.streams.map(streamInfoOf),
  maxPageSize: () => anySpec.maxPageSize,
  urls: (settings) => {
    const parsed = quickBooksSettingsSchema.parse(settings);
    return [
      { path: 'settings.baseUrl', url: parsed.baseUrl },
      { path: 'settings.tokenUrl', url: parsed.tokenUrl },
    ];
  },
  // Intuit allows 500 requests a minute per company: 450 leaves room for write-backs and token refreshes.
  defaultRequestsPerMinute: 450,
  webhooks: quickBooksWebhooks,
  // One attempt per call: the engine reschedules a failing page instead of sleeping in a function.
  create: (settings, credentials, context) => createQuickBooksConnector(settings, credentials, context, { retryPolicy: { maxRetries: 0 } }),
};
