import { z } from 'zod';
import type { ProviderContext, ProviderDefinition } from '../providerDefinition.js';
import { credentialsSchemaOf } from '../spec/authSpec.js';
import { SpecConnector, streamInfoOf, type SpecConnectorOptions } from '../spec/specConnector.js';
import { supabaseHooks } from './supabaseHooks.js';
import { supabaseSettingsSchema, type SupabaseSettings } from './supabaseSettings.js';
import { supabaseSpec } from './supabaseSpec.js';
import { supabaseWebhooks } from './supabaseWebhooks.js';

/** Settings are stored validated; parsing again fills defaults and narrows the type. */
const settingsOf = (settings: unknown): SupabaseSettings => supabaseSettingsSchema.parse(settings);

export function createSupabaseConnector(settings: SupabaseSettings, credentials: unknown, context: ProviderContext, options?: SpecConnectorOptions): SpecConnector {
  const spec = supabaseSpec(settings);
  const checked = credentialsSchemaOf(spec.auth).parse(credentials) as { apiKey: string };
  return new SpecConnector('supabase', spec, { baseUrl: spec.baseUrl, timeoutMs: settings.timeoutMs }, checked, context, supabaseHooks(settings, checked.apiKey), options);
}

/** Registry entry: settings and credentials arrive unvalidated from storage and are parsed here. */
export const supabaseProvider: ProviderDefinition = {
  provider: 'supabase',
  settingsSchema: supabaseSettingsSchema,
  credentialsSchema: (settings) => credentialsSchemaOf(supabaseSpec(settingsOf(settings)).auth),
  documentedCredentials: z
    .record(z.string(), z.string())
    .describe("`{apiKey}`: the project's `service_role` (or secret) key, sent as `apikey` and as the bearer token; row-level security applies to any other."),
  streams: (settings) => supabaseSpec(settingsOf(settings)).streams.map(streamInfoOf),
  maxPageSize: (settings) => settingsOf(settings).maxPageSize,
  urls: (settings) => [{ path: 'settings.url', url: settingsOf(settings).url }],
  webhooks: supabaseWebhooks,
  // One attempt per call: the engine reschedules a failing page instead of sleeping in a function.
  create: (settings, credentials, context) => createSupabaseConnector(settingsOf(settings), credentials, context, { retryPolicy: { maxRetries: 0 } }),
};
