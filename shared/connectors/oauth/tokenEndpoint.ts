import { request, type Dispatcher } from 'undici';
import { AuthError } from '../authError.js';
import { ProviderError } from '../providerError.js';
import { ProviderUnavailableError } from '../providerUnavailableError.js';
import { DestinationRefusedError } from '../http/destinationRefusedError.js';
import { tokenResponseSchema, type TokenResponse } from '../../core/oauth/tokenResponse.js';
import type { OAuthCredentials } from '../../core/oauth/oauthCredentials.js';

/** A provider's token endpoint and how its clients authenticate (RFC 6749 §2.3.1: Basic, or the body). */
export interface TokenEndpoint {
  url: string;
  grant: 'refresh_token' | 'client_credentials';
  clientAuthentication: 'basic' | 'body';
  scope?: string;
}

/** Below the refresh lease's duration, so a refresher that is still waiting never sees its lease taken over. */
const TOKEN_REQUEST_TIMEOUT_MS = 10_000;

/**
 * One token request (RFC 6749 §4.4, §6): a form-encoded POST through the outbound guard's
 * dispatcher. The provider refusing the grant or the client (400 `invalid_grant`, 401
 * `invalid_client`…) is an AuthError carrying its `error_description`: only new credentials help.
 */
export async function requestToken(endpoint: TokenEndpoint, credentials: OAuthCredentials, dispatcher: Dispatcher): Promise<TokenResponse> {
  const form = new URLSearchParams({ grant_type: endpoint.grant });
  if (endpoint.grant === 'refresh_token') {
    if (credentials.refreshToken === undefined) {
      throw new AuthError({ code: 'refresh_token_missing', message: 'OAuth refresh: the connection has no refresh token' });
    }
    form.set('refresh_token', credentials.refreshToken);
  }
  if (endpoint.scope !== undefined) form.set('scope', endpoint.scope);
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' };
  if (endpoint.clientAuthentication === 'basic') {
    // RFC 6749 §2.3.1: each part form-encoded before the Basic encoding.
    const pair = `${encodeURIComponent(credentials.clientId)}:${encodeURIComponent(credentials.clientSecret)}`;
    headers.authorization = `Basic ${Buffer.from(pair).toString('base64')}`;
  } else {
    form.set('client_id', credentials.clientId);
    form.set('client_secret', credentials.clientSecret);
  }
  let status: number;
  let text: string;
  try {
    const response = await request(endpoint.url, { method: 'POST', headers, body: form.toString(), dispatcher, signal: AbortSignal.timeout(TOKEN_REQUEST_TIMEOUT_MS) });
    status = response.statusCode;
    text = await response.body.text();
  } catch (error) {
    if (error instanceof DestinationRefusedError) throw error;
    const name = error instanceof Error ? error.name : 'Error';
    throw new ProviderUnavailableError({ code: name === 'TimeoutError' ? 'timeout' : 'network_error', message: `OAuth token request failed: ${name}` });
  }
  if (status === 200) return parseTokenResponse(text);
  throw refusalOf(status, text);
}

function parseTokenResponse(text: string): TokenResponse {
  const parsed = tokenResponseSchema.safeParse(parseJson(text));
  if (parsed.success) return parsed.data;
  const paths = parsed.error.issues.map((issue) => issue.path.join('.') || '(body)').join(', ');
  throw new ProviderError({ code: 'invalid_token_response', retriable: false, message: `OAuth token response does not match RFC 6749 §5.1 at ${paths}` });
}

/** RFC 6749 §5.2: `{error, error_description}`; 5xx and 429 are the provider's trouble, not the credentials'. */
function refusalOf(status: number, text: string): ProviderError {
  const body = parseJson(text) as { error?: unknown; error_description?: unknown } | undefined;
  const code = typeof body?.error === 'string' ? body.error : `http_${status}`;
  const description = typeof body?.error_description === 'string' ? `: ${body.error_description}` : '';
  const message = `OAuth token request refused with ${status} ${code}${description}`;
  if (status >= 500 || status === 429) return new ProviderUnavailableError({ status, code, message });
  return new AuthError({ status, code, message });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
