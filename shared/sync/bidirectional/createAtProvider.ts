import type { ExternalRelationship, Shard } from '../../core/schemas/shard.js';
import type { SyncTask, TaskStream } from '../../core/schemas/syncTask.js';
import type { ConversionSchema } from '../../core/schemas/conversionSchema.js';
import type { SyncWriteBackMessage } from '../../core/schemas/messages.js';
import { collectChanges, type FieldChange } from '../../core/conflicts/fieldChanges.js';
import { snapshotOf } from '../../core/conflicts/snapshot.js';
import type { WriteResult } from '../../connectors/connector.js';
import { compileWriteBack } from '../../core/conversion/produced/writeBackMapping.js';
import { providerOwnedFields } from './providerOwnedFields.js';
import type { SyncDeps } from '../syncDeps.js';
import { updateDocument } from '../documentUpdate.js';
import { requireConnection } from '../resources/connections.js';
import { connectorFor } from '../connectorAccess.js';
import { guardProviderCall } from '../operations/providerGuard.js';
import { convertProviderRecord } from './providerRecords.js';
import { handleWriteBackFailure } from './writeBackFailures.js';
import { recordActivity } from '../operations/activityLog.js';
import { createOnce, recordAt } from './createLease.js';
import { mappedFields, mappedRelationship } from './mappedWriteBack.js';
import { UnmappableShardError } from './unmappableShardError.js';
import { writtenRelationship } from './writtenRelationship.js';

/**
 * Creates the shard's record at an outbound task's connection and keeps the provider's id on the
 * shard as an external relationship, so its later changes update that record instead of creating
 * another. Skipped when the shard has a record there already (a repeated message creates nothing).
 * The provider offers no idempotency key: should a create fail after reaching it, a person looks
 * (see handleWriteBackFailure) rather than risking a duplicate.
 */
export async function createAtProvider(deps: SyncDeps, message: SyncWriteBackMessage): Promise<void> {
  const { tenantId, shardId, connectionId, stream } = message;
  const shard = await deps.store.read<Shard>('shards', tenantId, shardId);
  const task = await deps.store.read<SyncTask>('tasks', tenantId, message.taskId);
  if (!shard || !task || task.direction !== 'outbound' || task.connectionId !== connectionId) return;
  if (recordAt(shard, connectionId, stream)) return;
  try {
    await ensureRecordAt(deps, task, shardId, stream);
  } catch (error) {
    const subject = { tenantId, shardId, shardType: shard.shardType, connectionId, stream, externalId: '(not created)', taskId: task.id };
    await handleWriteBackFailure(deps, error, message, subject, snapshotOf(shard.data).hash);
  }
}

/**
 * The shard's record at an outbound task's connection on one of its streams: created there when it
 * has none, once however many write-backs ask at the same time (its own, and those of shards that
 * reference it). Undefined when the shard or the task's stream is gone.
 */
export async function ensureRecordAt(deps: SyncDeps, task: SyncTask, shardId: string, stream: string): Promise<ExternalRelationship | undefined> {
  const entry = task.streams.find((s) => s.stream === stream);
  if (!entry) return undefined;
  const outcome = await createOnce(deps, task.tenantId, shardId, task.connectionId, stream, (shard) => createRecord(deps, task, shard, entry));
  return outcome?.relationship;
}

/** The provider create itself, and the relationship saved on the shard before the create lease is let go. */
async function createRecord(deps: SyncDeps, task: SyncTask, shard: Shard, entry: TaskStream): Promise<ExternalRelationship> {
  const { tenantId, connectionId } = task;
  const { stream } = entry;
  const schema = await deps.store.read<ConversionSchema>('schemas', tenantId, entry.schemaId);
  if (!schema) throw new UnmappableShardError(`schema "${entry.schemaId}" of stream ${stream} no longer exists`);
  if (schema.shardType !== shard.shardType) throw new UnmappableShardError(`stream ${stream} writes ${schema.shardType} shards, not ${shard.shardType}`);
  const connection = await requireConnection(deps, tenantId, connectionId);
  const streamInfo = deps.providers.streamOf(connection, stream);
  const connector = await connectorFor(deps, connection);
  if (!connector.create || !streamInfo) throw new UnmappableShardError(`${connection.provider} cannot create records on ${stream}`);
  const fields = entry.writeSchemaId === undefined ? invertedFields(schema, shard, providerOwnedFields(streamInfo)) : await mappedFields(deps, task, shard, entry, streamInfo, (linked, on) => ensureRecordAt(deps, task, linked, on));
  const result = await guardProviderCall(deps, { tenantId, connectionId }, () => connector.create!(stream, fields));
  const relationship =
    entry.writeSchemaId === undefined ? await readBackRelationship(deps, schema, connectionId, stream, result) : await mappedRelationship(deps, schema, connectionId, stream, snapshotOf(shard.data), result);
  await saveRelationship(deps, tenantId, shard.id, relationship);
  await recordActivity(deps, {
    tenantId,
    actor: { type: 'system' },
    action: 'shard.created_at_provider',
    subject: { kind: 'shard', id: shard.id },
    taskId: task.id,
    details: { connectionId, stream, externalId: result.externalId },
  });
  return relationship;
}

/** Without a write schema: the fields the read schema copies, written back to where they were read from. */
function invertedFields(schema: ConversionSchema, shard: Shard, readOnly: readonly string[]): Record<string, unknown> {
  const everything: FieldChange[] = [];
  collectChanges({}, shard.data, [], everything);
  return compileWriteBack(schema.definition, readOnly)(everything).fields;
}

/** Without a write schema the base is the provider's answer read back, so later updates send only what differs from it. */
async function readBackRelationship(
  deps: SyncDeps,
  schema: ConversionSchema,
  connectionId: string,
  stream: string,
  result: WriteResult,
): Promise<ExternalRelationship> {
  const { remote, hash } = await convertProviderRecord(deps, schema, result.record, `${stream}/${result.externalId}`);
  return writtenRelationship(connectionId, stream, result, hash, remote, deps.clock.now());
}

/** Puts the relationship on the shard, replacing the one of the same record. */
export async function saveRelationship(deps: SyncDeps, tenantId: string, shardId: string, relationship: ExternalRelationship): Promise<void> {
  const same = (r: ExternalRelationship) => r.connectionId === relationship.connectionId && r.stream === relationship.stream && r.externalId === relationship.externalId;
  await updateDocument<Shard, void>(deps, 'shards', tenantId, shardId, (shard) => ({
    result: undefined,
    ...(shard ? { next: { ...shard, externalRelationships: [...shard.externalRelationships.filter((r) => !same(r)), relationship] } } : {}),
  }));
}
