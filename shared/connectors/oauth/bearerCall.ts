import { AuthError } from '../authError.js';
import type { TokenSource } from './tokenSource.js';

/**
 * A provider call with the connection's access token, made once more with a new token when the
 * provider answers 401: a token can be revoked or expire early (clock skew, a provider that cut
 * its lifetime, Salesforce's that carry no expiry at all). The 401 arrives as an AuthError, or as
 * an answer `unauthorized` recognises (a connector that maps statuses itself afterwards). The
 * second answer is the provider's and goes to the caller.
 */
export async function bearerCall<T>(tokens: TokenSource, call: (accessToken: string) => Promise<T>, unauthorized: (answer: T) => boolean = () => false): Promise<T> {
  const token = await tokens.accessToken();
  let answer: T;
  try {
    answer = await call(token);
  } catch (error) {
    if (!(error instanceof AuthError) || error.status !== 401) throw error;
    return call(await tokens.afterUnauthorized(token));
  }
  return unauthorized(answer) ? call(await tokens.afterUnauthorized(token)) : answer;
}
