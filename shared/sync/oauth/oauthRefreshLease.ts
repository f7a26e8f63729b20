import { ids } from '../../core/ids.js';
import { decideLease } from '../../core/executions/leaseDecision.js';
import type { OAuthRefreshLease } from '../../core/schemas/coordination/oauthRefreshLease.js';
import { PreconditionFailedError } from '../../ports/preconditionFailedError.js';
import { updateDocument } from '../documentUpdate.js';
import type { SyncDeps } from '../syncDeps.js';

/**
 * Longer than a token request may take (tokenEndpoint.ts times out at 10 s) plus saving its
 * answer, so a live refresher never loses the lease mid-refresh; a crashed one holds it no longer.
 */
export const REFRESH_LEASE_MS = 30_000;

/** Reads the lease on refreshing the connection's tokens (absent: nobody is refreshing). */
export function readRefreshLease(deps: SyncDeps, tenantId: string, connectionId: string): Promise<OAuthRefreshLease | undefined> {
  return deps.store.read<OAuthRefreshLease>('coordination', tenantId, ids.oauthRefreshLease(connectionId));
}

/** Takes the lease for `holder`; false when another holds it. The write is conditional on the ETag read, so two takers never both win. */
export function takeRefreshLease(deps: SyncDeps, tenantId: string, connectionId: string, holder: string): Promise<boolean> {
  const id = ids.oauthRefreshLease(connectionId);
  return updateDocument<OAuthRefreshLease, boolean>(deps, 'coordination', tenantId, id, (existing, nowMs) => {
    const decision = decideLease(existing, holder, nowMs, REFRESH_LEASE_MS);
    if (decision.kind === 'busy') return { result: false };
    const lease: OAuthRefreshLease = {
      id,
      tenantId,
      kind: 'oauth_refresh_lease',
      holder,
      // Always a fresh expiry, even when kept: the refresh about to start gets the whole duration.
      expiresAtMs: nowMs + REFRESH_LEASE_MS,
      ttl: Math.ceil((REFRESH_LEASE_MS * 2) / 1000),
    };
    return { result: true, next: lease };
  });
}

/** Lets the next refresher in at once instead of after the expiry. Idempotent: only the holder's own lease is deleted, by ETag. */
export async function releaseRefreshLease(deps: SyncDeps, tenantId: string, connectionId: string, holder: string): Promise<void> {
  const id = ids.oauthRefreshLease(connectionId);
  const existing = await deps.store.read<OAuthRefreshLease>('coordination', tenantId, id);
  if (existing?.holder !== holder) return;
  await deps.store.delete('coordination', tenantId, id, { ifMatch: existing._etag }).catch((error: unknown) => {
    if (!(error instanceof PreconditionFailedError)) throw error;
  });
}
