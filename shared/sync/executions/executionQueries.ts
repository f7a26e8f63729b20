import { z } from 'zod';
import type { Filter, Stored } from '../../ports/store.js';
import { EXECUTION_STATUSES, emptyCounts, type Execution } from '../../core/schemas/execution.js';
import type { ExecutionError, ExecutionView } from '../../core/schemas/answers/executionView.js';
import type { Failure } from '../../core/schemas/failure.js';
import type { Connection } from '../../core/schemas/connection.js';
import { estimateProgress, phaseOf, recentThroughput } from '../../core/executions/executionProgress.js';
import type { ActivityEntry } from '../../core/schemas/activity.js';
import type { SyncDeps } from '../syncDeps.js';
import { requireTenant } from '../tenants/tenants.js';
import { UnknownResourceError } from '../unknownResourceError.js';
import { parseInput } from '../parseInput.js';
import { timeWindowFilters, timeWindowParams, type Listing } from '../resourceListing.js';
import { runPageSize } from './runPageSize.js';

const LAST_ERRORS = 10;
/** The ETA's moving window: the pace of the last batches. */
const RECENT_BATCHES = 10;

/** `pageSize`: the records per page the run asks for (runPageSize). */
export function toExecutionView(execution: Execution, lastErrors: ExecutionError[], pageSize: number, now: Date, pagesPerMs?: number): ExecutionView {
  const progress = estimateProgress(execution, pageSize, now, pagesPerMs);
  const started = execution.startedAt ? Date.parse(execution.startedAt) : undefined;
  const ended = execution.finishedAt ? Date.parse(execution.finishedAt) : now.getTime();
  return {
    id: execution.id,
    taskId: execution.taskId,
    connectionId: execution.connectionId,
    mode: execution.mode,
    dryRun: execution.dryRun,
    retryOf: execution.retryOf ?? null,
    status: execution.status,
    pauseReason: execution.status === 'paused' ? (execution.pauseReason ?? null) : null,
    pauseDetail: execution.status === 'paused' && execution.pauseReason === 'auth' ? (execution.authRefusal ?? null) : null,
    quotaResetAt: execution.status === 'paused' && execution.pauseReason === 'quota' ? (execution.quotaExhaustion?.resetAt ?? null) : null,
    phase: phaseOf(execution),
    // Runs stored before a count existed (`deleted`) show it as 0.
    counts: { ...emptyCounts(), ...execution.counts },
    streams: Object.fromEntries(
      Object.values(execution.streams).map((s) => [
        s.stream,
        {
          counts: { ...emptyCounts(), ...s.counts },
          recordsTotal: s.totalsKnown ? s.recordsTotal : null,
          pagesTotal: s.totalsKnown ? s.pagesTotal : null,
          pagesDone: s.pagesDone,
          failedPages: s.failedPages,
          failedBatches: s.failedBatches,
          modifiedAfter: s.modifiedAfter ?? null,
          read: s.read ? { kind: s.read.kind, reason: s.read.kind === 'full' ? s.read.reason : null } : null,
        },
      ]),
    ),
    percent: progress.percent,
    total: progress.total,
    etaMs: progress.etaMs,
    eta: progress.etaMs === null ? null : new Date(now.getTime() + progress.etaMs).toISOString(),
    createdAt: execution.createdAt,
    startedAt: execution.startedAt ?? null,
    finishedAt: execution.finishedAt ?? null,
    durationMs: started === undefined ? null : ended - started,
    lastErrors,
  };
}

/** The newest failures (as queried: newest first) and the latest refusal of the credentials, merged by time. */
function lastErrorsOf(execution: Execution, failures: Failure[]): ExecutionError[] {
  const errors: ExecutionError[] = failures.map((f) => ({
    at: f.createdAt,
    stage: f.stage,
    errorClass: f.errorClass,
    message: f.message,
    ...(f.stream ? { stream: f.stream } : {}),
    ...(f.payloadRef?.externalId ? { externalId: f.payloadRef.externalId } : {}),
  }));
  const refusal = execution.authRefusal;
  if (refusal) {
    errors.push({
      at: refusal.at,
      stage: refusal.stage,
      errorClass: refusal.errorClass,
      message: refusal.message,
      ...(refusal.stream ? { stream: refusal.stream } : {}),
      ...(refusal.httpStatus !== undefined ? { httpStatus: refusal.httpStatus } : {}),
    });
  }
  return errors.sort((a, b) => Date.parse(b.at) - Date.parse(a.at)).slice(0, LAST_ERRORS);
}

