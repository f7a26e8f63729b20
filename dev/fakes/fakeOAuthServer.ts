import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';

export interface FakeOAuthServerOptions {
  clientId: string;
  clientSecret: string;
  /** Access token lifetime in seconds (fractions allowed), sent as `expires_in`. Default 3600. */
  accessTokenSeconds?: number;
  /** Every refresh returns a new refresh token and spends the old one (QuickBooks; Salesforce when set so). Default true. */
  rotateRefreshTokens?: boolean;
}

export interface FakeOAuthServer {
  url: string;
  /** `POST` form-encoded grants here (RFC 6749 §3.2). */
  tokenUrl: string;
  /** A protected resource: 200 for a live bearer token, 401 `invalid_token` otherwise (RFC 6750 §3.1). */
  resourceUrl: string;
  /** Starts a refresh token family, as the authorization-code step would; returns its refresh token. */
  issueRefreshToken(): string;
  /** Revokes every token (the user disconnected the app): the next refresh is `invalid_grant`. */
  revokeAll(): void;
  /** The family's live refresh token, if it is still alive. */
  liveRefreshToken(): string | undefined;
  /** Whether an access token was issued and is unexpired and unrevoked, counted as a resource call is: other fakes' `verifyBearer`. */
  isLiveAccessToken(token: string): boolean;
  readonly counts: { refreshes: number; clientCredentials: number; refusedGrants: number; authorizedCalls: number; unauthorizedCalls: number; revokedFamilies: number };
  close(): Promise<void>;
}

interface Family {
  live: string | undefined;
  spent: Set<string>;
  revoked: boolean;
}

/**
 * An OAuth 2 authorization server and protected resource on 127.0.0.1, behaving as real ones do:
 * client authentication by Basic or body parameters (401 `invalid_client` with
 * `WWW-Authenticate` when wrong), access tokens that expire, the refresh_token and
 * client_credentials grants, and rotating single-use refresh tokens. Reusing a spent refresh
 * token is `400 invalid_grant` and, as RFC 6819 §5.2.2.3 and the OAuth 2.0 Security BCP (§4.14.2)
 * recommend, revokes its whole family, the live token included: a double spend is then
 * impossible to miss, as at providers that do so.
 */
export async function startFakeOAuthServer(options: FakeOAuthServerOptions): Promise<FakeOAuthServer> {
  const lifetimeSeconds = options.accessTokenSeconds ?? 3600;
  const rotate = options.rotateRefreshTokens ?? true;
  const families = new Map<string, Family>();
  const familyOf = new Map<string, Family>();
  /** Live access tokens: when each expires, and the refresh family it came from (revoking the family revokes it too). */
  const accessTokens = new Map<string, { expiresAtMs: number; family?: Family }>();
  const counts = { refreshes: 0, clientCredentials: 0, refusedGrants: 0, authorizedCalls: 0, unauthorizedCalls: 0, revokedFamilies: 0 };
  let current: Family | undefined;

  const token = (prefix: string) => `${prefix}_${randomBytes(18).toString('base64url')}`;
  const issueAccessToken = (family?: Family) => {
    const accessToken = token('at');
    accessTokens.set(accessToken, { expiresAtMs: Date.now() + lifetimeSeconds * 1000, ...(family ? { family } : {}) });
    return accessToken;
  };

  const server = createServer((req, res) => {
    void handle(req, res).catch(() => send(res, 500, { error: 'server_error' }));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://fake').pathname;
    if (path === '/oauth/token' && req.method === 'POST') return grant(req, res);
    if (path === '/api/resource' && req.method === 'GET') return resource(req, res);
    send(res, 404, { error: 'not_found' });
  }

  async function grant(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!(req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) {
      return send(res, 400, { error: 'invalid_request', error_description: 'the body must be application/x-www-form-urlencoded' });
    }
    const form = new URLSearchParams(await readBody(req));
    const client = clientOf(req, form);
    if (client?.id !== options.clientId || client.secret !== options.clientSecret) {
      return send(res, 401, { error: 'invalid_client', error_description: 'client authentication failed' }, { 'www-authenticate': 'Basic realm="fake-oauth"' });
    }
    const grantType = form.get('grant_type');
    if (grantType === 'client_credentials') {
      counts.clientCredentials += 1;
      // RFC 6749 §4.4.3: no refresh token for this grant.
      return send(res, 200, { access_token: issueAccessToken(), token_type: 'Bearer', expires_in: lifetimeSeconds });
    }
    if (grantType !== 'refresh_token') return send(res, 400, { error: 'unsupported_grant_type', error_description: `grant_type ${grantType ?? '(none)'} is not supported` });
    const presented = form.get('refresh_token') ?? '';
    const family = familyOf.get(presented);
    if (!family || family.revoked || family.live !== presented) {
      counts.refusedGrants += 1;
      if (family && !family.revoked && family.spent.has(presented)) {
        family.revoked = true;
        counts.revokedFamilies += 1;
      }
      return send(res, 400, { error: 'invalid_grant', error_description: 'The refresh token is invalid, expired or revoked' });
    }
    counts.refreshes += 1;
    if (rotate) {
      family.spent.add(presented);
      family.live = token('rt');
      familyOf.set(family.live, family);
    }
    send(res, 200, { access_token: issueAccessToken(family), token_type: 'Bearer', expires_in: lifetimeSeconds, ...(rotate ? { refresh_token: family.live } : {}) });
  }

  function isLiveAccessToken(accessToken: string): boolean {
    const issued = accessTokens.get(accessToken);
    const live = issued !== undefined && issued.expiresAtMs > Date.now() && issued.family?.revoked !== true;
    if (live) counts.authorizedCalls += 1;
    else counts.unauthorizedCalls += 1;
    return live;
  }

  function resource(req: IncomingMessage, res: ServerResponse): void {
    const match = /^Bearer (\S+)$/i.exec(req.headers.authorization ?? '');
    if (!isLiveAccessToken(match?.[1] ?? '')) {
      return send(res, 401, { error: 'invalid_token' }, { 'www-authenticate': 'Bearer error="invalid_token", error_description="The access token expired or is invalid"' });
    }
    send(res, 200, { ok: true });
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('fake OAuth server: no TCP address');
  const url = `http://127.0.0.1:${address.port}`;
  return {
    url,
    tokenUrl: `${url}/oauth/token`,
    resourceUrl: `${url}/api/resource`,
    issueRefreshToken() {
      const refreshToken = token('rt');
      current = { live: refreshToken, spent: new Set(), revoked: false };
      families.set(refreshToken, current);
      familyOf.set(refreshToken, current);
      return refreshToken;
    },
    revokeAll() {
      for (const family of families.values()) family.revoked = true;
      accessTokens.clear();
    },
    liveRefreshToken: () => (current && !current.revoked ? current.live : undefined),
    isLiveAccessToken,
    counts,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** RFC 6749 §2.3.1: HTTP Basic (each part form-encoded first) or `client_id`/`client_secret` in the body. */
function clientOf(req: IncomingMessage, form: URLSearchParams): { id: string; secret: string } | undefined {
  const basic = /^Basic (\S+)$/i.exec(req.headers.authorization ?? '');
  if (basic) {
    const decoded = Buffer.from(basic[1] as string, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return undefined;
    const decode = (part: string) => decodeURIComponent(part.replaceAll('+', ' '));
    return { id: decode(decoded.slice(0, colon)), secret: decode(decoded.slice(colon + 1)) };
  }
  const id = form.get('client_id');
  const secret = form.get('client_secret');
  return id !== null && secret !== null ? { id, secret } : undefined;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers });
  res.end(JSON.stringify(body));
}
