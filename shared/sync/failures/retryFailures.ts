import { z } from 'zod';
import type { Filter, Stored } from '../../ports/store.js';
import { BatchError } from '../../ports/batchError.js';
import { NotFoundError } from '../../ports/notFoundError.js';
import { PreconditionFailedError } from '../../ports/preconditionFailedError.js';
import type { Failure } from '../../core/schemas/failure.js';
import { TERMINAL_STATUSES, type Execution } from '../../core/schemas/execution.js';
import type { RetryResult } from '../../core/schemas/answers/retryResult.js';
import { planFailureRetry, type FailureRetryPlan, type RetryCandidate } from '../../core/executions/failureRetryPlan.js';
import type { SyncDeps } from '../syncDeps.js';
import type { ActivityEntry } from '../../core/schemas/activity.js';
import { requireTenant } from '../tenants/tenants.js';
import { parseInput } from '../parseInput.js';
import { failureFilters, failureQueryFilters } from '../queries/failureQueries.js';
import { requireDocument } from '../resources/resourceIdentity.js';
import { startExecution } from '../executions/startExecution.js';
import { StateConflictError } from '../stateConflictError.js';
import { TooManyRequestsError } from '../tooManyRequestsError.js';
import { UnknownResourceError } from '../unknownResourceError.js';
import { recordActivity } from '../operations/activityLog.js';
import { checkStartRateLimit } from '../operations/tenantRateLimit.js';

/** Failure ids one request may list: about 400 KB of JSON, well within the 1 MiB body limit. */
export const MAX_LISTED_FAILURES = 10_000;
/** Failures read per query page or point-read request. */
const READ_PAGE = 1000;
/** Failures marked per transactional batch (Cosmos DB takes at most 100 operations in one). */
const MARK_BATCH = 100;

export const retryRequest = failureFilters.omit({ status: true }).extend({
  /** Exactly these failures; otherwise every open failure matching the filters, however many. */
  ids: z.array(z.string().min(1)).min(1).max(MAX_LISTED_FAILURES).optional(),
}).strict();

type Actor = ActivityEntry['actor'];

/**
 * Re-sends failed work from the failure documents: per task, new executions over just the failed
 * records (by external id), or the whole stream where a page failed — as many as the records take
 * (see planFailureRetry). Each failure is then marked `retried` with the execution that took it
 * over, so retrying twice does not start twice.
 */
export async function retryFailures(deps: SyncDeps, tenantId: string, body: unknown, actor: Actor = { type: 'operator' }): Promise<RetryResult> {
  await requireTenant(deps, tenantId);
  const request = parseInput(retryRequest, body);
  await spendRetryBudget(deps, tenantId);
  if (request.ids) {
    const listed = await readListed(deps, tenantId, request.ids);
    const open = listed.filter((failure) => failure.status === 'open');
    return retryThese(deps, tenantId, open, actor, listed.length - open.length);
  }
  return retryThese(deps, tenantId, await openFailures(deps, tenantId, failureQueryFilters({ ...request, status: 'open' })), actor, 0);
}

/** POST …/executions/{id}/retry: every open failure of a finished execution. */
export async function retryExecution(deps: SyncDeps, tenantId: string, executionId: string, actor: Actor = { type: 'operator' }): Promise<RetryResult> {
  await requireTenant(deps, tenantId);
  const execution = await requireDocument<Execution>(deps, 'executions', 'execution', tenantId, executionId);
  if (!TERMINAL_STATUSES.has(execution.status)) {
    throw new StateConflictError(`cannot retry an execution that is ${execution.status}: let it finish or cancel it first`, { status: execution.status });
  }
  await spendRetryBudget(deps, tenantId);
  return retryThese(deps, tenantId, await openFailures(deps, tenantId, failureQueryFilters({ executionId, status: 'open' })), actor, 0);
}

/** Retries have a budget of their own (see StartBudget): one request counts once, however many runs it starts. */
async function spendRetryBudget(deps: SyncDeps, tenantId: string): Promise<void> {
  const limit = await checkStartRateLimit(deps, tenantId, 'retry');
  if (!limit.allowed) throw new TooManyRequestsError(`tenant "${tenantId}" asked for too many retries; try again later`, limit.retryAfterSeconds);
}

/** What a retry keeps of a failure: enough to plan and to notice it changed (not its message or payload). */
type Candidate = RetryCandidate & { _etag: string; status: Failure['status'] };

const candidateOf = ({ id, taskId, executionId, stream, payloadRef, _etag, status }: Stored<Failure>): Candidate => ({
  id,
  executionId,
  _etag,
  status,
  ...(taskId === undefined ? {} : { taskId }),
  ...(stream === undefined ? {} : { stream }),
  ...(payloadRef?.externalId === undefined ? {} : { payloadRef: { externalId: payloadRef.externalId } }),
});

