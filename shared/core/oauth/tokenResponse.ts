import { z } from 'zod';
import type { OAuthCredentials } from './oauthCredentials.js';

/** A successful token endpoint answer (RFC 6749 §5.1); providers add fields of their own, kept out. */
export const tokenResponseSchema = z.object({
  access_token: z.string().min(1),
  token_type: z.string(),
  expires_in: z.coerce.number().positive().optional(),
  refresh_token: z.string().min(1).optional(),
});

export type TokenResponse = z.infer<typeof tokenResponseSchema>;

/**
 * The credentials to save after a refresh. A rotating provider sends a new refresh token, which
 * replaces the spent one; one that does not keeps the old one valid (RFC 6749 §6), so it stays.
 */
export function credentialsAfterRefresh(before: OAuthCredentials, response: TokenResponse, nowMs: number): OAuthCredentials & { accessToken: string } {
  const { accessTokenExpiresAtMs: _previousExpiry, accessTokenIssuedAtMs: _previousIssue, ...kept } = before;
  return {
    ...kept,
    ...(response.refresh_token !== undefined ? { refreshToken: response.refresh_token } : {}),
    accessToken: response.access_token,
    accessTokenIssuedAtMs: nowMs,
    ...(response.expires_in !== undefined ? { accessTokenExpiresAtMs: nowMs + Math.round(response.expires_in * 1000) } : {}),
  };
}
