import { z } from 'zod';

/** Connection settings of a HubSpot portal (stored in clear; the credentials are not). */
export const hubSpotSettingsSchema = z.strictObject({
  baseUrl: z
    // `abort`: the refinement below parses the URL, so it must not run on one that failed here.
    .url({ protocol: /^https?$/, error: 'must be an http or https URL', abort: true })
    .refine((value) => {
      const url = new URL(value);
      return url.username === '' && url.password === '' && url.search === '' && url.hash === '';
    }, 'must not contain credentials, a query or a fragment')
    .default('https://api.hubapi.com')
    .describe('The API root; HubSpot\'s own unless a proxy or test double stands in.'),
  auth: z
    .enum(['privateApp', 'oauth'])
    .default('privateApp')
    .describe('`privateApp`: credentials `{token}`, a private app\'s access token; `oauth`: credentials `{clientId, clientSecret, refreshToken}` of a public app.'),
  timeoutMs: z.number().int().min(100).max(300_000).default(30_000).describe('Milliseconds per request, connect to last body byte.'),
});
export type HubSpotSettings = z.output<typeof hubSpotSettingsSchema>;
export type HubSpotSettingsInput = z.input<typeof hubSpotSettingsSchema>;