/** Every matching failure, page after page: no cap. */
async function openFailures(deps: SyncDeps, tenantId: string, filters: Filter[]): Promise<Candidate[]> {
  const found: Candidate[] = [];
  let continuationToken: string | undefined;
  do {
    const page = await deps.store.query<Failure>('failures', tenantId, { filters }, { maxItems: READ_PAGE, ...(continuationToken ? { continuationToken } : {}) });
    found.push(...page.items.map(candidateOf));
    continuationToken = page.continuationToken;
  } while (continuationToken);
  return found;
}

/** The listed failures; an id that does not exist is a 404 naming it. */
async function readListed(deps: SyncDeps, tenantId: string, ids: string[]): Promise<Candidate[]> {
  const unique = [...new Set(ids)];
  const found = new Map<string, Candidate>();
  for (let start = 0; start < unique.length; start += READ_PAGE) {
    const read = await deps.store.readMany<Failure>('failures', tenantId, unique.slice(start, start + READ_PAGE));
    for (const [id, failure] of read) found.set(id, candidateOf(failure));
  }
  const missing = unique.find((id) => !found.has(id));
  if (missing !== undefined) throw new UnknownResourceError('failure', missing);
  return unique.map((id) => found.get(id)!);
}

async function retryThese(deps: SyncDeps, tenantId: string, failures: Candidate[], actor: Actor, notOpen: number): Promise<RetryResult> {
  const plans = planFailureRetry(failures);
  const planned = plans.reduce((sum, plan) => sum + plan.failureIds.length, 0);
  const result: RetryResult = { retried: 0, executions: [], skipped: { notOpen, withoutTask: failures.length - planned, takenByAnother: 0 } };
  const etags = new Map(failures.map((failure) => [failure.id, failure._etag]));
  for (const plan of plans) {
    const executionId = await startRetry(deps, tenantId, plan, actor);
    const marked = await markRetried(deps, tenantId, plan.failureIds, etags, executionId);
    result.executions.push({ executionId, taskId: plan.taskId, statusUrl: `/api/tenants/${tenantId}/executions/${executionId}`, failures: marked });
    result.retried += marked;
    result.skipped.takenByAnother += plan.failureIds.length - marked;
    if (marked > 0) {
      await recordActivity(deps, {
        tenantId,
        actor,
        action: 'failures.retried',
        subject: { kind: 'execution', id: executionId },
        executionId,
        taskId: plan.taskId,
        details: { retryOf: plan.retryOf, failures: marked },
      });
    }
  }
  return result;
}

/**
 * Starts the plan's run under its idempotency key, outside the automation start budget (the
 * request spent the retry budget). Idempotent: the same failures in the same state give the same
 * key, so a retry repeated before they were marked — clicked twice, or redelivered after a crash
 * between start and mark — finds this execution instead of starting another.
 */
async function startRetry(deps: SyncDeps, tenantId: string, plan: FailureRetryPlan, actor: Actor): Promise<string> {
  const { execution } = await startExecution(deps, tenantId, plan.taskId, { ...plan.request, idempotencyKey: plan.idempotencyKey }, { retryOf: plan.retryOf, actor });
  return execution.id;
}

/**
 * Marks the failures `retried` by the execution, each only if unchanged since it was read (its
 * ETag), in transactional batches. A failure another retry marked (or retention removed) meanwhile
 * is left out and the rest of its batch sent again: theirs counts. Returns how many were marked.
 */
async function markRetried(deps: SyncDeps, tenantId: string, failureIds: string[], etags: Map<string, string>, executionId: string): Promise<number> {
  let marked = 0;
  for (let start = 0; start < failureIds.length; start += MARK_BATCH) {
    const ids = failureIds.slice(start, start + MARK_BATCH);
    const current = await deps.store.readMany<Failure>('failures', tenantId, ids);
    let unchanged = ids.flatMap((id) => {
      const failure = current.get(id);
      return failure && failure._etag === etags.get(id) && failure.status === 'open' ? [failure] : [];
    });
    const retriedAt = deps.clock.now().toISOString();
    while (unchanged.length > 0) {
      try {
        await deps.store.batch(
          'failures',
          tenantId,
          unchanged.map(({ _etag, _ts: _t, ...failure }) => ({
            op: 'replace' as const,
            doc: { ...failure, status: 'retried' as const, retriedBy: executionId, retriedAt },
            ifMatch: _etag,
          })),
        );
        marked += unchanged.length;
        break;
      } catch (error) {
        if (!(error instanceof BatchError && (error.cause instanceof PreconditionFailedError || error.cause instanceof NotFoundError))) throw error;
        unchanged = unchanged.filter((_, index) => index !== error.operationIndex);
      }
    }
  }
  return marked;
}
