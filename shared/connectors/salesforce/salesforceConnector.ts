import { credentialsSchemaOf } from '../spec/authSpec.js';
import { SpecConnector, type SpecConnectorContext, type SpecConnectorOptions } from '../spec/specConnector.js';
import { fillTemplate } from '../spec/urlTemplate.js';
import { salesforceSettingsSchema, type SalesforceSettings } from './salesforceSettings.js';
import { salesforceHooks } from './salesforceSoql.js';
import { salesforceSpec } from './salesforceSpec.js';

/** The credentials every Salesforce connection saves: the connected app and the user's refresh token (plus the tokens a refresh stores). */
export const salesforceCredentialsSchema = credentialsSchemaOf(salesforceSpec().auth);

/** The org's REST root from its settings. */
export const salesforceTarget = (settings: SalesforceSettings) => ({
  baseUrl: fillTemplate(salesforceSpec().baseUrl, { instanceUrl: settings.instanceUrl, apiVersion: settings.apiVersion }),
  timeoutMs: settings.timeoutMs,
  ...(settings.caCertificate ? { caCertificate: settings.caCertificate } : {}),
});

/** A Salesforce org's connector: its spec with tokens refreshed at the settings' `loginUrl`, and SOQL lists. */
export function createSalesforceConnector(settings: unknown, credentials: unknown, context: SpecConnectorContext, options?: SpecConnectorOptions): SpecConnector {
  const parsed = salesforceSettingsSchema.parse(settings);
  const checked = salesforceCredentialsSchema.parse(credentials) as Record<string, unknown>;
  return new SpecConnector('salesforce', salesforceSpec(parsed.loginUrl), salesforceTarget(parsed), checked, context, salesforceHooks, options);
}
