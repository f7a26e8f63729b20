import type { Shard, ExternalRelationship } from '../core/schemas/shard.js';
import type { SyncTask } from '../core/schemas/syncTask.js';
import type { ConversionSchema } from '../core/schemas/conversionSchema.js';
import type { SyncWriteBackMessage } from '../core/schemas/messages.js';
import type { Conflict } from '../core/schemas/conflict.js';
import type { Execution } from '../core/schemas/execution.js';
import { applyExecutionEvent } from './executionLifecycle.js';
import { collectChanges } from '../core/conflicts/fieldChanges.js';
import { detectConflicts } from '../core/conflicts/conflictDetector.js';
import { conflictResolution, resolveConflicts } from '../core/conflicts/resolutionStrategy.js';
import { snapshotOf, type Snapshot } from '../core/conflicts/snapshot.js';
import { decideFailure } from '../core/conflicts/failureDecision.js';
import { decideRetry, defaultPageRetryPolicy } from '../core/retryOutcome.js';
import { compileWriteBack } from '../core/conversion/writeBackMapping.js';
import { recordHash } from '../core/shardWritePlan.js';
import { sourceKey } from '../core/sourceKey.js';
import { isLostRace } from '../ports/storeErrors.js';
import { ValidationError, WriteConflictError } from '../connectors/providerErrors.js';
import type { SourceRecord } from '../connectors/connector.js';
import type { SyncDeps } from './syncDeps.js';
import { requireConnection } from './connections.js';
import { connectorFor } from './connectorAccess.js';
import { guardProviderCall } from './providerGuard.js';
import { classifyProviderError } from './errorClassification.js';
import { transformFor } from './transformCache.js';
import { openConflict } from './conflictRecords.js';
import { recordActivity } from './activityLog.js';

/** A conflicting write-back is read, resolved and tried again at most this many times before a person decides. */
const DATA_MISMATCH_ATTEMPTS = 3;
/** Write-backs of 429/5xx/timeouts are retried this many times, then become a RetryExhausted conflict. */
const WRITE_RETRIES = 5;

/** Publishes the write-back of one of a shard's records; the id names the data written, so a repeat is dropped. */
export async function queueWriteBack(deps: SyncDeps, message: SyncWriteBackMessage, dataHash: string, delayMs = 0): Promise<void> {
  await deps.bus.publish('sync-writeback', [
    {
      body: message,
      messageId: `${message.shardId}:${message.connectionId}:${dataHash}:${message.attempt ?? 0}`,
      applicationProperties: { tenantId: message.tenantId, shardId: message.shardId },
      ...(delayMs > 0 ? { scheduledEnqueueTime: new Date(deps.clock.now().getTime() + delayMs) } : {}),
    },
  ]);
}

/** Queues the write-back of every record of the shard that a bidirectional task syncs. */
export async function queueWriteBacksOf(deps: SyncDeps, shard: Shard): Promise<number> {
  let queued = 0;
  for (const relationship of shard.externalRelationships) {
    const tasks = await deps.store.query<SyncTask>('tasks', shard.tenantId, {
      filters: [{ path: 'connectionId', op: '=', value: relationship.connectionId }, { path: 'direction', op: '=', value: 'bidirectional' }],
    }, { maxItems: 100 });
    const task = tasks.items.find((t) => t.streams.some((s) => s.stream === relationship.stream));
    if (!task) continue;
    const { connectionId, stream, externalId } = relationship;
    await queueWriteBack(deps, { tenantId: shard.tenantId, taskId: task.id, shardId: shard.id, connectionId, stream, externalId }, snapshotOf(shard.data).hash);
    queued += 1;
  }
  return queued;
}

/**
 * `sync-writeback`: writes the shard's local changes (against the record's base) to the provider,
 * with the provider's concurrency check. Then the base becomes what the provider holds — its
 * answer, run through the schema — so the echo of this write reads as unchanged. A refused
 * precondition (the provider changed too) is resolved like an inbound change, by the task's
 * strategy, and written again; 429/5xx/timeouts retry with back-off; a rejected payload, lost
 * credentials or exhausted retries become conflicts for a person. Idempotent: with nothing changed
 * since the base there is nothing to write.
 */
