import { z } from 'zod';

/** Connection settings of a WooCommerce store (stored in clear; the credentials are not). */
export const wooCommerceSettingsSchema = z.strictObject({
  baseUrl: z
    // `abort`: the refinement below parses the URL, so it must not run on one that failed here.
    .url({ protocol: /^https?$/, error: 'must be an http or https URL', abort: true })
    .refine((value) => {
      const url = new URL(value);
      return url.username === '' && url.password === '' && url.search === '' && url.hash === '';
    }, 'must not contain credentials, a query or a fragment')
    .describe(
      'Store root, e.g. `https://shop.example.com` or `https://example.com/shop`; the REST API lives under `/wp-json/`. Over plain http every request is OAuth 1.0a-signed.',
    ),
  caCertificate: z
    .string()
    // A regex rather than `.includes()`, whose JSON Schema carries a format ("includes") no validator knows.
    .regex(/-----BEGIN CERTIFICATE-----/, 'must be a PEM certificate')
    .optional()
    .describe("PEM of a private CA that signed the store's certificate; replaces the public CA list."),
  timeoutMs: z.number().int().min(100).max(300_000).default(30_000).describe('Milliseconds per request, connect to last body byte.'),
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
