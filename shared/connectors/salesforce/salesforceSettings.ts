import { z } from 'zod';

/** An http(s) origin or root: no credentials, query or fragment, which would travel with every call. */
const rootUrl = (described: string) =>
  z
    // `abort`: the refinement below parses the URL, so it must not run on one that failed here.
    .url({ protocol: /^https?$/, error: 'must be an http or https URL', abort: true })
    .refine((value) => {
      const url = new URL(value);
      return url.username === '' && url.password === '' && url.search === '' && url.hash === '';
    }, 'must not contain credentials, a query or a fragment')
    .describe(described);

export const defaultLoginUrl = 'https://login.salesforce.com';

/** Connection settings of a Salesforce org (stored in clear; the OAuth client and refresh token are credentials). */
export const salesforceSettingsSchema = z.strictObject({
  instanceUrl: rootUrl("The org's instance, e.g. `https://acme.my.salesforce.com`: the token response's `instance_url`."),
  loginUrl: rootUrl('Where tokens are refreshed (`/services/oauth2/token` under it): `https://test.salesforce.com` for a sandbox, or the My Domain URL.').default(
    defaultLoginUrl,
  ),
  apiVersion: z
    .string()
    .regex(/^[1-9]\d{1,2}\.0$/, 'must be a REST API version such as `62.0`')
    .default('62.0')
    .describe('The REST API version in every path (`/services/data/v62.0/`).'),
  caCertificate: z
    .string()
    // A regex rather than `.includes()`, whose JSON Schema carries a format ("includes") no validator knows.
    .regex(/-----BEGIN CERTIFICATE-----/, 'must be a PEM certificate')
    .optional()
    .describe("PEM of a private CA that signed the instance's certificate; replaces the public CA list."),
  timeoutMs: z.number().int().min(100).max(300_000).default(30_000).describe('Milliseconds per request, connect to last body byte.'),
});
export type SalesforceSettings = z.output<typeof salesforceSettingsSchema>;
export type SalesforceSettingsInput = z.input<typeof salesforceSettingsSchema>;
