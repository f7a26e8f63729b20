import type { Claims } from '../core/access/entraClaims.js';

/** Verifies a bearer token (signature, issuer, audience, expiry) and returns its claims. */
export interface TokenVerifier {
  /** Throws InvalidTokenError for any token it does not accept. */
  verify(token: string): Promise<Claims>;
}
