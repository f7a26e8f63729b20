import { z } from 'zod';
import type { Stored } from '../ports/store.js';
import { PreconditionFailedError } from '../ports/storeErrors.js';
import type { Failure } from '../core/schemas/failure.js';
import { TERMINAL_STATUSES, type Execution } from '../core/schemas/execution.js';
import { planFailureRetry } from '../core/failureRetryPlan.js';
import type { SyncDeps } from './syncDeps.js';
import type { ActivityEntry } from '../core/schemas/activity.js';
import { requireTenant } from './tenants.js';
import { parseInput } from './zodIssues.js';
import { failureFilters, failureQueryFilters } from './failureQueries.js';
import { requireDocument } from './resourceIdentity.js';
import { startExecution } from './startExecution.js';
import { StateConflictError } from './useCaseErrors.js';
import { recordActivity } from './activityLog.js';

const MAX_FAILURES_PER_RETRY = 1000;

export const retryRequest = failureFilters.omit({ status: true }).extend({
  /** Exactly these failures; otherwise every open failure matching the filters. */
  ids: z.array(z.string().min(1)).min(1).max(MAX_FAILURES_PER_RETRY).optional(),
}).strict();

export interface RetryResult {
  /** One new execution per task whose failures were retried. */
  executions: Array<{ executionId: string; taskId: string; statusUrl: string }>;
  retried: number;
}

/**
 * Re-sends failed work from the failure documents: per task, one new execution over just the
 * failed records (by external id), or the whole stream where a page failed. Each failure is then
 * marked `retried` with the execution that took it over, so retrying twice does not start twice.
 */
export async function retryFailures(deps: SyncDeps, tenantId: string, body: unknown, actor: ActivityEntry['actor'] = { type: 'operator' }): Promise<RetryResult> {
  await requireTenant(deps, tenantId);
  const request = parseInput(retryRequest, body);
  const failures = request.ids
    ? (await Promise.all(request.ids.map((id) => requireDocument<Failure>(deps, 'failures', 'failure', tenantId, id)))).filter((f) => f.status === 'open')
    : (await deps.store.query<Failure>('failures', tenantId, { filters: failureQueryFilters({ ...request, status: 'open' }) }, { maxItems: MAX_FAILURES_PER_RETRY })).items;
  return retryThese(deps, tenantId, failures, actor);
}

/** POST …/executions/{id}/retry: the open failures of a finished execution. */
export async function retryExecution(deps: SyncDeps, tenantId: string, executionId: string, actor: ActivityEntry['actor'] = { type: 'operator' }): Promise<RetryResult> {
  await requireTenant(deps, tenantId);
  const execution = await requireDocument<Execution>(deps, 'executions', 'execution', tenantId, executionId);
  if (!TERMINAL_STATUSES.has(execution.status)) {
    throw new StateConflictError(`cannot retry an execution that is ${execution.status}: let it finish or cancel it first`, { status: execution.status });
  }
  const failures = await deps.store.query<Failure>(
    'failures',
    tenantId,
    { filters: failureQueryFilters({ executionId, status: 'open' }) },
    { maxItems: MAX_FAILURES_PER_RETRY },
  );
  return retryThese(deps, tenantId, failures.items, actor);
}

async function retryThese(deps: SyncDeps, tenantId: string, failures: Array<Stored<Failure>>, actor: ActivityEntry['actor']): Promise<RetryResult> {
  const result: RetryResult = { executions: [], retried: 0 };
  for (const plan of planFailureRetry(failures)) {
    const { execution } = await startExecution(deps, tenantId, plan.taskId, plan.request, { retryOf: plan.retryOf, checkRateLimit: true });
    result.executions.push({ executionId: execution.id, taskId: plan.taskId, statusUrl: `/api/tenants/${tenantId}/executions/${execution.id}` });
    let retried = 0;
    for (const failure of failures.filter((f) => plan.failureIds.includes(f.id))) {
      if (await markRetried(deps, failure, execution.id)) retried += 1;
    }
    result.retried += retried;
    await recordActivity(deps, {
      tenantId,
      actor,
      action: 'failures.retried',
      subject: { kind: 'execution', id: execution.id },
      executionId: execution.id,
      taskId: plan.taskId,
      details: { retryOf: plan.retryOf, failures: retried },
    });
  }
  return result;
}

async function markRetried(deps: SyncDeps, failure: Stored<Failure>, executionId: string): Promise<boolean> {
  try {
    await deps.store.replace<Failure>(
      'failures',
      { ...failure, status: 'retried', retriedBy: executionId, retriedAt: deps.clock.now().toISOString() },
      { ifMatch: failure._etag },
    );
    return true;
  } catch (error) {
    // Someone else retried it at the same moment: theirs counts.
    if (error instanceof PreconditionFailedError) return false;
    throw error;
  }
}
