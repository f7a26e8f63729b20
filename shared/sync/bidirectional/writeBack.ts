import type { Shard, ExternalRelationship } from '../../core/schemas/shard.js';
import type { SyncTask } from '../../core/schemas/syncTask.js';
import type { ConversionSchema } from '../../core/schemas/conversionSchema.js';
import type { SyncWriteBackMessage } from '../../core/schemas/messages.js';
import type { Conflict } from '../../core/schemas/conflict.js';
import { collectChanges, sameValue } from '../../core/conflicts/fieldChanges.js';
import { detectConflicts } from '../../core/conflicts/conflictDetector.js';
import { conflictResolution, resolveConflicts, type Resolution } from '../../core/conflicts/resolutionStrategy.js';
import { snapshotOf, type Snapshot } from '../../core/conflicts/snapshot.js';
import { decideFailure } from '../../core/conflicts/failureDecision.js';
import { refusedUpdateResolution, type RefusedUpdateDecision } from '../../core/conflicts/refusedUpdateResolution.js';
import { compileWriteBack } from '../../core/conversion/produced/writeBackMapping.js';
import { editedShardHash } from '../../core/executions/editedShardHash.js';
import { sourceKey } from '../../core/sourceKey.js';
import { WriteConflictError } from '../../connectors/writeConflictError.js';
import type { SourceRecord, StreamInfo, WriteResult } from '../../connectors/connector.js';
import { readPath } from '../../core/schemas/fieldPath.js';
import { providerOwnedFields } from './providerOwnedFields.js';
import type { SyncDeps } from '../syncDeps.js';
import { updateDocument } from '../documentUpdate.js';
import { requireConnection } from '../resources/connections.js';
import { connectorFor } from '../connectorAccess.js';
import { guardProviderCall } from '../operations/providerGuard.js';
import { convertProviderRecord } from './providerRecords.js';
import { openConflict, openFieldConflict } from './openConflict.js';
import { recordActivity } from '../operations/activityLog.js';
import { createAtProvider } from './createAtProvider.js';
import { updateMapped } from './mappedUpdate.js';
import { preconditionOf } from './writePrecondition.js';
import { handleWriteBackFailure } from './writeBackFailures.js';
import { queueWriteBack } from './writeBackQueue.js';
import { schemaComputedFields } from '../resources/schemaComputedFields.js';

/** A conflicting write-back is read, resolved and tried again at most this many times before a person decides. */
const DATA_MISMATCH_ATTEMPTS = 3;

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
  const { externalId } = message;
  if (externalId === undefined) return createAtProvider(deps, message);
  const task = await deps.store.read<SyncTask>('tasks', message.tenantId, message.taskId);
  const entry = task?.direction === 'outbound' ? task.streams.find((s) => s.stream === message.stream) : undefined;
  if (task && entry?.writeSchemaId !== undefined) return updateMapped(deps, { ...message, externalId }, task, entry);
  return updateAtProvider(deps, { ...message, externalId });
}

/** A write-back of a record that exists at the provider. */
export type UpdateMessage = SyncWriteBackMessage & { externalId: string };

