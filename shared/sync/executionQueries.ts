import { z } from 'zod';
import type { Filter, Stored } from '../ports/store.js';
import { EXECUTION_STATUSES, type Counts, type Execution, type ExecutionPhase, type ExecutionStatus } from '../core/schemas/execution.js';
import type { Failure } from '../core/schemas/failure.js';
import { estimateProgress, phaseOf, recentThroughput } from '../core/executionProgress.js';
import type { ActivityEntry } from '../core/schemas/activity.js';
import type { SyncDeps } from './syncDeps.js';
import { requireTenant } from './tenants.js';
import { UnknownResourceError } from './useCaseErrors.js';
import { parseInput } from './zodIssues.js';
import { timeWindowParams, type Listing } from './resourceListing.js';

const LAST_ERRORS = 10;
/** The ETA's moving window: the pace of the last batches. */
const RECENT_BATCHES = 10;

export interface ExecutionView {
  id: string;
  taskId: string;
  connectionId: string;
  mode: string;
  /** Counts say what would have happened; no shard was written. */
  dryRun: boolean;
  retryOf: string | null;
  status: ExecutionStatus;
  /** Why a paused execution waits (operator, auth, confirmation); null otherwise. */
  pauseReason: string | null;
  phase: ExecutionPhase;
  counts: Counts;
  streams: Record<
    string,
    {
      counts: Counts;
      recordsTotal: number | null;
      pagesTotal: number | null;
      pagesDone: number;
      failedPages: number;
      failedBatches: number;
      /** Incremental runs: what changed since this instant was read; null = everything. */
      modifiedAfter: string | null;
    }
  >;
  percent: number;
  total: number | null;
  etaMs: number | null;
  eta: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  durationMs: number | null;
  lastErrors: Array<{ at: string; stage: string; errorClass: string; message: string; stream?: string; externalId?: string }>;
}

export function toExecutionView(execution: Execution, failures: Failure[], now: Date, pagesPerMs?: number): ExecutionView {
  const progress = estimateProgress(execution, now, pagesPerMs);
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
    phase: phaseOf(execution),
    counts: execution.counts,
    streams: Object.fromEntries(
      Object.values(execution.streams).map((s) => [
        s.stream,
        {
          counts: s.counts,
          recordsTotal: s.totalsKnown ? s.recordsTotal : null,
          pagesTotal: s.totalsKnown ? s.pagesTotal : null,
          pagesDone: s.pagesDone,
          failedPages: s.failedPages,
          failedBatches: s.failedBatches,
          modifiedAfter: s.modifiedAfter ?? null,
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
    lastErrors: failures.map((f) => ({
      at: f.createdAt,
      stage: f.stage,
      errorClass: f.errorClass,
      message: f.message,
      ...(f.stream ? { stream: f.stream } : {}),
      ...(f.payloadRef?.externalId ? { externalId: f.payloadRef.externalId } : {}),
    })),
  };
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
  return toExecutionView(execution, failures.items, deps.clock.now(), recentThroughput(recentBatches.items.map((entry) => entry.at)));
}

/** `since`/`until` bound the creation time. */
const executionFilters = timeWindowParams.extend({
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
  const input = parseInput(executionFilters, params, 'query');
  const filters: Filter[] = [{ path: 'kind', op: '=', value: 'execution' }];
  if (input.taskId) filters.push({ path: 'taskId', op: '=', value: input.taskId });
  if (input.status) filters.push({ path: 'status', op: '=', value: input.status });
  // createdAt is stored as UTC ISO text, which sorts and compares as time.
  if (input.since) filters.push({ path: 'createdAt', op: '>=', value: input.since });
  if (input.until) filters.push({ path: 'createdAt', op: '<', value: input.until });
  const page = await deps.store.query<Execution>(
    'executions',
    tenantId,
    { filters, orderBy: { path: 'createdAt', direction: 'desc' } },
    { maxItems: input.limit, continuationToken: input.continuationToken },
  );
  const now = deps.clock.now();
  return {
    items: page.items.map((execution: Stored<Execution>) => toExecutionView(execution, [], now)),
    continuationToken: page.continuationToken,
  };
}
