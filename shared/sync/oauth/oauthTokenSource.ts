import { setTimeout as sleep } from 'node:timers/promises';
import { ids } from '../../core/ids.js';
import type { AuthRefusal } from '../../core/schemas/execution.js';
import type { Connection } from '../../core/schemas/connection.js';
import { oauthCredentialsSchema, type OAuthCredentials } from '../../core/oauth/oauthCredentials.js';
import { credentialsAfterRefresh } from '../../core/oauth/tokenResponse.js';
import { planTokenRefresh } from '../../core/oauth/tokenRefreshPlan.js';
import type { LeaseState } from '../../core/executions/leaseDecision.js';
import { AuthError } from '../../connectors/authError.js';
import type { TokenSource } from '../../connectors/oauth/tokenSource.js';
import { requestToken, type TokenEndpoint } from '../../connectors/oauth/tokenEndpoint.js';
import { CredentialsMissingError } from '../credentialsMissingError.js';
import { authRefusalOf } from '../failures/authRefusal.js';
import type { SyncDeps } from '../syncDeps.js';
import { REFRESH_LEASE_MS, readRefreshLease, releaseRefreshLease, takeRefreshLease } from './oauthRefreshLease.js';

export interface OAuthTokenSourceOptions {
  /** Refresh this long before expiry (default 60 s). */
  marginMs?: number;
  /** Where a refused refresh is reported to have happened, for the `auth` pause it causes. */
  where: Pick<AuthRefusal, 'stage' | 'stream'>;
}

const DEFAULT_MARGIN_MS = 60_000;

/**
 * The OAuth 2 token source of one connection in one process, shared by its calls. Tokens live
 * in the connection's secret, shared by every worker and host; only the holder of the
 * connection's refresh lease refreshes, and saves what it got (the rotated refresh token first of
 * all) before anything uses it, so a single-use refresh token is spent once and never lost. The
 * others wait for the saved token. A refused refresh pauses the connection's runs for `auth` (CredentialsEvents.refused).
 * Nothing here is tied to a message: a redelivered page simply asks again and is given the
 * stored token, or refreshes once more under the lease.
 */
export function oauthTokenSource(
  deps: SyncDeps,
  connection: Pick<Connection, 'tenantId' | 'id' | 'secretRef'>,
  endpoint: TokenEndpoint,
  options: OAuthTokenSourceOptions,
): TokenSource {
  const marginMs = options.marginMs ?? DEFAULT_MARGIN_MS;
  /** What this process last read or saved: used while its access token is good, so a call costs no Secrets read. */
  let known: OAuthCredentials | undefined;

  const plan = (credentials: OAuthCredentials, lease: LeaseState | undefined, me: string, rejectedToken: string | undefined) =>
    planTokenRefresh({ credentials, lease, me, nowMs: deps.clock.now().getTime(), marginMs, ...(rejectedToken !== undefined ? { rejectedToken } : {}) }, REFRESH_LEASE_MS);

  async function obtain(rejected: string | undefined): Promise<string> {
    // One lease holder per call, not per token source: the calls of one process share this source
    // (connectorFor), and a holder's lease is its own to take again, so two of its calls holding
    // one holder id would both refresh, spending a single-use refresh token twice.
    const me = ids.newResource('tks');
    if (known) {
      const cached = plan(known, undefined, me, rejected);
      if (cached.kind === 'use') return cached.accessToken;
    }
    for (;;) {
      known = await readCredentials(deps, connection);
      const next = plan(known, await readRefreshLease(deps, connection.tenantId, connection.id), me, rejected);
      if (next.kind === 'use') return next.accessToken;
      if (next.kind === 'wait') {
        // Jittered, so waiting workers do not read Secrets in lockstep.
        await sleep(next.retryInMs * (0.5 + deps.random()));
        continue;
      }
      if (!(await takeRefreshLease(deps, connection.tenantId, connection.id, me))) continue;
      try {
        // Another worker may have refreshed between the read above and taking the lease.
        known = await readCredentials(deps, connection);
        const underLease = plan(known, undefined, me, rejected);
        if (underLease.kind === 'use') return underLease.accessToken;
        const refreshed = await refresh(known);
        known = refreshed;
        return refreshed.accessToken;
      } finally {
        await releaseRefreshLease(deps, connection.tenantId, connection.id, me);
      }
    }
  }

  async function refresh(credentials: OAuthCredentials): Promise<OAuthCredentials & { accessToken: string }> {
    let response;
    try {
      response = await requestToken(endpoint, credentials, deps.outbound.dispatcher);
    } catch (error) {
      if (error instanceof AuthError) await deps.credentialsEvents.refused(deps, connection.tenantId, connection.id, authRefusalOf(deps, error, options.where));
      throw error;
    }
    const refreshed = credentialsAfterRefresh(credentials, response, deps.clock.now().getTime());
    // Saved before anything uses it, while still holding the lease: a rotated refresh token is the
    // only valid one now, and the access token is what the other workers are waiting for.
    await deps.secrets.set(connection.secretRef, JSON.stringify(refreshed));
    return refreshed;
  }

  return { accessToken: () => obtain(undefined), afterUnauthorized: (rejected) => obtain(rejected) };
}

/** The connection's OAuth credentials from Secrets; missing or unreadable ones are as good as none (new credentials fix both). */
async function readCredentials(deps: SyncDeps, connection: Pick<Connection, 'id' | 'secretRef'>): Promise<OAuthCredentials> {
  const secret = await deps.secrets.get(connection.secretRef);
  if (secret === undefined) throw new CredentialsMissingError(connection.id);
  let parsed: unknown;
  try {
    parsed = JSON.parse(secret);
  } catch {
    throw new CredentialsMissingError(connection.id);
  }
  const credentials = oauthCredentialsSchema.safeParse(parsed);
  if (!credentials.success) throw new CredentialsMissingError(connection.id);
  return credentials.data;
}
