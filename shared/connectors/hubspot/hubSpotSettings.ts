import { z } from 'zod';
import { rootUrlSetting, timeoutMsSetting } from '../http/connectionSettings.js';

/** Connection settings of a HubSpot portal (stored in clear; the credentials are not). */
export const hubSpotSettingsSchema = z.strictObject({
  baseUrl: rootUrlSetting("The API root; HubSpot's own unless a proxy or test double stands in.")
    .default('https://api.hubapi.com'),
  auth: z
    .enum(['privateApp', 'oauth'])
    .default('privateApp')
    .describe('`privateApp`: credentials `{token}`, a private app\'s access token; `oauth`: credentials `{clientId, clientSecret, refreshToken}` of a public app.'),
  timeoutMs: timeoutMsSetting,
});
export type HubSpotSettings = z.output<typeof hubSpotSettingsSchema>;
export type HubSpotSettingsInput = z.input<typeof hubSpotSettingsSchema>;