export async function writeBack(deps: SyncDeps, message: SyncWriteBackMessage): Promise<void> {
  const { tenantId, shardId, connectionId, stream, externalId } = message;
  const attempt = message.attempt ?? 0;
  const shard = await deps.store.read<Shard>('shards', tenantId, shardId);
  const relationship = shard?.externalRelationships.find((r) => r.connectionId === connectionId && r.stream === stream && r.externalId === externalId);
  const task = await deps.store.read<SyncTask>('tasks', tenantId, message.taskId);
  const schemaId = task?.streams.find((s) => s.stream === stream)?.schemaId;
  const schema = schemaId ? await deps.store.read<ConversionSchema>('schemas', tenantId, schemaId) : undefined;
  if (!shard || !relationship || !task || task.direction !== 'bidirectional' || !schema) return;

  const base = relationship.base ?? snapshotOf({});
  const changes: Parameters<typeof collectChanges>[3] = [];
  if (snapshotOf(shard.data).hash !== base.hash) collectChanges(base.data, shard.data, [], changes);
  // A field waiting for a person keeps each side's value until it is resolved.
  const waiting = await openConflictPaths(deps, tenantId, shardId, sourceKey(message));
  const { fields, unmapped } = compileWriteBack(schema.definition)(changes.filter((change) => !waiting.some((path) => change.path === path || change.path.startsWith(`${path}.`))));
  if (Object.keys(fields).length === 0) return;

  const connection = await requireConnection(deps, tenantId, connectionId);
  const connector = await connectorFor(deps, connection);
  const modifiedField = deps.connectors.get(connection.provider).streams.find((s) => s.name === stream)?.modifiedField;
  if (!connector.update || !modifiedField) return;
  const conflictBase = { tenantId, shardId, shardType: shard.shardType, connectionId, stream, externalId, taskId: task.id };
  try {
    const result = await guardProviderCall(deps, { tenantId, connectionId }, () =>
      connector.update!(stream, externalId, fields, relationship.remoteModifiedAt ? { modifiedAt: relationship.remoteModifiedAt } : undefined),
    );
    await settleWithProvider(deps, message, schema, base, result.record, result.modifiedAt, false, modifiedField);
    await recordActivity(deps, {
      tenantId,
      actor: { type: 'system' },
      action: 'shard.written_back',
      subject: { kind: 'shard', id: shardId },
      taskId: task.id,
      details: { connectionId, stream, externalId, fields: Object.keys(fields), ...(unmapped.length > 0 ? { unmapped } : {}) },
    });
  } catch (error) {
    if (error instanceof WriteConflictError) {
      const decision = decideFailure('DataMismatch', attempt + 1, DATA_MISMATCH_ATTEMPTS);
      if (error.current && decision.handling === 'AutoRetry') {
        await settleWithProvider(deps, { ...message, attempt: attempt + 1 }, schema, base, error.current, undefined, true, modifiedField);
        return;
      }
      await openConflict(deps, { ...conflictBase, type: 'DataMismatch', subject: 'DataMismatch', message: error.message });
      return;
    }
    if (error instanceof ValidationError) {
      await openConflict(deps, { ...conflictBase, type: 'ValidationError', subject: 'ValidationError', message: error.providerMessage });
      return;
    }
    const errorClass = classifyProviderError(error);
    if (!errorClass) throw error;
    const outcome = decideRetry(errorClass, attempt, { maxRetries: WRITE_RETRIES, ...defaultPageRetryPolicy }, Math.random);
    if (outcome.kind === 'retry') {
      await queueWriteBack(deps, { ...message, attempt: outcome.attempt }, snapshotOf(shard.data).hash, outcome.delayMs);
      return;
    }
    const type = outcome.kind === 'pause-auth' ? 'AuthError' : outcome.errorClass === 'RetryExhausted' ? 'RetryExhausted' : 'ValidationError';
    await openConflict(deps, { ...conflictBase, type, subject: type, message: error instanceof Error ? error.message : String(error) });
    if (decideFailure(type, attempt + 1, WRITE_RETRIES).pauseConnection) await pauseConnectionRuns(deps, tenantId, connectionId);
  }
}

