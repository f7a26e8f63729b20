import { z } from 'zod';

/** Connection settings of a WooCommerce store (stored in clear; the credentials are not). */
export const wooCommerceSettingsSchema = z.strictObject({
  /** Store root, e.g. `https://shop.example.com` or `https://example.com/shop`; the REST API lives under `/wp-json/`. */
  baseUrl: z
    // `abort`: the refinement below parses the URL, so it must not run on one that failed here.
    .url({ protocol: /^https?$/, error: 'must be an http or https URL', abort: true })
    .refine((value) => {
      const url = new URL(value);
      return url.username === '' && url.password === '' && url.search === '' && url.hash === '';
    }, 'must not contain credentials, a query or a fragment'),
  /** PEM of a private CA that signed the store's certificate; replaces the public CA list. */
  caCertificate: z.string().includes('-----BEGIN CERTIFICATE-----', { error: 'must be a PEM certificate' }).optional(),
  /** Per request, connect to last body byte. */
  timeoutMs: z.number().int().min(100).max(300_000).default(30_000),
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
  consumerKey: keyPart,
  consumerSecret: keyPart,
});
export type WooCommerceCredentials = z.output<typeof wooCommerceCredentialsSchema>;
