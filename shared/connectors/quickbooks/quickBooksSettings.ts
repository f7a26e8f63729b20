import { z } from 'zod';
import { rootUrlSetting, timeoutMsSetting } from '../http/connectionSettings.js';

/** Connection settings of one QuickBooks Online company (stored in clear; the app and its tokens are credentials). */
export const quickBooksSettingsSchema = z.strictObject({
  realmId: z
    .string()
    .regex(/^[1-9]\d{0,19}$/, 'must be the company id (realmId) QuickBooks gave at consent: digits only')
    .describe('The company (realm) this connection reads and writes: the `realmId` of the authorization redirect.'),
  baseUrl: rootUrlSetting('The accounting API root: `https://sandbox-quickbooks.api.intuit.com` for a sandbox company.').default('https://quickbooks.api.intuit.com'),
  tokenUrl: rootUrlSetting("Intuit's OAuth 2 token endpoint.").default('https://oauth.platform.intuit.com/oauth2/v1/tokens/bearer'),
  minorVersion: z
    .string()
    .regex(/^[1-9]\d{0,2}$/, 'must be a minor version number such as `75`')
    .default('75')
    .describe('The `minorversion` every call sends (Intuit retires the old ones).'),
  timeoutMs: timeoutMsSetting,
});
export type QuickBooksSettings = z.output<typeof quickBooksSettingsSchema>;
export type QuickBooksSettingsInput = z.input<typeof quickBooksSettingsSchema>;
