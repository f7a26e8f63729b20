import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { FakeRestError } from './fakeRestApiHttp.js';

export interface FakeRestAuth {
  bearer?: string;
  apiKey?: string;
  verifyBearer?: (token: string) => boolean;
}

/** Hashing first gives equal lengths, so the comparison takes the same time whatever was sent. */
function sameSecret(presented: string, expected: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(presented), digest(expected));
}

/**
 * Throws 401 unless the request carries a credential `auth` allows. RFC 6750 §3.1: a request
 * with no credential gets a bare challenge, a wrong one `error="invalid_token"`. Neither the
 * message nor the challenge repeats what was sent.
 */
export function authenticate(req: IncomingMessage, auth: FakeRestAuth): void {
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '')?.[1];
  const apiKey = req.headers['x-api-key'];
  const presentedKey = typeof apiKey === 'string' ? apiKey : undefined;
  if (bearer !== undefined) {
    if (auth.bearer !== undefined && sameSecret(bearer, auth.bearer)) return;
    if (auth.verifyBearer?.(bearer) === true) return;
  }
  if (presentedKey !== undefined && auth.apiKey !== undefined && sameSecret(presentedKey, auth.apiKey)) return;
  const presented = bearer !== undefined || presentedKey !== undefined || req.headers.authorization !== undefined;
  throw new FakeRestError(
    401,
    'unauthorized',
    presented ? 'the access token or API key is invalid, expired or revoked' : 'authentication required: send a bearer token or an X-Api-Key header',
    {},
    { 'www-authenticate': presented ? 'Bearer realm="fake-rest-api", error="invalid_token"' : 'Bearer realm="fake-rest-api"' },
  );
}
