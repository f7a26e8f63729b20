import { z } from 'zod';
import { rootUrlSetting, timeoutMsSetting } from '../http/connectionSettings.js';

/** Connection settings of one Google user's contacts (stored in clear; the OAuth client and refresh token are credentials). */
export const googleContactsSettingsSchema = z.strictObject({
  baseUrl: rootUrlSetting("The People API root; Google's own unless a proxy or test double stands in.").default('https://people.googleapis.com'),
  tokenUrl: rootUrlSetting("Where access tokens are refreshed; Google's own unless a test double stands in.").default('https://oauth2.googleapis.com/token'),
  timeoutMs: timeoutMsSetting,
});
export type GoogleContactsSettings = z.output<typeof googleContactsSettingsSchema>;
export type GoogleContactsSettingsInput = z.input<typeof googleContactsSettingsSchema>;
