import { createHmac, randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody, sendJson } from './fakeSalesforceHttp.js';

export interface FakeSalesforceOAuthOptions {
  clientId: string;
  clientSecret: string;
  /** The connected app's refresh-token rotation: each refresh returns a new refresh token and spends the old one. Default false, as in Salesforce. */
  rotateRefreshTokens?: boolean;
}

export const organizationId = '00DDn00000000001AA';
export const userId = '005Dn00000000001AA';

/**
 * The org's sessions and Salesforce's token endpoint, `POST /services/oauth2/token`, for the
 * refresh_token grant. The answer has no `expires_in` (a Salesforce session lasts until it times
 * out or is revoked) and `signature` = base64(HMAC-SHA256(client secret, id + issued_at)).
 * Refusals are the OAuth `{error, error_description}` pairs Salesforce sends, all with 400.
 */
export class FakeSalesforceSessions {
  private readonly accessTokens = new Set<string>();
  private readonly refreshTokens = new Set<string>();
  readonly counts = { refreshes: 0, refusedGrants: 0 };

  constructor(private readonly options: FakeSalesforceOAuthOptions) {}

  issueAccessToken(): string {
    // Salesforce access tokens are the org id, `!`, then an opaque part.
    const token = `${organizationId.slice(0, 15)}!${randomBytes(36).toString('base64url')}`;
    this.accessTokens.add(token);
    return token;
  }

  issueRefreshToken(): string {
    const token = `5Aep${randomBytes(30).toString('base64url')}`;
    this.refreshTokens.add(token);
    return token;
  }

  isLive(accessToken: string): boolean {
    return this.accessTokens.has(accessToken);
  }

  /** Ends every session, as a timeout or an admin's revocation does: calls get INVALID_SESSION_ID. */
  expireAccessTokens(): void {
    this.accessTokens.clear();
  }

  /** The user revoked the app: refreshes get `invalid_grant` and sessions end. */
  revokeAll(): void {
    this.refreshTokens.clear();
    this.accessTokens.clear();
  }

  liveRefreshTokens(): string[] {
    return [...this.refreshTokens];
  }

  async grant(req: IncomingMessage, res: ServerResponse, baseUrl: string): Promise<void> {
    const isForm = (req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded');
    const form = new URLSearchParams(isForm ? await readBody(req) : '');
    const refuse = (error: string, description: string) => {
      this.counts.refusedGrants += 1;
      sendJson(res, 400, { error, error_description: description });
    };
    if (form.get('grant_type') !== 'refresh_token') return refuse('unsupported_grant_type', 'grant type not supported');
    const client = clientOf(req, form);
    if (client?.id !== this.options.clientId) return refuse('invalid_client_id', 'client identifier invalid');
    // Connected apps require the secret for the refresh flow by default.
    if (client.secret !== this.options.clientSecret) return refuse('invalid_client', 'invalid client credentials');
    const presented = form.get('refresh_token') ?? '';
    if (!this.refreshTokens.has(presented)) return refuse('invalid_grant', 'expired access/refresh token');
    this.counts.refreshes += 1;
    let rotated: string | undefined;
    if (this.options.rotateRefreshTokens === true) {
      this.refreshTokens.delete(presented);
      rotated = this.issueRefreshToken();
    }
    const id = `${baseUrl}/id/${organizationId}/${userId}`;
    const issuedAt = String(Date.now());
    sendJson(res, 200, {
      access_token: this.issueAccessToken(),
      ...(rotated === undefined ? {} : { refresh_token: rotated }),
      signature: createHmac('sha256', this.options.clientSecret).update(id + issuedAt).digest('base64'),
      scope: 'api refresh_token',
      instance_url: baseUrl,
      id,
      token_type: 'Bearer',
      issued_at: issuedAt,
    });
  }
}

/** `client_id`/`client_secret` in the body (what jsforce sends), or HTTP Basic. */
function clientOf(req: IncomingMessage, form: URLSearchParams): { id: string; secret?: string } | undefined {
  const basic = /^Basic (\S+)$/i.exec(req.headers.authorization ?? '');
  if (basic) {
    const decoded = Buffer.from(basic[1] as string, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    return colon < 0 ? undefined : { id: decoded.slice(0, colon), secret: decoded.slice(colon + 1) };
  }
  const id = form.get('client_id');
  const secret = form.get('client_secret');
  return id === null ? undefined : { id, ...(secret === null ? {} : { secret }) };
}
