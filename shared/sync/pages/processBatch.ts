import { TERMINAL_STATUSES, type Counts, type Execution } from '../../core/schemas/execution.js';
import type { StoredPage, SyncBatchMessage } from '../../core/schemas/messages.js';
import type { ConversionSchema } from '../../core/schemas/conversionSchema.js';
import type { Failure } from '../../core/schemas/failure.js';
import { decideLinkWait } from '../../core/executions/linkWait.js';
import { ids } from '../../core/ids.js';
import { messageIds } from '../../core/messageIds.js';
import type { SyncDeps } from '../syncDeps.js';
import { requireConnection } from '../resources/connections.js';
import { countOnce, streamIncrements } from '../executions/executionCounters.js';
import { advanceExecution } from '../executions/advanceExecution.js';
import { applyShardPlans, planShards } from './shardWriter.js';
import { BULK_SAFETY_MIN_BASELINE, exceedsBulkChangeLimit } from '../../core/executions/bulkSafety.js';
import { latestModified } from '../../core/executions/incrementalCursor.js';
import { applyExecutionEvent } from '../executions/executionLifecycle.js';
import { transformBatch } from '../../core/executions/batchTransform.js';
import type { IncomingRecord, RecordWritePlan } from '../../core/executions/shardWritePlan.js';
import type { Shard } from '../../core/schemas/shard.js';
import { queueOutboundWriteBacks } from '../bidirectional/outboundWriteBacks.js';
import { compileConversion } from '../resources/compileConversion.js';
import { parkMessage } from '../executions/parkedMessages.js';
import { recordActivity } from '../operations/activityLog.js';
import { dedupeRulesFor, type RuleSetInUse } from '../entityResolution/shardMerges.js';
import { finishReconciled, reconcileInbound } from '../bidirectional/inboundReconcile.js';
import type { SyncTask } from '../../core/schemas/syncTask.js';
import { conflictResolution } from '../../core/conflicts/resolutionStrategy.js';
import { storeFailure } from '../failures/storeFailure.js';
import { closeRecordFailures, indexRecordFailures, type RecordFailureRef } from '../failures/recordFailureIndex.js';
import { inSpan } from '../../observability/invocationSpan.js';
import { countRecordsProcessed } from '../../observability/syncMetrics.js';

/**
 * `sync-batch`: transform → de-duplicate on the external id → write shards → count.
 * Counters move once per batch: the batch marker is written in the same transaction as the
 * increments, and every write before it is idempotent, so a redelivered batch rewrites nothing
 * new and counts nothing twice.
 */
