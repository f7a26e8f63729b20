import type { Stored } from '../../ports/store.js';
import { ConflictError } from '../../ports/conflictError.js';
import { emptyCounts, startExecutionInput, type Execution, type StreamCursor, type StreamProgress, type ConnectorState } from '../../core/schemas/execution.js';
import { readFrom } from '../../core/executions/incrementalCursor.js';
import { planStreamRead, type StreamRead } from '../../core/executions/streamRead.js';
import type { SyncStartMessage } from '../../core/schemas/messages.js';
import { ids } from '../../core/ids.js';
import { messageIds } from '../../core/messageIds.js';
import type { SyncDeps } from '../syncDeps.js';
import { requireTenant } from '../tenants/tenants.js';
import { requireSyncTask } from '../resources/syncTasks.js';
import { StateConflictError } from '../stateConflictError.js';
import { requireConnection } from '../resources/connections.js';
import { runPageSize } from './runPageSize.js';
import { InvalidInputError } from '../invalidInputError.js';
import { TooManyRequestsError } from '../tooManyRequestsError.js';
import { checkStartRateLimit } from '../operations/tenantRateLimit.js';
import { recordActivity } from '../operations/activityLog.js';
import type { ActivityEntry } from '../../core/schemas/activity.js';
import { parseInput } from '../parseInput.js';

/** For tasks saved before the overlap was a task default. */
const DEFAULT_OVERLAP_MS = 5_000;

const newStreamProgress = (
  stream: string,
  schemaId: string,
  dependsOn: string[],
  baseline: number,
  modifiedAfter: string | undefined,
  read: StreamRead,
  state: unknown,
): StreamProgress => ({
  stream,
  schemaId,
  dependsOn,
  started: 0,
  baseline,
  ...(modifiedAfter ? { modifiedAfter } : {}),
  // Only an incremental read starts from the connector's state; a full read starts from nothing.
  ...(read.kind === 'incremental' && state !== undefined ? { state } : {}),
  read,
  totalsKnown: 0,
  pagesTotal: 0,
  recordsTotal: 0,
  pagesFetched: 0,
  pagesDone: 0,
  failedPages: 0,
  failedBatches: 0,
  counts: emptyCounts(),
});

/**
 * Accepts a run of a task: stores it as `queued` and asks `sync-start` to run it.
 * With an idempotencyKey the execution id is derived from it, so a repeated request finds the
 * first execution (create → 409 → read) and only re-sends its start message, which the bus
 * de-duplicates by message id.
 */
