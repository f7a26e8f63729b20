import { createRemoteJWKSet, errors, jwtVerify, type JWTVerifyGetKey } from 'jose';
import type { Claims } from '../../core/access/entraClaims.js';
import type { TokenVerifier } from '../../ports/tokenVerifier.js';
import { InvalidTokenError } from '../../ports/invalidTokenError.js';

export interface EntraTokenVerifierOptions {
  /** Accepted `iss` values, e.g. `https://login.microsoftonline.com/{tenant}/v2.0` (and the v1 `https://sts.windows.net/{tenant}/`). */
  issuers: string[];
  /** Accepted `aud` values: the app's client id and/or its App ID URI. */
  audiences: string[];
  /** The issuer's signing keys, e.g. `https://login.microsoftonline.com/{tenant}/discovery/v2.0/keys`. */
  jwksUrl: string;
  /** Seconds of clock skew tolerated on `exp`/`nbf`. */
  clockToleranceSeconds?: number;
  /** Least time between two fetches of the keys, however many unknown `kid`s arrive. Default 30 s. */
  refetchCooldownMs?: number;
}

/**
 * Microsoft Entra ID access tokens, verified in code with `jose`: RS256 signature against the
 * issuer's JWKS (fetched once and cached by jose; an unknown `kid` refetches, at most every 30 s,
 * so key rotation needs no restart and forged kids cannot hammer the issuer), issuer, audience, expiry and not-before.
 */
export class EntraTokenVerifier implements TokenVerifier {
  readonly #keys: JWTVerifyGetKey;
  readonly #options: EntraTokenVerifierOptions;

  constructor(options: EntraTokenVerifierOptions) {
    this.#options = options;
    this.#keys = createRemoteJWKSet(new URL(options.jwksUrl), { cooldownDuration: options.refetchCooldownMs ?? 30_000, cacheMaxAge: 24 * 3600_000, timeoutDuration: 5_000 });
  }

  async verify(token: string): Promise<Claims> {
    try {
      const { payload } = await jwtVerify(token, this.#keys, {
        issuer: this.#options.issuers,
        audience: this.#options.audiences,
        algorithms: ['RS256'],
        clockTolerance: this.#options.clockToleranceSeconds ?? 60,
        requiredClaims: ['exp'],
      });
      return payload as Claims;
    } catch (error) {
      if (error instanceof errors.JOSEError) throw new InvalidTokenError(error.code);
      throw error;
    }
  }
}