/** Credentials refused: the connection's running executions pause for new ones too (they resume when credentials are saved). */
async function pauseConnectionRuns(deps: SyncDeps, tenantId: string, connectionId: string): Promise<void> {
  const running = await deps.store.query<Execution>('executions', tenantId, {
    filters: [{ path: 'connectionId', op: '=', value: connectionId }, { path: 'status', op: '=', value: 'running' }],
  }, { maxItems: 100 });
  for (const execution of running.items) await applyExecutionEvent(deps, tenantId, execution.id, { type: 'pause', reason: 'auth' });
}

async function openConflictPaths(deps: SyncDeps, tenantId: string, shardId: string, source: string): Promise<string[]> {
  const open = await deps.store.query<Conflict>('conflicts', tenantId, {
    filters: [{ path: 'shardId', op: '=', value: shardId }, { path: 'status', op: '=', value: 'open' }],
  }, { maxItems: 1000 });
  return open.items.filter((c) => c.path !== undefined && sourceKey(c) === source).map((c) => c.path!);
}

/**
 * Brings the shard and its record's base to what the provider holds now. After a successful write
 * that is the write's answer; after a refused one it is the provider's current record, met with
 * the shard's changes by three-way detection and the task's strategy — what the provider still
 * lacks is written again, fields left to a person become conflicts.
 */
async function settleWithProvider(
  deps: SyncDeps,
  message: SyncWriteBackMessage,
  schema: ConversionSchema,
  base: Snapshot,
  providerRecord: SourceRecord,
  modifiedAt: string | undefined,
  refused: boolean,
  modifiedField: string,
): Promise<void> {
  const { tenantId, shardId } = message;
  const { transform, parentsOf } = transformFor(schema);
  const converted = transform.async ? await transform.run(providerRecord) : transform.run(providerRecord);
  if (!converted.ok) throw new Error(`the provider's record of ${message.stream}/${message.externalId} no longer converts: ${converted.issues.map((i) => i.message).join('; ')}`);
  const remote = snapshotOf(converted.primary.data);
  const hash = recordHash({ shardType: converted.primary.shardType, data: remote.data, derived: converted.derived, parents: parentsOf(providerRecord) });
  const task = await deps.store.read<SyncTask>('tasks', tenantId, message.taskId);
  const config = task?.conflictResolution ?? conflictResolution.parse({});
  const raw = providerRecord[modifiedField];
  const providerModified = modifiedAt ?? (typeof raw === 'string' ? raw : undefined);
  for (;;) {
    const stored = await deps.store.read<Shard>('shards', tenantId, shardId);
    if (!stored) return;
    const { _etag, _ts: _t, ...shard } = stored;
    const local = snapshotOf(shard.data);
    const resolution = resolveConflicts(detectConflicts(base, local, remote), config, {
      stream: message.stream,
      localModifiedAt: shard.updatedAt,
      ...(typeof remote.data.sourceModifiedAt === 'string' ? { remoteModifiedAt: remote.data.sourceModifiedAt } : {}),
    }, deps.conflictHooks ?? new Map());
    const now = deps.clock.now().toISOString();
    const relationships = shard.externalRelationships.map((r): ExternalRelationship =>
      sourceKey(r) !== sourceKey(message)
        ? r
        : {
            ...r,
            hash,
            lastSyncedAt: now,
            // After our own write the provider holds the agreed data; after a refused one, what was read.
            base: refused ? resolution.received : remote,
            ...(providerModified ? { remoteModifiedAt: providerModified } : {}),
          },
    );
    const changed = resolution.toLocal.length > 0;
    try {
      await deps.store.replace('shards', {
        ...shard,
        data: resolution.data,
        externalRelationships: relationships,
        ...(changed ? { version: shard.version + 1, updatedAt: now } : {}),
      }, { ifMatch: _etag });
    } catch (error) {
      if (isLostRace(error)) continue;
      throw error;
    }
    for (const conflict of resolution.unresolved) {
      await openConflict(deps, {
        tenantId,
        shardId,
        shardType: shard.shardType,
        connectionId: message.connectionId,
        stream: message.stream,
        externalId: message.externalId,
        taskId: message.taskId,
        type: 'DataMismatch',
        subject: conflict.path,
        path: conflict.path,
        base: conflict.base,
        local: conflict.local,
        remote: conflict.remote,
        strategy: config.strategy,
      });
    }
    if (refused && resolution.toRemote.length > 0) await queueWriteBack(deps, message, snapshotOf(resolution.data).hash);
    return;
  }
}
