import { z } from 'zod';
import { caCertificateSetting, rootUrlSetting, timeoutMsSetting } from '../http/connectionSettings.js';

export const defaultLoginUrl = 'https://login.salesforce.com';

/** Connection settings of a Salesforce org (stored in clear; the OAuth client and refresh token are credentials). */
export const salesforceSettingsSchema = z.strictObject({
  instanceUrl: rootUrlSetting("The org's instance, e.g. `https://acme.my.salesforce.com`: the token response's `instance_url`."),
  loginUrl: rootUrlSetting('Where tokens are refreshed (`/services/oauth2/token` under it): `https://test.salesforce.com` for a sandbox, or the My Domain URL.').default(
    defaultLoginUrl,
  ),
  apiVersion: z
    .string()
    .regex(/^[1-9]\d{1,2}\.0$/, 'must be a REST API version such as `62.0`')
    .default('62.0')
    .describe('The REST API version in every path (`/services/data/v62.0/`).'),
  caCertificate: caCertificateSetting("the instance's"),
  timeoutMs: timeoutMsSetting,
});
export type SalesforceSettings = z.output<typeof salesforceSettingsSchema>;
export type SalesforceSettingsInput = z.input<typeof salesforceSettingsSchema>;
