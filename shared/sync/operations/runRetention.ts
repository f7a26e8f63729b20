import type { ContainerName, Doc, Query } from '../../ports/store.js';
import type { Execution } from '../../core/schemas/execution.js';
import type { Tenant } from '../../core/schemas/tenant.js';
import { isExecutionExpired, retentionCutoffs } from '../../core/operations/retentionPlan.js';
import type { SyncDeps } from '../syncDeps.js';
import { recordActivity } from './activityLog.js';
import { registeredTenantIds } from '../tenants/registeredTenants.js';

/** Deletions per tenant per run: keeps one run short, whatever backlog a tenant has. */
const DEFAULT_MAX_DELETIONS_PER_TENANT = 1000;
const PAGE_SIZE = 100;

export interface RetentionSummary {
  tenants: number;
  /** `markers`: the documents an execution keeps beside itself (markers, parked messages). */
  deleted: { executions: number; markers: number; failures: number; activity: number };
  /** Work was left for the next run (a tenant's budget ran out, or a tenant failed). */
  more: boolean;
  /** Documents past their TTL removed from a store that only hides them (the embedded one). */
  purgedExpired: number;
}

/**
 * Removes, for every registered tenant, what its retention settings say has expired: finished
 * executions with their markers, failures and activity entries. Idempotent: deleting what is
 * already gone is fine, and a run that stops anywhere leaves nothing half-deleted that the next
 * run would not find again (markers go before their execution).
 */
export async function runRetention(
  deps: SyncDeps,
  options: { maxDeletionsPerTenant?: number } = {},
): Promise<RetentionSummary> {
  const summary: RetentionSummary = { tenants: 0, deleted: { executions: 0, markers: 0, failures: 0, activity: 0 }, more: false, purgedExpired: 0 };
  for await (const tenantId of registeredTenantIds(deps)) {
    try {
      const tenant = await deps.store.read<Tenant>('tenants', tenantId, tenantId);
      if (!tenant) continue;
      summary.tenants += 1;
      const result = await cleanTenant(deps, tenant, new Budget(options.maxDeletionsPerTenant ?? DEFAULT_MAX_DELETIONS_PER_TENANT));
      for (const kind of Object.keys(result.deleted) as Array<keyof RetentionSummary['deleted']>) summary.deleted[kind] += result.deleted[kind];
      summary.more ||= result.more;
    } catch (error) {
      // One tenant's failure must not stop retention for the others; the next run tries again.
      deps.log.error('retention failed for a tenant', { tenantId, error: error instanceof Error ? error.message : String(error) });
      summary.more = true;
    }
  }
  // Expired documents (pages, leases, webhook deliveries…) are invisible already; this frees their space.
  summary.purgedExpired = (await deps.store.purgeExpired?.()) ?? 0;
  return summary;
}

async function cleanTenant(deps: SyncDeps, tenant: Tenant, budget: Budget): Promise<Pick<RetentionSummary, 'deleted' | 'more'>> {
  const tenantId = tenant.id;
  const cutoffs = retentionCutoffs(tenant.settings.retention, deps.clock.now());
  const deleted = { executions: 0, markers: 0, failures: 0, activity: 0 };

  const finished: Query = {
    filters: [
      { path: 'kind', op: '=', value: 'execution' },
      { path: 'finishedAt', op: '<', value: cutoffs.executions.toISOString() },
    ],
    orderBy: { path: 'finishedAt', direction: 'asc' },
  };
  for await (const execution of documents<Execution>(deps, 'executions', tenantId, finished, budget)) {
    if (!isExecutionExpired(execution, cutoffs.executions)) continue;
    // The run's own bookkeeping: its markers, and a parked message a crash may have left. Not the
    // incremental cursors, which also name the run that last moved them but outlive it.
    for (const kind of ['marker', 'parked']) {
      const bookkeeping: Query = { filters: [{ path: 'executionId', op: '=', value: execution.id }, { path: 'kind', op: '=', value: kind }] };
      deleted.markers += await deleteAll(deps, 'executions', tenantId, bookkeeping, budget);
    }
    // Out of budget with markers left: the execution stays, so the next run finds its markers again.
    if (!budget.take()) break;
    if (await deps.store.delete('executions', tenantId, execution.id)) deleted.executions += 1;
  }

  deleted.failures += await deleteAll(deps, 'failures', tenantId, olderThan('createdAt', cutoffs.failures), budget);
  deleted.activity += await deleteAll(deps, 'activity', tenantId, olderThan('at', cutoffs.activity), budget);

  const total = deleted.executions + deleted.markers + deleted.failures + deleted.activity;
  if (total > 0) {
    await recordActivity(deps, {
      tenantId,
      actor: { type: 'system' },
      action: 'retention.applied',
      subject: { kind: 'tenant', id: tenantId },
      details: { ...deleted, more: budget.exhausted },
    });
  }
  return { deleted, more: budget.exhausted };
}

const olderThan = (path: string, cutoff: Date): Query => ({
  filters: [{ path, op: '<', value: cutoff.toISOString() }],
  orderBy: { path, direction: 'asc' },
});

/** Deletes every match within the budget; returns how many were actually there to delete. */
async function deleteAll<T extends Doc>(deps: SyncDeps, container: ContainerName, tenantId: string, query: Query, budget: Budget): Promise<number> {
  let deleted = 0;
  for await (const doc of documents<T>(deps, container, tenantId, query, budget)) {
    if (!budget.take()) break;
    if (await deps.store.delete(container, tenantId, doc.id)) deleted += 1;
  }
  return deleted;
}

/**
 * Every match, page by page. With a budget, a page asks for one more document than the budget
 * allows, so running out of budget is noticed exactly when something is left to delete.
 */
async function* documents<T extends Doc>(
  deps: SyncDeps,
  container: ContainerName,
  tenantId: string,
  query: Query,
  budget?: Budget,
): AsyncGenerator<T> {
  let continuationToken: string | undefined;
  do {
    if (budget?.exhausted) return;
    const maxItems = budget ? Math.min(PAGE_SIZE, budget.remaining + 1) : PAGE_SIZE;
    const page = await deps.store.query<T>(container, tenantId, query, { maxItems, ...(continuationToken ? { continuationToken } : {}) });
    yield* page.items;
    continuationToken = page.continuationToken;
  } while (continuationToken);
}

/** How many deletions a tenant may still make in this run. */
class Budget {
  exhausted = false;
  constructor(public remaining: number) {}

  /** Spends one deletion; false (and exhausted from then on) when there is none left. */
  take(): boolean {
    if (this.remaining === 0) this.exhausted = true;
    if (this.exhausted) return false;
    this.remaining -= 1;
    return true;
  }
}