async function updateAtProvider(deps: SyncDeps, message: UpdateMessage): Promise<void> {
  const { tenantId, shardId, connectionId, stream, externalId } = message;
  const attempt = message.attempt ?? 0;
  const shard = await deps.store.read<Shard>('shards', tenantId, shardId);
  const relationship = shard?.externalRelationships.find((r) => r.connectionId === connectionId && r.stream === stream && r.externalId === externalId);
  const task = await deps.store.read<SyncTask>('tasks', tenantId, message.taskId);
  const schemaId = task?.streams.find((s) => s.stream === stream)?.schemaId;
  const schema = schemaId ? await deps.store.read<ConversionSchema>('schemas', tenantId, schemaId) : undefined;
  if (!shard || !relationship || !task || task.direction === 'inbound' || !schema) return;

  const connection = await requireConnection(deps, tenantId, connectionId);
  const streamInfo = deps.providers.streamOf(connection, stream);
  if (!streamInfo) return;
  const base = relationship.base ?? snapshotOf({});
  const changes: Parameters<typeof collectChanges>[3] = [];
  if (snapshotOf(shard.data).hash !== base.hash) collectChanges(base.data, shard.data, [], changes);
  // A field waiting for a person keeps each side's value until it is resolved.
  const waiting = await openConflictPaths(deps, tenantId, shardId, sourceKey(message));
  const writable = changes.filter((change) => !waiting.some((path) => change.path === path || change.path.startsWith(`${path}.`)));
  const { fields, unmapped } = compileWriteBack(schema.definition, providerOwnedFields(streamInfo))(writable);
  if (Object.keys(fields).length === 0) return;

  const connector = await connectorFor(deps, connection);
  if (!connector.update) return;
  const conflictBase = { tenantId, shardId, shardType: shard.shardType, connectionId, stream, externalId, taskId: task.id };
  try {
    const result = await guardProviderCall(deps, { tenantId, connectionId }, () =>
      connector.update!(stream, externalId, fields, preconditionOf(relationship)),
    );
    await settleWithProvider(deps, message, schema, base, result.record, result, false, streamInfo);
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
        // A provider may settle its stale updates itself (ERPNext: last write wins by modified time).
        const decided = deps.providers.definition(connection.provider).settleRefusedUpdate?.(connection.settings, stream, shard.updatedAt, error.current);
        await settleWithProvider(deps, { ...message, attempt: attempt + 1 }, schema, base, error.current, {}, true, streamInfo, decided);
        return;
      }
      await openConflict(deps, { ...conflictBase, type: 'DataMismatch', subject: 'DataMismatch', message: error.message });
      return;
    }
    await handleWriteBackFailure(deps, error, message, conflictBase, snapshotOf(shard.data).hash);
  }
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
 * lacks is written again, fields left to a person become conflicts. Computed fields follow the
 * merged inputs.
 */
async function settleWithProvider(
  deps: SyncDeps,
  message: UpdateMessage,
  schema: ConversionSchema,
  base: Snapshot,
  providerRecord: SourceRecord,
  written: Pick<WriteResult, 'modifiedAt' | 'version'>,
  refused: boolean,
  streamInfo: Pick<StreamInfo, 'modifiedField' | 'versionField'>,
  decided?: RefusedUpdateDecision,
): Promise<void> {
  const { tenantId, shardId } = message;
  const { remote, hash } = await convertProviderRecord(deps, schema, providerRecord, `${message.stream}/${message.externalId}`);
  const task = await deps.store.read<SyncTask>('tasks', tenantId, message.taskId);
  const config = refusedUpdateResolution(task?.conflictResolution ?? conflictResolution.parse({}), decided);
  const raw = readPath(providerRecord, streamInfo.modifiedField);
  const providerModified = written.modifiedAt ?? (typeof raw === 'string' ? raw : undefined);
  const rawVersion = streamInfo.versionField === undefined ? undefined : readPath(providerRecord, streamInfo.versionField);
  const providerVersion = written.version ?? (typeof rawVersion === 'string' || typeof rawVersion === 'number' ? String(rawVersion) : undefined);
  const computed = schemaComputedFields(deps, schema);
  const settled = await updateDocument<Shard, { shard: Shard; resolution: Resolution } | undefined>(deps, 'shards', tenantId, shardId, async (shard) => {
    if (!shard) return { result: undefined };
    const resolution = resolveConflicts(detectConflicts(base, snapshotOf(shard.data), remote, computed.paths), config, {
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
            ...(providerVersion ? { remoteVersion: providerVersion } : {}),
          },
    );
    const data = await computed.recompute(resolution.data, remote.data);
    const changed = !sameValue(data, shard.data);
    const next: Shard = {
      ...shard,
      data,
      externalRelationships: relationships,
      ...(changed ? { version: shard.version + 1, updatedAt: now, hash: editedShardHash(shard, data) } : {}),
    };
    return { result: { shard: next, resolution }, next };
  });
  if (!settled) return;
  const { shard, resolution } = settled;
  for (const conflict of resolution.unresolved) {
    const { connectionId, stream, externalId, taskId } = message;
    await openFieldConflict(deps, { tenantId, shardId, shardType: shard.shardType, connectionId, stream, externalId, taskId }, conflict, config.strategy);
  }
  if (refused && resolution.toRemote.length > 0) await queueWriteBack(deps, message, snapshotOf(shard.data).hash);
}
