import { AuthError } from '../authError.js';
import type { TokenSource } from './tokenSource.js';

/**
 * A provider call with the connection's access token, retried once with a new token when the
 * provider answers 401: a token can be revoked or expire early (clock skew, a provider that cut
 * its lifetime). A second 401 is the provider's answer and goes to the caller.
 */
export async function bearerCall<T>(tokens: TokenSource, call: (accessToken: string) => Promise<T>): Promise<T> {
  const token = await tokens.accessToken();
  try {
    return await call(token);
  } catch (error) {
    if (!(error instanceof AuthError) || error.status !== 401) throw error;
    return call(await tokens.afterUnauthorized(token));
  }
}
