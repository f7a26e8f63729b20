import { decideLease, type LeaseState } from '../executions/leaseDecision.js';
import type { OAuthCredentials } from './oauthCredentials.js';

export interface TokenRefreshSituation {
  /** The connection's credentials as last read from Secrets. */
  credentials: Pick<OAuthCredentials, 'accessToken' | 'accessTokenExpiresAtMs' | 'accessTokenIssuedAtMs'>;
  /** The refresh lease document, if any. */
  lease: LeaseState | undefined;
  /** Who asks (one call of a token source: the lease is taken per call). */
  me: string;
  nowMs: number;
  /**
   * Refresh this long before the access token expires, so no call starts with a token about to
   * die; at most a quarter of the token's lifetime when its issue time is known (effectiveMarginMs).
   */
  marginMs: number;
  /** The access token the provider just answered 401 to: it is not used again. */
  rejectedToken?: string;
}

export type TokenRefreshPlan =
  /** The stored access token is good. */
  | { kind: 'use'; accessToken: string }
  /** Refresh: the lease is free, expired (a crashed refresher) or ours. */
  | { kind: 'refresh' }
  /** Another worker is refreshing: read its new token from Secrets in a moment, spend nothing. */
  | { kind: 'wait'; retryInMs: number };

/** How often a waiting worker looks for the refresher's new token; a refresh is one round trip. */
const WAIT_POLL_MS = 100;

/** The share of a token's lifetime the margin may take at most. */
const MAX_MARGIN_SHARE = 0.25;

/**
 * The margin for these credentials: a token living less than four margins (2-second test tokens,
 * a provider's 60-second ones against the 60-second default) would otherwise be refreshed on
 * every call, spending a refresh token each time; it gets a quarter of its lifetime instead.
 */
export function effectiveMarginMs(credentials: Pick<OAuthCredentials, 'accessTokenExpiresAtMs' | 'accessTokenIssuedAtMs'>, marginMs: number): number {
  const { accessTokenExpiresAtMs: expiresAt, accessTokenIssuedAtMs: issuedAt } = credentials;
  if (expiresAt === undefined || issuedAt === undefined || expiresAt <= issuedAt) return marginMs;
  return Math.min(marginMs, (expiresAt - issuedAt) * MAX_MARGIN_SHARE);
}

/**
 * Whether a worker may use the stored access token, must refresh it, or must wait for another
 * worker's refresh. Only the lease holder refreshes, so a single-use refresh token is spent once.
 */
export function planTokenRefresh(situation: TokenRefreshSituation, leaseMs: number): TokenRefreshPlan {
  const { credentials, nowMs } = situation;
  const token = credentials.accessToken;
  const fresh =
    token !== undefined &&
    token !== situation.rejectedToken &&
    (credentials.accessTokenExpiresAtMs === undefined || credentials.accessTokenExpiresAtMs - nowMs > effectiveMarginMs(credentials, situation.marginMs));
  if (fresh) return { kind: 'use', accessToken: token };
  const lease = decideLease(situation.lease, situation.me, nowMs, leaseMs);
  if (lease.kind === 'busy') return { kind: 'wait', retryInMs: Math.min(WAIT_POLL_MS, lease.freeInMs) };
  return { kind: 'refresh' };
}
