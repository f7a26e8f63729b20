import type { LeaseState } from '../../executions/leaseDecision.js';

/** A concurrency lease in `coordination`: one per task, and one per numbered slot of a tenant. */
export interface ExecutionLease extends LeaseState {
  id: string;
  tenantId: string;
  kind: 'lease';
  ttl: number;
}
