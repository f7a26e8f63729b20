import { z } from 'zod';

/**
 * The settings every HTTP provider's connection shares, each described once: where the API is,
 * which private CA signs it, and how long a request may take.
 */

/** An http(s) root: no credentials, query or fragment, which would travel with every call. */
export const rootUrlSetting = (described: string) =>
  z
    // `abort`: the refinement below parses the URL, so it must not run on one that failed here.
    .url({ protocol: /^https?$/, error: 'must be an http or https URL', abort: true })
    .refine((value) => {
      const url = new URL(value);
      return url.username === '' && url.password === '' && url.search === '' && url.hash === '';
    }, 'must not contain credentials, a query or a fragment')
    .describe(described);

export const caCertificateSetting = (whose: string) =>
  z
    .string()
    // A regex rather than `.includes()`, whose JSON Schema carries a format ("includes") no validator knows.
    .regex(/-----BEGIN CERTIFICATE-----/, 'must be a PEM certificate')
    .optional()
    .describe(`PEM of a private CA that signed ${whose} certificate; replaces the public CA list.`);

export const timeoutMsSetting = z.number().int().min(100).max(300_000).default(30_000).describe('Milliseconds per request, connect to last body byte.');
