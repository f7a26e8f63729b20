import { z } from 'zod';
import type { ProviderDefinition } from '../providerDefinition.js';
import { streamInfoOf } from '../spec/specConnector.js';
import { createSalesforceConnector, salesforceCredentialsSchema } from './salesforceConnector.js';
import { salesforceSettingsSchema } from './salesforceSettings.js';
import { salesforceSpec } from './salesforceSpec.js';
import { salesforceWebhooks } from './salesforceWebhooks.js';

/** Streams and page size do not depend on the settings. */
const spec = salesforceSpec();

/** Registry entry: settings and credentials arrive unvalidated from storage and are parsed here. */
export const salesforceProvider: ProviderDefinition = {
  provider: 'salesforce',
  settingsSchema: salesforceSettingsSchema,
  credentialsSchema: () => salesforceCredentialsSchema,
  documentedCredentials: z
    .strictObject({ clientId: z.string(), clientSecret: z.string(), refreshToken: z.string() })
    .describe("The connected app's consumer key and secret, and the refresh token its authorization gave (scopes `api refresh_token`)."),
  streams: () => spec.streams.map(streamInfoOf),
  maxPageSize: () => spec.maxPageSize,
  urls: (settings) => {
    const parsed = salesforceSettingsSchema.parse(settings);
    return [
      { path: 'settings.instanceUrl', url: parsed.instanceUrl },
      { path: 'settings.loginUrl', url: parsed.loginUrl },
    ];
  },
  webhooks: salesforceWebhooks,
  // One attempt per call: the engine reschedules a failing page instead of sleeping in a function.
  create: (settings, credentials, context) => createSalesforceConnector(settings, credentials, context, { retryPolicy: { maxRetries: 0 } }),
};