export async function processBatch(deps: SyncDeps, message: SyncBatchMessage, delivery: { messageId: string }): Promise<void> {
  const { tenantId, executionId, stream, page } = message;
  const markerId = ids.batchMarker(executionId, stream, page);
  if (await deps.store.read('executions', tenantId, markerId)) {
    await advanceExecution(deps, tenantId, executionId);
    return;
  }
  const execution = await deps.store.read<Execution>('executions', tenantId, executionId);
  const progress = execution?.streams[stream];
  if (!execution || !progress || TERMINAL_STATUSES.has(execution.status)) return;
  if (execution.status === 'paused') return parkMessage(deps, tenantId, executionId, 'sync-batch', delivery.messageId, message);

  const pageId = ids.page(executionId, stream, page);
  const records = message.records ?? (await deps.store.read<StoredPage>('pages', tenantId, pageId))?.records;
  if (!records) throw new Error(`page ${page} of ${stream} for execution ${executionId} is missing`);
  const schema = await deps.store.read<ConversionSchema>('schemas', tenantId, progress.schemaId);
  if (!schema) throw new Error(`schema "${progress.schemaId}" of stream ${stream} no longer exists`);
  const connection = await requireConnection(deps, tenantId, execution.connectionId);
  const streamInfo = deps.providers.streamOf(connection, stream);
  if (!streamInfo) throw new Error(`provider ${connection.provider} has no stream ${stream}`);

  const { transform, parentsOf, linkWait } = compileConversion(deps, schema);
  const batchKey = `${executionId}:${stream}:${page}`;
  const counts: Partial<Counts> = { created: 0, updated: 0, unchanged: 0, merged: 0, failed: 0 };
  const now = deps.clock.now().toISOString();

  const source = {
    connectionId: connection.id,
    stream,
    idField: streamInfo.idField,
    modifiedField: streamInfo.modifiedField,
    ...(streamInfo.versionField !== undefined ? { versionField: streamInfo.versionField } : {}),
    ...(execution.delivered?.streams.includes(stream) ? { delivered: true } : {}),
  };
  const { converted: valid, rejected } = await transformBatch(records, { transform, parentsOf }, source);
  counts.failed = rejected.length;
  const failedRecords: RecordFailureRef[] = [];
  for (const { index, externalId, details } of rejected) {
    const failure: Failure = {
      id: ids.failure(executionId, stream, externalId ?? `page${page}#${index}`),
      tenantId,
      executionId,
      taskId: execution.taskId,
      stream,
      stage: 'transform',
      errorClass: 'ValidationError',
      message: details.map((d) => `${d.path}: ${d.message}`).join('; '),
      payloadRef: { ...(message.records ? { queue: 'sync-batch' } : { container: 'pages', id: pageId }), ...(externalId ? { externalId } : {}) },
      details,
      attempts: 1,
      status: 'open',
      createdAt: now,
    };
    // Deterministic id: a redelivered batch rewrites the same failure.
    await storeFailure(deps, failure);
    if (externalId !== undefined) failedRecords.push({ connectionId: connection.id, stream, externalId, failureId: failure.id });
  }
  await indexRecordFailures(deps, tenantId, failedRecords);
  const task = await deps.store.read<SyncTask>('tasks', tenantId, execution.taskId);
  const reconciled = task?.direction === 'bidirectional' ? await reconcileInbound(deps, tenantId, withRunStrategy(task, execution), valid) : undefined;
  const planned = await planShards(deps, tenantId, valid, batchKey, await rulesOf(deps, tenantId, valid));
  const wait = execution.dryRun ? { kind: 'link' as const } : decideLinkWait(planned.missingParents.size, message.linkWaits ?? 0, linkWait, deps.random);
  if (wait.kind === 'wait') {
    // Nothing of this batch is written or counted: the same batch comes back later, when the
    // parents may have arrived. The message id is derived, so a redelivery schedules it once.
    deps.log.info('batch waits for parent records', { executionId, stream, page, missingParents: planned.missingParents.size, waits: wait.waits });
    await deps.bus.publish('sync-batch', [
      {
        body: { ...message, linkWaits: wait.waits },
        messageId: messageIds.batchLinkWait(executionId, stream, page, wait.waits),
        applicationProperties: { tenantId, executionId, stream },
        scheduledEnqueueTime: new Date(deps.clock.now().getTime() + wait.delayMs),
      },
    ]);
    return;
  }
  const updatedInBatch = planned.plans.filter((plan) => plan.outcome === 'updated').length;
  const bulkCheck = {
    baseline: progress.baseline,
    updatedSoFar: progress.counts.updated,
    updatedInBatch,
    maxChangeShare: execution.options.maxChangeShare ?? 1,
    minBaseline: BULK_SAFETY_MIN_BASELINE,
  };
  if (!execution.dryRun && !execution.bulkConfirmed && exceedsBulkChangeLimit(bulkCheck)) {
    // Nothing of this batch is written: it waits, parked, for an operator to confirm or cancel.
    deps.log.warn('bulk change: execution paused for confirmation', { executionId, stream, ...bulkCheck });
    await applyExecutionEvent(deps, tenantId, executionId, { type: 'pause', reason: 'confirmation' });
    return parkMessage(deps, tenantId, executionId, 'sync-batch', delivery.messageId, message);
  }
  const outcomes = execution.dryRun
    ? planned.plans.map((plan) => plan.outcome)
    : await inSpan({ name: 'write shards', kind: 'internal', attributes: { 'shardsync.tenant': tenantId, 'shardsync.shards': planned.plans.length } }, () => applyShardPlans(deps, tenantId, planned));
  // Before the batch marker, so a redelivery after a crash closes them still.
  if (!execution.dryRun) await closeRecordFailures(deps, tenantId, { connectionId: connection.id, stream, externalIds: valid.map((record) => record.externalId) }, executionId);
  if (reconciled && task && !execution.dryRun) await finishReconciled(deps, tenantId, task, reconciled, executionId);
  if (!execution.dryRun) await queueOutboundWriteBacks(deps, tenantId, writtenShards(planned.plans));
  for (const outcome of outcomes) counts[outcome]! += 1;
  if (reconciled) counts.conflicts = reconciled.conflicts.length;

  const counted = await countOnce(
    deps,
    tenantId,
    executionId,
    markerId,
    streamIncrements(stream, { ...counts, fetched: records.length }, { pagesFetched: 1, pagesDone: 1 }),
    // What the run has seen, for moving the stream's incremental cursor when it completes, and on
    // a full read the ids for finding deletes by absence: kept on the marker written anyway, so
    // knowing what was seen costs no write per record.
    { stream, ...maxModifiedOf(records, streamInfo.modifiedField), ...(findsDeletes(execution) ? { seenIds: seenIdsOf(records, streamInfo.idField) } : {}) },
  );
  if (counted) {
    // Once per batch, with the counters: a redelivered batch adds nothing twice.
    countRecordsProcessed({ tenant: tenantId, connection: connection.id }, records.length);
    await recordActivity(deps, {
      tenantId,
      key: markerId,
      actor: { type: 'system' },
      action: execution.dryRun ? 'batch.dry_run' : 'batch.processed',
      subject: { kind: 'batch', id: `${stream}:${page}` },
      executionId,
      taskId: execution.taskId,
      details: { stream, page, ...counts },
    });
  }
  await advanceExecution(deps, tenantId, executionId);
}

