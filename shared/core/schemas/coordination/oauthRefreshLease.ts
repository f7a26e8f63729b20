import type { LeaseState } from '../../executions/leaseDecision.js';

/** The single-writer lease on refreshing one connection's OAuth tokens, in `coordination`. */
export interface OAuthRefreshLease extends LeaseState {
  id: string;
  tenantId: string;
  kind: 'oauth_refresh_lease';
  ttl: number;
}
