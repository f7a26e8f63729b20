import type { Shard } from '../../core/schemas/shard.js';
import type { SyncTask } from '../../core/schemas/syncTask.js';
import type { ConversionSchema } from '../../core/schemas/conversionSchema.js';
import type { FieldConflict } from '../../core/conflicts/conflictDetector.js';
import { detectConflicts } from '../../core/conflicts/conflictDetector.js';
import { conflictResolution, resolveConflicts } from '../../core/conflicts/resolutionStrategy.js';
import { snapshotOf } from '../../core/conflicts/snapshot.js';
import { sourceKey } from '../../core/sourceKey.js';
import { ids } from '../../core/ids.js';
import type { IncomingRecord } from '../../core/executions/shardWritePlan.js';
import type { SyncDeps } from '../syncDeps.js';
import { openFieldConflict } from './openConflict.js';
import { queueWriteBack } from './writeBackQueue.js';
import { NO_COMPUTED_FIELDS, schemaComputedFields, type SchemaComputedFields } from '../resources/schemaComputedFields.js';

/** What a bidirectional batch does once its shards are written. */
export interface Reconciled {
  conflicts: Array<{ record: IncomingRecord; shard: Shard; conflict: FieldConflict }>;
  /** Records whose provider lacks local changes: written back after the batch. */
  writeBacks: Array<{ record: IncomingRecord; shardId: string; dataHash: string }>;
}

/**
 * Inbound records of a bidirectional task meet the local changes of their shards field by field
 * (three-way, against the base kept on the record's external relationship): one-sided changes flow
 * to the other side, fields both changed are settled by the task's strategy or left to a person.
 * An unchanged record (the echo of our own write included) is left alone. Records are changed in
 * place: their data becomes what both sides should hold, their base what the provider holds.
 * Computed fields never conflict: they are computed again from the merged inputs.
 */
export async function reconcileInbound(deps: SyncDeps, tenantId: string, task: SyncTask, records: IncomingRecord[]): Promise<Reconciled> {
  const reconciled: Reconciled = { conflicts: [], writeBacks: [] };
  const config = task.conflictResolution ?? conflictResolution.parse({});
  const computedOf = computedFieldsOfStreams(deps, tenantId, task);
  for (const record of records) {
    const remote = snapshotOf(record.data);
    const shardId = ids.shardFor(record.connectionId, record.stream, record.externalId);
    const stored = await deps.store.read<Shard>('shards', tenantId, shardId);
    const relationship = stored?.externalRelationships.find((r) => sourceKey(r) === sourceKey(record));
    if (relationship?.hash === record.hash) continue;
    record.base = remote;
    if (!stored || !relationship?.base || stored.contributions) continue;
    const local = snapshotOf(stored.data);
    if (local.hash === relationship.base.hash) continue;
    const computed = await computedOf(record.stream, record.shardType);
    const resolution = resolveConflicts(detectConflicts(relationship.base, local, remote, computed.paths), config, {
      stream: record.stream,
      localModifiedAt: stored.updatedAt,
      ...(typeof remote.data.sourceModifiedAt === 'string' ? { remoteModifiedAt: remote.data.sourceModifiedAt } : {}),
    }, deps.conflictHooks ?? new Map());
    record.data = await computed.recompute(resolution.data, remote.data);
    record.base = resolution.received;
    for (const conflict of resolution.unresolved) reconciled.conflicts.push({ record, shard: stored, conflict });
    if (resolution.toRemote.length > 0) reconciled.writeBacks.push({ record, shardId, dataHash: snapshotOf(record.data).hash });
  }
  return reconciled;
}

/** The computed fields of each stream's schema, its schema read once, when a record first needs it. */
function computedFieldsOfStreams(deps: SyncDeps, tenantId: string, task: SyncTask): (stream: string, shardType: string) => Promise<SchemaComputedFields> {
  const schemas = new Map<string, Promise<ConversionSchema | undefined>>();
  return async (stream, shardType) => {
    const schemaId = task.streams.find((s) => s.stream === stream)?.schemaId;
    if (schemaId === undefined) return NO_COMPUTED_FIELDS;
    if (!schemas.has(schemaId)) schemas.set(schemaId, deps.store.read<ConversionSchema>('schemas', tenantId, schemaId));
    const schema = await schemas.get(schemaId);
    return schema ? schemaComputedFields(deps, schema, shardType) : NO_COMPUTED_FIELDS;
  };
}

/** Opens the batch's conflicts and queues its write-backs, after its shards are written. */
export async function finishReconciled(deps: SyncDeps, tenantId: string, task: SyncTask, reconciled: Reconciled, executionId: string): Promise<void> {
  const strategy = (task.conflictResolution ?? conflictResolution.parse({})).strategy;
  for (const { record, shard, conflict } of reconciled.conflicts) {
    const subject = { tenantId, shardId: shard.id, shardType: shard.shardType, connectionId: record.connectionId, stream: record.stream, externalId: record.externalId, taskId: task.id, executionId };
    await openFieldConflict(deps, subject, conflict, strategy);
  }
  for (const { record, shardId, dataHash } of reconciled.writeBacks) {
    const { connectionId, stream, externalId } = record;
    await queueWriteBack(deps, { tenantId, taskId: task.id, shardId, connectionId, stream, externalId }, dataHash);
  }
}
