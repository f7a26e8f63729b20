import { z } from 'zod';
import type { Connector } from '../connector.js';
import type { ProviderContext, ProviderDefinition } from '../providerDefinition.js';
import { credentialsSchemaOf } from '../spec/authSpec.js';
import { SpecConnector, streamInfoOf, type SpecConnectorOptions } from '../spec/specConnector.js';
import { OdooRpcConnector } from './odooConnector.js';
import { odooHooks } from './odooHooks.js';
import { OdooSession } from './odooSession.js';
import { odooSettingsSchema, type OdooSettings } from './odooSettings.js';
import { odooSpec } from './odooSpec.js';
import { odooWebhooks } from './odooWebhooks.js';

/** Settings are stored validated; parsing again fills defaults and narrows the type. */
const settingsOf = (settings: unknown): OdooSettings => odooSettingsSchema.parse(settings);

export function createOdooConnector(settings: OdooSettings, credentials: unknown, context: ProviderContext, options?: SpecConnectorOptions): Connector {
  const spec = odooSpec(settings);
  const checked = credentialsSchemaOf(spec.auth).parse(credentials) as Record<string, unknown>;
  const target = { baseUrl: spec.baseUrl, timeoutMs: settings.timeoutMs };
  if (settings.api === 'json2') return new SpecConnector('odoo', spec, target, checked, context, odooHooks(settings, undefined), options);
  const apiKey = String(checked.apiKey);
  // The settings schema makes both present with jsonrpc.
  const login = { baseUrl: spec.baseUrl, database: settings.database ?? '', login: settings.login ?? '', apiKey, timeoutMs: settings.timeoutMs };
  const agent = context.outbound.agent({ headersTimeout: settings.timeoutMs, bodyTimeout: settings.timeoutMs, connect: { timeout: settings.timeoutMs } });
  const session = new OdooSession(login, spec.errors, agent, options?.now);
  const hooks = odooHooks(settings, { database: login.database, apiKey, uid: () => session.current() });
  return new OdooRpcConnector(new SpecConnector('odoo', spec, target, checked, context, hooks, options), session, () => agent.close());
}

/** Registry entry: settings and credentials arrive unvalidated from storage and are parsed here. */
export const odooProvider: ProviderDefinition = {
  provider: 'odoo',
  settingsSchema: odooSettingsSchema,
  credentialsSchema: (settings) => credentialsSchemaOf(odooSpec(settingsOf(settings)).auth),
  documentedCredentials: z.record(z.string(), z.string()).describe("`{apiKey}`: a user's API key (Preferences → Account Security; valid at most three months)."),
  streams: (settings) => odooSpec(settingsOf(settings)).streams.map(streamInfoOf),
  maxPageSize: (settings) => odooSpec(settingsOf(settings)).maxPageSize,
  urls: (settings) => [{ path: 'settings.baseUrl', url: settingsOf(settings).baseUrl }],
  webhooks: odooWebhooks,
  // One attempt per call: the engine reschedules a failing page instead of sleeping in a function.
  create: (settings, credentials, context) => createOdooConnector(settingsOf(settings), credentials, context, { retryPolicy: { maxRetries: 0 } }),
};
