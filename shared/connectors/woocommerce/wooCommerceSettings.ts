import { z } from 'zod';
import { caCertificateSetting, rootUrlSetting, timeoutMsSetting } from '../http/connectionSettings.js';

/** Connection settings of a WooCommerce store (stored in clear; the credentials are not). */
export const wooCommerceSettingsSchema = z.strictObject({
  baseUrl: rootUrlSetting(
    'Store root, e.g. `https://shop.example.com` or `https://example.com/shop`; the REST API lives under `/wp-json/`. Over plain http every request is OAuth 1.0a-signed.',
  ),
  caCertificate: caCertificateSetting("the store's"),
  timeoutMs: timeoutMsSetting,
});
export type WooCommerceSettings = z.output<typeof wooCommerceSettingsSchema>;
export type WooCommerceSettingsInput = z.input<typeof wooCommerceSettingsSchema>;

/**
 * A REST API key pair (WooCommerce → Settings → Advanced → REST API; `ck_`/`cs_` and 40 hex
 * digits). At least 8 characters: shorter values could not be told apart from ordinary text, so
 * they could not be redacted where a provider echoes them.
 */
const keyPart = z.string().min(8, 'must be at least 8 characters (WooCommerce keys are 43)').max(256);
export const wooCommerceCredentialsSchema = z.strictObject({
  consumerKey: keyPart.describe('`ck_…` (WooCommerce → Settings → Advanced → REST API).'),
  consumerSecret: keyPart.describe('`cs_…`, shown once when WooCommerce makes the key.'),
});
export type WooCommerceCredentials = z.output<typeof wooCommerceCredentialsSchema>;
