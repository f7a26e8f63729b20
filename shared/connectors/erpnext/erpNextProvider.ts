import { z } from 'zod';
import type { SourceRecord } from '../connector.js';
import type { ProviderContext, ProviderDefinition } from '../providerDefinition.js';
import { SpecConnector, streamInfoOf, type SpecConnectorOptions } from '../spec/specConnector.js';
import { decideTimestampMismatch, type TimestampMismatchHooks } from './erpNextConflictDecision.js';
import { doctypeOfStream } from './erpNextDoctypes.js';
import { erpNextHooks } from './erpNextQuery.js';
import { erpNextSettingsSchema, type ErpNextSettings } from './erpNextSettings.js';
import { erpNextSpec } from './erpNextSpec.js';
import { erpNextWebhooks } from './erpNextWebhooks.js';

/** A user's API key and secret (User → API Access); sent as `Authorization: token <apiKey>:<apiSecret>`. */
export const erpNextCredentialsSchema = z.strictObject({
  apiKey: z.string().regex(/^[A-Za-z0-9]{1,100}$/, "must be the user's API key (letters and digits)"),
  apiSecret: z.string().min(8, 'must be at least 8 characters, so it can be told apart from ordinary text and redacted').max(200),
});

/** Settings are stored validated; parsing again fills defaults and narrows the type. */
const settingsOf = (settings: unknown): ErpNextSettings => erpNextSettingsSchema.parse(settings);

export function createErpNextConnector(settings: ErpNextSettings, credentials: unknown, context: ProviderContext, options?: SpecConnectorOptions): SpecConnector {
  const spec = erpNextSpec(settings);
  const { apiKey, apiSecret } = erpNextCredentialsSchema.parse(credentials);
  // The spec's `apiKey` auth sends one value after `token `: Frappe's `key:secret`.
  return new SpecConnector('erpnext', spec, { baseUrl: spec.baseUrl, timeoutMs: settings.timeoutMs }, { apiKey: `${apiKey}:${apiSecret}` }, context, erpNextHooks(settings), options);
}

/**
 * The registry entry, with code-level hooks deciding stale updates of some DocTypes (a
 * connection's `timestampMismatch` rule for the DocType still comes first).
 */
export function erpNextProviderWith(hooks: TimestampMismatchHooks = {}): ProviderDefinition {
  return {
    provider: 'erpnext',
    settingsSchema: erpNextSettingsSchema,
    credentialsSchema: () => erpNextCredentialsSchema,
    documentedCredentials: erpNextCredentialsSchema.describe("`{apiKey, apiSecret}` of the API user (User → Settings → API Access → Generate Keys)."),
    streams: (settings) => erpNextSpec(settingsOf(settings)).streams.map(streamInfoOf),
    maxPageSize: (settings) => erpNextSpec(settingsOf(settings)).maxPageSize,
    urls: (settings) => [{ path: 'settings.baseUrl', url: settingsOf(settings).baseUrl }],
    webhooks: erpNextWebhooks,
    settleRefusedUpdate: (settings, stream, localModifiedAt, current: SourceRecord) => {
      const parsed = settingsOf(settings);
      const doctype = doctypeOfStream(parsed, stream);
      return doctype === undefined ? undefined : decideTimestampMismatch(doctype, localModifiedAt, current.modified, parsed.timestampMismatch, hooks);
    },
    // One attempt per call: the engine reschedules a failing page instead of sleeping in a function.
    create: (settings, credentials, context) => createErpNextConnector(settingsOf(settings), credentials, context, { retryPolicy: { maxRetries: 0 } }),
  };
}

export const erpNextProvider: ProviderDefinition = erpNextProviderWith();
