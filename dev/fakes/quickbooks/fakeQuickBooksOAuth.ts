import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { authenticationFailed, authorizationFailed } from './fakeQuickBooksFaults.js';
import { readText, sendJson } from './fakeQuickBooksHttp.js';

export interface QuickBooksTokenSet {
  token_type: 'bearer';
  access_token: string;
  expires_in: number;
  refresh_token: string;
  x_refresh_token_expires_in: number;
}

export interface FakeQuickBooksOAuthOptions {
  clientId: string;
  clientSecret: string;
  /** Access-token lifetime; Intuit's is 3,600 s. */
  accessTokenTtlSeconds?: number;
  /** Refresh-token lifetime; Intuit's is 100 days (8,726,400 s is what it reports). */
  refreshTokenTtlSeconds?: number;
}

interface Grant {
  realmId: string;
  expiresMs: number;
}

/**
 * Intuit's OAuth 2 token endpoint (`/oauth2/v1/tokens/bearer`): a form body, the client in HTTP
 * Basic auth, and refresh tokens that rotate: each refresh kills the one it used, so a second
 * worker refreshing with the same token gets `invalid_grant`, the classic lost-token failure.
 */
export class QuickBooksTokens {
  private readonly accessTokens = new Map<string, Grant>();
  private readonly refreshTokens = new Map<string, Grant>();
  private readonly codes = new Map<string, string>();
  /** Refreshes granted, and refused (a spent or unknown refresh token: a lost rotation). */
  readonly counts = { refreshes: 0, refusedGrants: 0 };
  private readonly accessTtl: number;
  private readonly refreshTtl: number;

  constructor(
    private readonly options: FakeQuickBooksOAuthOptions,
    private readonly clock: () => number,
  ) {
    this.accessTtl = options.accessTokenTtlSeconds ?? 3600;
    this.refreshTtl = options.refreshTokenTtlSeconds ?? 8_726_400;
  }

  /** A fresh token pair for a company, as the authorization-code exchange would give. */
  issue(realmId: string): QuickBooksTokenSet {
    const now = this.clock();
    const access = `eyJ${randomBytes(24).toString('base64url')}`;
    const refresh = `AB11${randomBytes(24).toString('base64url')}`;
    this.accessTokens.set(access, { realmId, expiresMs: now + this.accessTtl * 1000 });
    this.refreshTokens.set(refresh, { realmId, expiresMs: now + this.refreshTtl * 1000 });
    return { token_type: 'bearer', access_token: access, expires_in: this.accessTtl, refresh_token: refresh, x_refresh_token_expires_in: this.refreshTtl };
  }

  /** A one-time authorization code for the company, as the consent redirect would carry. */
  authorizationCode(realmId: string): string {
    const code = `AB11${randomBytes(16).toString('hex')}`;
    this.codes.set(code, realmId);
    return code;
  }

  /** Refresh tokens that would still be honoured. */
  liveRefreshTokens(): string[] {
    const now = this.clock();
    return [...this.refreshTokens].filter(([, grant]) => grant.expiresMs > now).map(([token]) => token);
  }

  /** Every access token issued so far is dead; refresh tokens live on. */
  expireAccessTokens(): void {
    for (const grant of this.accessTokens.values()) grant.expiresMs = 0;
  }

  /** Throws the gateway's 401 for a missing, unknown or expired token and its 403 for another company's. */
  authenticate(req: IncomingMessage, realmId: string): void {
    const token = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '')?.[1];
    if (token === undefined) throw authenticationFailed('Authorization header is missing or is not a bearer token');
    const grant = this.accessTokens.get(token);
    if (grant === undefined) throw authenticationFailed('Token invalid');
    if (grant.expiresMs <= this.clock()) throw authenticationFailed('Token expired');
    if (grant.realmId !== realmId) throw authorizationFailed();
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const form = new URLSearchParams(await readText(req));
    if (req.method !== 'POST') return sendJson(res, 405, { error: 'invalid_request' });
    if (!this.clientAuthenticated(req)) return sendJson(res, 401, { error: 'invalid_client' });
    const grantType = form.get('grant_type');
    if (grantType === 'refresh_token') {
      const presented = form.get('refresh_token') ?? '';
      const grant = this.refreshTokens.get(presented);
      this.refreshTokens.delete(presented);
      if (grant === undefined || grant.expiresMs <= this.clock()) {
        this.counts.refusedGrants += 1;
        return sendJson(res, 400, { error: 'invalid_grant' });
      }
      this.counts.refreshes += 1;
      return sendJson(res, 200, this.issue(grant.realmId), { 'cache-control': 'no-store' });
    }
    if (grantType === 'authorization_code') {
      const code = form.get('code') ?? '';
      const realmId = this.codes.get(code);
      this.codes.delete(code);
      if (realmId === undefined) return sendJson(res, 400, { error: 'invalid_grant' });
      return sendJson(res, 200, this.issue(realmId), { 'cache-control': 'no-store' });
    }
    return sendJson(res, 400, { error: 'unsupported_grant_type' });
  }

  private clientAuthenticated(req: IncomingMessage): boolean {
    const encoded = /^Basic\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '')?.[1];
    if (encoded === undefined) return false;
    const decoded = Buffer.from(encoded, 'base64').toString('utf8');
    return sameSecret(decoded, `${this.options.clientId}:${this.options.clientSecret}`);
  }
}

function sameSecret(presented: string, expected: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(presented), digest(expected));
}
