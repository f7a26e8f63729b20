import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type JWK, type CryptoKey } from 'jose';

/** A token's claims beyond the standard ones the fake sets (`iss`, `aud`, `iat`, `nbf`, `exp`). */
export interface FakeTokenClaims {
  /** Object id; absent = a token without one. */
  oid?: string;
  roles?: string[];
  /** Written under the tenants claim name the fake was started with. */
  tenants?: string[];
  name?: string;
  [claim: string]: unknown;
}

export interface FakeTokenOptions {
  /** Seconds from now; negative = already expired. Default 3600. */
  expiresIn?: number;
  /** Seconds from now the token becomes valid. Default 0. */
  notBefore?: number;
  audience?: string;
  issuer?: string;
  /** Sign with a key the JWKS does not publish (a forgery). */
  foreignKey?: boolean;
}

export interface FakeEntraId {
  /** The issuer (`iss`) its tokens carry: `http://127.0.0.1:PORT/{tenant}/v2.0`. */
  issuer: string;
  /** Where its signing keys are published (JWKS). */
  jwksUrl: string;
  audience: string;
  tenantsClaim: string;
  /** How many times the JWKS was fetched (verifiers should cache it). */
  jwksRequests(): number;
  issueToken(claims: FakeTokenClaims, options?: FakeTokenOptions): Promise<string>;
  /** Publishes a new signing key (old ones stay published) and signs with it from now on. */
  rotateSigningKey(): Promise<void>;
  close(): Promise<void>;
}

interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
}

async function newSigningKey(): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  const kid = randomUUID();
  return { kid, privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid, use: 'sig', alg: 'RS256' } };
}

/**
 * Microsoft Entra ID's token side, on 127.0.0.1: RS256 access tokens shaped like Entra's v2.0
 * tokens (`oid`, `roles`, `tid`) and the JWKS that verifies them, with key rotation.
 */
export async function startFakeEntraId(options: { audience?: string; tenantsClaim?: string } = {}): Promise<FakeEntraId> {
  const directory = randomUUID();
  const keys: SigningKey[] = [await newSigningKey()];
  const foreign = await newSigningKey();
  let jwksRequests = 0;
  const server: Server = createServer((req, res) => {
    if (req.method === 'GET' && req.url === `/${directory}/discovery/v2.0/keys`) {
      jwksRequests += 1;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ keys: keys.map((key) => key.publicJwk) }));
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const issuer = `${base}/${directory}/v2.0`;
  const audience = options.audience ?? 'api://shardsync-test';
  const tenantsClaim = options.tenantsClaim ?? 'shardsync_tenants';

  return {
    issuer,
    jwksUrl: `${base}/${directory}/discovery/v2.0/keys`,
    audience,
    tenantsClaim,
    jwksRequests: () => jwksRequests,
    async issueToken(claims, tokenOptions = {}) {
      const key = tokenOptions.foreignKey ? foreign : keys[keys.length - 1]!;
      const { tenants, ...rest } = claims;
      const now = Math.floor(Date.now() / 1000);
      return new SignJWT({ ...rest, tid: directory, ver: '2.0', ...(tenants ? { [tenantsClaim]: tenants } : {}) })
        .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: key.kid })
        .setIssuer(tokenOptions.issuer ?? issuer)
        .setAudience(tokenOptions.audience ?? audience)
        .setIssuedAt(now)
        .setNotBefore(now + (tokenOptions.notBefore ?? 0))
        .setExpirationTime(now + (tokenOptions.expiresIn ?? 3600))
        .sign(key.privateKey);
    },
    async rotateSigningKey() {
      keys.push(await newSigningKey());
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
