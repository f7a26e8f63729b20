import { z } from 'zod';

/**
 * What a connection's secret holds for OAuth 2: the client, the newest refresh token and the
 * access token last issued with its expiry. The whole document is one secret, so the refresh
 * token and the access token it bought are always saved together; every worker reads the access
 * token from here instead of refreshing on its own.
 */
export const oauthCredentialsSchema = z
  // Loose: a provider keeps fields of its own here (a QuickBooks realm id), saved back untouched.
  .looseObject({
    clientId: z.string().min(1),
    clientSecret: z.string().min(1),
    /** Absent for the client_credentials grant, which has none (RFC 6749 §4.4.3). */
    refreshToken: z.string().min(1).optional(),
    accessToken: z.string().min(1).optional(),
    /** Epoch ms; absent when the provider did not say (Salesforce sends no `expires_in`): used until refused. */
    accessTokenExpiresAtMs: z.number().int().optional(),
    /** Epoch ms the access token was received: with the expiry, its lifetime, which bounds the refresh margin. */
    accessTokenIssuedAtMs: z.number().int().optional(),
  });

export type OAuthCredentials = z.infer<typeof oauthCredentialsSchema>;
