import { z } from 'zod';
import { oauthCredentialsSchema } from '../../core/oauth/oauthCredentials.js';

const headerName = z.string().regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,100}$/, 'must be an HTTP header name');
const credentialName = z.string().regex(/^[A-Za-z_][\w]{0,62}$/, 'must be a credentials field name');

/** How every request proves who the connection is. The secrets themselves are the connection's `credentials`. */
export const authSpec = z
  .discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('none') }).describe('No authentication (a public API).'),
    z
      .strictObject({
        kind: z.literal('basic'),
        usernameField: credentialName.default('username').describe('Credentials field holding the user name.'),
        passwordField: credentialName.default('password').describe('Credentials field holding the password.'),
      })
      .describe('HTTP Basic (RFC 7617); credentials `{username, password}`.'),
    z
      .strictObject({
        kind: z.literal('apiKey'),
        in: z.enum(['header', 'query']),
        name: z.string().min(1).max(100).describe('Header or query parameter name, e.g. `X-Api-Key` or `api_key`.'),
        prefix: z.string().max(40).optional().describe('Text before the key, e.g. `Token `.'),
      })
      .refine((auth) => auth.in === 'query' || headerName.safeParse(auth.name).success, { message: 'must be an HTTP header name', path: ['name'] })
      .describe('An API key in a header or the query; credentials `{apiKey}`.'),
    z.strictObject({ kind: z.literal('bearer') }).describe('A static bearer token (RFC 6750); credentials `{token}`.'),
    z
      .strictObject({
        kind: z.literal('oauth2'),
        grant: z.enum(['refresh_token', 'client_credentials']),
        tokenUrl: z.url({ protocol: /^https?$/, error: 'must be an http or https URL' }).describe('The token endpoint; it passes the same destination checks as the API.'),
        clientAuthentication: z.enum(['basic', 'body']).default('basic').describe('How the client authenticates at the token endpoint (RFC 6749 §2.3.1).'),
        scope: z.string().max(1000).optional(),
      })
      .describe(
        'OAuth 2 bearer tokens, refreshed before expiry and once on a 401, one refresher at a time; credentials `{clientId, clientSecret, refreshToken}` (`refreshToken` for the refresh_token grant). A rotated refresh token is saved before it is used.',
      ),
  ])
  .meta({ id: 'ConnectorAuth' });
export type AuthSpec = z.output<typeof authSpec>;

const secret = z.string().min(8, 'must be at least 8 characters, so it can be told apart from ordinary text and redacted').max(4096);

/** The credentials a connection of this auth kind saves (write-only, kept in Secrets). */
export function credentialsSchemaOf(auth: AuthSpec): z.ZodType {
  switch (auth.kind) {
    case 'none':
      return z.strictObject({});
    case 'basic':
      return z.strictObject({ [auth.usernameField]: z.string().min(1).max(1000), [auth.passwordField]: secret });
    case 'apiKey':
      return z.strictObject({ apiKey: secret });
    case 'bearer':
      return z.strictObject({ token: secret });
    case 'oauth2':
      return auth.grant === 'refresh_token' ? oauthCredentialsSchema.extend({ refreshToken: secret }) : oauthCredentialsSchema;
  }
}

/** Which credential values are secret, for redaction. */
export function secretValuesOf(auth: AuthSpec, credentials: Record<string, unknown>): string[] {
  const values =
    auth.kind === 'basic'
      ? [credentials[auth.passwordField], credentials[auth.usernameField]]
      : auth.kind === 'apiKey'
        ? [credentials.apiKey]
        : auth.kind === 'bearer'
          ? [credentials.token]
          : auth.kind === 'oauth2'
            ? [credentials.clientSecret, credentials.refreshToken, credentials.accessToken]
            : [];
  return values.filter((value): value is string => typeof value === 'string' && value.length >= 8);
}