export async function getExecution(deps: SyncDeps, tenantId: string, executionId: string): Promise<ExecutionView> {
  await requireTenant(deps, tenantId);
  const execution = await deps.store.read<Execution>('executions', tenantId, executionId);
  if (!execution || execution.kind !== 'execution') throw new UnknownResourceError('execution', executionId);
  const failures = await deps.store.query<Failure>(
    'failures',
    tenantId,
    { filters: [{ path: 'executionId', op: '=', value: executionId }], orderBy: { path: 'createdAt', direction: 'desc' } },
    { maxItems: LAST_ERRORS },
  );
  const recentBatches =
    execution.status === 'running'
      ? await deps.store.query<ActivityEntry>(
          'activity',
          tenantId,
          { filters: [{ path: 'executionId', op: '=', value: executionId }, { path: 'action', op: '=', value: 'batch.processed' }], orderBy: { path: 'at', direction: 'desc' } },
          { maxItems: RECENT_BATCHES },
        )
      : { items: [] };
  const pageSize = await pageSizesOf(deps, tenantId, [execution]);
  return toExecutionView(execution, lastErrorsOf(execution, failures.items), pageSize(execution), deps.clock.now(), recentThroughput(recentBatches.items.map((entry) => entry.at)));
}

/** `since`/`until` bound the creation time. */
export const executionListQuery = timeWindowParams.extend({
  taskId: z.string().min(1).optional(),
  status: z.enum(EXECUTION_STATUSES).optional(),
});

/** Newest first; filter by task and status. Errors are left to the single-execution view. */
export async function listExecutions(
  deps: SyncDeps,
  tenantId: string,
  params: Record<string, string | undefined>,
): Promise<Listing<ExecutionView>> {
  await requireTenant(deps, tenantId);
  const input = parseInput(executionListQuery, params, 'query');
  const filters: Filter[] = [{ path: 'kind', op: '=', value: 'execution' }];
  if (input.taskId) filters.push({ path: 'taskId', op: '=', value: input.taskId });
  if (input.status) filters.push({ path: 'status', op: '=', value: input.status });
  filters.push(...timeWindowFilters('createdAt', input));
  const page = await deps.store.query<Execution>(
    'executions',
    tenantId,
    { filters, orderBy: { path: 'createdAt', direction: 'desc' } },
    { maxItems: input.limit, continuationToken: input.continuationToken },
  );
  const pageSize = await pageSizesOf(deps, tenantId, page.items);
  const now = deps.clock.now();
  return {
    items: page.items.map((execution: Stored<Execution>) => toExecutionView(execution, [], pageSize(execution), now)),
    continuationToken: page.continuationToken,
  };
}

/**
 * The records per page each run asks for: recorded when it started. Runs started before that was
 * recorded are worked out from their connection's provider, one point read per connection among
 * them; one whose connection cannot be read is taken at its batch size.
 */
async function pageSizesOf(deps: SyncDeps, tenantId: string, executions: readonly Execution[]): Promise<(execution: Execution) => number> {
  const connectionIds = [...new Set(executions.filter((execution) => execution.pageSize === undefined).map((execution) => execution.connectionId))];
  const connections = await Promise.all(connectionIds.map((id) => deps.store.read<Connection>('connections', tenantId, id)));
  const byId = new Map(connections.flatMap((connection) => (connection ? [[connection.id, connection] as const] : [])));
  return (execution) => {
    if (execution.pageSize !== undefined) return execution.pageSize;
    const connection = byId.get(execution.connectionId);
    return connection ? runPageSize(deps, execution, connection) : execution.batchSize;
  };
}