export async function startExecution(
  deps: SyncDeps,
  tenantId: string,
  taskId: string,
  body: unknown,
  origin: {
    retryOf?: string;
    /** Requests from the API count against the tenant's start rate limit. */
    checkRateLimit?: boolean;
    actor?: ActivityEntry['actor'];
    /** Webhook runs: streams whose records the window's deliveries carried whole (read from there, not fetched). */
    delivered?: Execution['delivered'];
  } = {},
): Promise<{ execution: Stored<Execution>; created: boolean }> {
  await requireTenant(deps, tenantId);
  const task = await requireSyncTask(deps, tenantId, taskId);
  if (task.direction === 'outbound') {
    throw new StateConflictError(`task ${taskId} is outbound: it writes shards to its connection (POST …/tasks/${taskId}/push), it does not read from it`, { direction: task.direction });
  }
  const input = parseInput(startExecutionInput, body);
  if (origin.checkRateLimit) {
    const limit = await checkStartRateLimit(deps, tenantId);
    if (!limit.allowed) {
      throw new TooManyRequestsError(`tenant "${tenantId}" started too many executions; try again later`, limit.retryAfterSeconds);
    }
  }
  const taskStreams = new Map(task.streams.map((entry) => [entry.stream, entry.schemaId]));
  const selected = input.streams ?? [...taskStreams.keys()];
  const unknown = selected
    .map((stream, index) => ({ stream, index }))
    .filter(({ stream }) => !taskStreams.has(stream))
    .map(({ stream, index }) => ({ path: `streams.${index}`, message: `task "${taskId}" has no stream "${stream}"` }));
  const idStreams = Object.keys(input.ids ?? {})
    .filter((stream) => !selected.includes(stream))
    .map((stream) => ({ path: `ids.${stream}`, message: `"${stream}" is not one of the streams of this run` }));
  const deletedOutsideIds = Object.entries(input.deletedIds ?? {}).flatMap(([stream, deleted]) =>
    deleted.flatMap((id, index) => (input.ids?.[stream]?.includes(id) ? [] : [{ path: `deletedIds.${stream}.${index}`, message: `must be one of ids.${stream}` }])),
  );
  if (unknown.length + idStreams.length + deletedOutsideIds.length > 0) throw new InvalidInputError([...unknown, ...idStreams, ...deletedOutsideIds]);

  const connection = await requireConnection(deps, tenantId, task.connectionId);
  const streamInfos = new Map(deps.providers.streamsOf(connection).map((s) => [s.name, s]));
  const lastFull = await lastFullRead(deps, tenantId, taskId);
  const cursors = input.mode === 'incremental' ? await streamCursors(deps, tenantId, task.connectionId, selected) : new Map<string, string>();
  const ownedStates = input.mode === 'incremental'
    ? await connectorStates(deps, tenantId, task.connectionId, selected.filter((stream) => streamInfos.get(stream)?.connectorState))
    : new Map<string, unknown>();
  const id = input.idempotencyKey
    ? ids.executionFromIdempotencyKey(tenantId, taskId, input.idempotencyKey)
    : ids.newExecution();
  const execution: Execution = {
    id,
    tenantId,
    kind: 'execution',
    taskId,
    connectionId: task.connectionId,
    mode: input.mode,
    status: 'queued',
    ...(input.idempotencyKey ? { idempotencyKey: input.idempotencyKey } : {}),
    batchSize: input.batchSize ?? task.defaults.batchSize,
    pageSize: runPageSize(deps, { batchSize: input.batchSize ?? task.defaults.batchSize }, connection),
    dryRun: input.dryRun,
    options: {
      ...task.defaults,
      ...Object.fromEntries(Object.entries({
        interBatchDelayMs: input.interBatchDelayMs,
        maxRetries: input.maxRetries,
        rateLimit: input.rateLimit,
        conflictStrategy: input.conflictStrategy,
        maxRecords: input.maxRecords,
        maxChangeShare: input.maxChangeShare,
      }).filter(([, value]) => value !== undefined)),
      maxRetries: input.maxRetries ?? task.defaults.maxRetries,
      interBatchDelayMs: input.interBatchDelayMs ?? task.defaults.interBatchDelayMs,
    },
    ...(input.ids ? { ids: input.ids } : {}),
    ...(input.deletedIds ? { deletedIds: input.deletedIds } : {}),
    ...(input.filters ? { filters: input.filters } : {}),
    ...(origin.retryOf ? { retryOf: origin.retryOf } : {}),
    ...(origin.delivered ? { delivered: origin.delivered } : {}),
    streams: Object.fromEntries(
      [...new Set(selected)].map((stream) => [
        stream,
        newStreamProgress(
          stream,
          taskStreams.get(stream)!,
          (streamInfos.get(stream)?.dependsOn ?? []).filter((d) => selected.includes(d)),
          // A run restricted to ids changes only records named one by one (webhooks, retries): no bulk check.
          input.ids?.[stream] !== undefined ? 0 : baselineOf(lastFull, stream),
          // Records named by id are read whatever their modified time: one unchanged since the cursor would look deleted.
          input.ids?.[stream] !== undefined ? undefined : readFrom(cursors.get(stream), task.defaults.incrementalOverlapMs ?? DEFAULT_OVERLAP_MS),
          planStreamRead({
            mode: input.mode,
            restricted: input.ids?.[stream] !== undefined,
            // A connector that owns the stream's state reads the changes since it itself.
            ...(streamInfos.get(stream)?.connectorState
              ? { cursor: ownedStates.get(stream), serverFiltersModified: true }
              : { cursor: cursors.get(stream), serverFiltersModified: streamInfos.get(stream)?.serverFiltersModified ?? false }),
          }),
          ownedStates.get(stream),
        ),
      ]),
    ),
    counts: emptyCounts(),
    createdAt: deps.clock.now().toISOString(),
  };

  let stored: Stored<Execution>;
  let created = true;
  try {
    stored = await deps.store.create('executions', execution);
  } catch (error) {
    if (!(error instanceof ConflictError)) throw error;
    stored = (await deps.store.read<Execution>('executions', tenantId, id))!;
    created = false;
  }
  if (created) {
    await recordActivity(deps, {
      tenantId,
      key: `execution.queued:${id}`,
      actor: origin.actor ?? { type: 'system' },
      action: 'execution.queued',
      subject: { kind: 'execution', id },
      executionId: id,
      taskId,
      details: { streams: Object.keys(execution.streams), dryRun: input.dryRun, ...(origin.retryOf ? { retryOf: origin.retryOf } : {}) },
    });
  }
  if (stored.status === 'queued') {
    const message: SyncStartMessage = { tenantId, executionId: id };
    await deps.bus.publish('sync-start', [
      { body: message, messageId: messageIds.start(id), applicationProperties: { tenantId, executionId: id } },
    ]);
  }
  return { execution: stored, created };
}