/** The primary shards a batch created or changed, as written. */
function writtenShards(plans: readonly RecordWritePlan[]): Shard[] {
  return plans.flatMap((plan) => {
    const primary = plan.writes[0];
    return primary && primary.kind !== 'delete' && (plan.outcome === 'created' || plan.outcome === 'updated') ? [primary.shard] : [];
  });
}

/** A run's `conflictStrategy` option overrides its task's strategy for that run. */
function withRunStrategy(task: SyncTask, execution: Execution): SyncTask {
  const strategy = execution.options.conflictStrategy;
  if (!strategy) return task;
  return { ...task, conflictResolution: { ...conflictResolution.parse(task.conflictResolution ?? {}), strategy } };
}

/** The de-duplication rules of the shard types among the batch's records, read once per batch. */
async function rulesOf(deps: SyncDeps, tenantId: string, records: readonly IncomingRecord[]): Promise<Map<string, RuleSetInUse>> {
  const rules = new Map<string, RuleSetInUse>();
  for (const shardType of new Set(records.map((record) => record.shardType))) {
    const found = await dedupeRulesFor(deps, tenantId, shardType);
    if (found) rules.set(shardType, found);
  }
  return rules;
}

/** Only a full, unrestricted, written read can prove a record gone (see applyDeletesByAbsence). */
const findsDeletes = (execution: Execution) => !execution.dryRun && ((execution.mode === 'full' && execution.ids === undefined) || execution.deletedIds !== undefined);

/** Every record the batch fetched with an id, valid or not: a record that failed validation still exists at the provider. */
function seenIdsOf(records: ReadonlyArray<Record<string, unknown>>, idField: string): string[] {
  const seen = records.map((record) => record[idField]).filter((id) => id !== undefined && id !== null && id !== '');
  return [...new Set(seen.map(String))];
}

function maxModifiedOf(records: Array<Record<string, unknown>>, field: string): { maxModified?: string } {
  const maxModified = latestModified(records, field);
  return maxModified ? { maxModified } : {};
}
