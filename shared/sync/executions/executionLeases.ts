import type { Stored } from '../../ports/store.js';
import { PreconditionFailedError } from '../../ports/preconditionFailedError.js';
import type { Execution } from '../../core/schemas/execution.js';
import type { Tenant } from '../../core/schemas/tenant.js';
import { decideLease } from '../../core/executions/leaseDecision.js';
import type { ExecutionLease } from '../../core/schemas/coordination/executionLease.js';
import { updateDocument } from '../documentUpdate.js';
import type { SyncDeps } from '../syncDeps.js';

/** Long enough to outlast a slow batch; renewed as the execution moves, so only a dead one loses it. */
const LEASE_MS = 10 * 60_000;

const taskLeaseId = (taskId: string) => `lease:task:${taskId}`;
const slotLeaseId = (slot: number) => `lease:tenant-slot:${slot}`;

/**
 * Concurrency limits, held as lease documents every worker shares: one execution per task at a
 * time, and at most `maxConcurrentExecutions` per tenant (numbered slots). A crashed holder's
 * lease simply expires. Returns false (holding nothing) when the execution must wait.
 */
export async function acquireExecutionLeases(deps: SyncDeps, execution: Execution): Promise<{ slot: number } | undefined> {
  const { tenantId, id } = execution;
  if (!(await holdLease(deps, tenantId, taskLeaseId(execution.taskId), id))) return undefined;
  const slots = await slotCount(deps, tenantId);
  for (let slot = 0; slot < slots; slot++) {
    if (await holdLease(deps, tenantId, slotLeaseId(slot), id)) return { slot };
  }
  await dropLease(deps, tenantId, taskLeaseId(execution.taskId), id);
  return undefined;
}

/** Keeps a running execution's leases from expiring (two reads; a write only when half the time is gone). */
export async function renewExecutionLeases(deps: SyncDeps, execution: Execution): Promise<void> {
  if (execution.slot === undefined) return;
  await holdLease(deps, execution.tenantId, taskLeaseId(execution.taskId), execution.id);
  await holdLease(deps, execution.tenantId, slotLeaseId(execution.slot), execution.id);
}

/** Frees what a finished execution held, so a waiting one can start. Idempotent. */
export async function releaseExecutionLeases(deps: SyncDeps, execution: Execution): Promise<void> {
  if (execution.slot === undefined) return;
  await dropLease(deps, execution.tenantId, taskLeaseId(execution.taskId), execution.id);
  await dropLease(deps, execution.tenantId, slotLeaseId(execution.slot), execution.id);
}

async function slotCount(deps: SyncDeps, tenantId: string): Promise<number> {
  const tenant = await deps.store.read<Tenant>('tenants', tenantId, tenantId);
  return tenant?.settings.limits?.maxConcurrentExecutions ?? 5;
}

/** Takes or keeps the lease for `holder`; false when someone else holds it. Races resolve by ETag. */
async function holdLease(deps: SyncDeps, tenantId: string, id: string, holder: string): Promise<boolean> {
  return updateDocument<ExecutionLease, boolean>(deps, 'coordination', tenantId, id, (existing, nowMs) => {
    const decision = decideLease(existing, holder, nowMs, LEASE_MS);
    if (decision.kind === 'busy') return { result: false };
    if (decision.kind === 'keep') return { result: true };
    const lease: ExecutionLease = { id, tenantId, kind: 'lease', holder, expiresAtMs: decision.expiresAtMs, ttl: Math.ceil((LEASE_MS * 2) / 1000) };
    return { result: true, next: lease };
  });
}

async function dropLease(deps: SyncDeps, tenantId: string, id: string, holder: string): Promise<void> {
  const existing: Stored<ExecutionLease> | undefined = await deps.store.read<ExecutionLease>('coordination', tenantId, id);
  if (existing?.holder !== holder) return;
  await deps.store.delete('coordination', tenantId, id, { ifMatch: existing._etag }).catch((error: unknown) => {
    if (!(error instanceof PreconditionFailedError)) throw error;
  });
}