/**
 * The task's last successful unrestricted full read: the only kind of run that counted every
 * record of its streams. An incremental or webhook run since then counted only what changed, and
 * taking its figures as the streams' size would switch bulk safety off.
 */
async function lastFullRead(deps: SyncDeps, tenantId: string, taskId: string): Promise<Execution | undefined> {
  const page = await deps.store.query<Execution>(
    'executions',
    tenantId,
    {
      filters: [
        { path: 'kind', op: '=', value: 'execution' },
        { path: 'taskId', op: '=', value: taskId },
        { path: 'status', op: '=', value: 'success' },
        { path: 'dryRun', op: '=', value: false },
        { path: 'mode', op: '=', value: 'full' },
        { path: 'ids', op: 'defined', defined: false },
      ],
      orderBy: { path: 'createdAt', direction: 'desc' },
    },
    { maxItems: 1 },
  );
  return page.items[0];
}

/** How many records a stream had when it last synced fully (a run restricted to ids says nothing about the whole). */
function baselineOf(execution: Execution | undefined, stream: string): number {
  const progress = execution?.streams[stream];
  if (!progress || execution?.ids) return 0;
  return progress.counts.created + progress.counts.updated + progress.counts.unchanged + (progress.counts.merged ?? 0);
}

/** The incremental states the connector owns for these streams; a stream without one is read in full. */
async function connectorStates(deps: SyncDeps, tenantId: string, connectionId: string, streams: string[]): Promise<Map<string, unknown>> {
  if (streams.length === 0) return new Map();
  const found = await deps.store.readMany<ConnectorState>('executions', tenantId, streams.map((stream) => ids.connectorState(connectionId, stream)));
  return new Map([...found.values()].map((doc) => [doc.stream, doc.state]));
}

/** The streams' incremental cursors; a stream without one is read in full. */
async function streamCursors(deps: SyncDeps, tenantId: string, connectionId: string, streams: string[]): Promise<Map<string, string>> {
  const cursors = new Map<string, string>();
  for (const stream of streams) {
    const cursor = await deps.store.read<StreamCursor>('executions', tenantId, ids.cursor(connectionId, stream));
    if (cursor) cursors.set(stream, cursor.value);
  }
  return cursors;
}
