import type { ExternalRelationship, Shard } from '../../core/schemas/shard.js';
import type { SyncTask } from '../../core/schemas/syncTask.js';
import type { ConversionSchema } from '../../core/schemas/conversionSchema.js';
import type { SyncWriteBackMessage } from '../../core/schemas/messages.js';
import { collectChanges, type FieldChange } from '../../core/conflicts/fieldChanges.js';
import { snapshotOf } from '../../core/conflicts/snapshot.js';
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
  const schemaId = task?.streams.find((s) => s.stream === stream)?.schemaId;
  const schema = schemaId ? await deps.store.read<ConversionSchema>('schemas', tenantId, schemaId) : undefined;
  if (!shard || !task || task.direction !== 'outbound' || !schema) return;
  if (shard.externalRelationships.some((r) => r.connectionId === connectionId && r.stream === stream)) return;

  const connection = await requireConnection(deps, tenantId, connectionId);
  const streamInfo = deps.providers.streamOf(connection, stream);
  const connector = await connectorFor(deps, connection);
  if (!connector.create || !streamInfo) return;
  const everything: FieldChange[] = [];
  collectChanges({}, shard.data, [], everything);
  const { fields } = compileWriteBack(schema.definition, providerOwnedFields(streamInfo))(everything);
  try {
    const result = await guardProviderCall(deps, { tenantId, connectionId }, () => connector.create!(stream, fields));
    const { remote, hash } = await convertProviderRecord(deps, schema, result.record, `${stream}/${result.externalId}`);
    const relationship: ExternalRelationship = {
      connectionId,
      stream,
      externalId: result.externalId,
      syncStatus: 'synced',
      lastSyncedAt: deps.clock.now().toISOString(),
      hash,
      base: remote,
      ...(result.modifiedAt ? { remoteModifiedAt: result.modifiedAt } : {}),
      ...(result.version ? { remoteVersion: result.version } : {}),
    };
    await addRelationship(deps, tenantId, shardId, relationship);
    await recordActivity(deps, {
      tenantId,
      actor: { type: 'system' },
      action: 'shard.created_at_provider',
      subject: { kind: 'shard', id: shardId },
      taskId: task.id,
      details: { connectionId, stream, externalId: result.externalId },
    });
  } catch (error) {
    const subject = { tenantId, shardId, shardType: shard.shardType, connectionId, stream, externalId: '(not created)', taskId: task.id };
    await handleWriteBackFailure(deps, error, message, subject, snapshotOf(shard.data).hash);
  }
}

async function addRelationship(deps: SyncDeps, tenantId: string, shardId: string, relationship: ExternalRelationship): Promise<void> {
  await updateDocument<Shard, void>(deps, 'shards', tenantId, shardId, (shard) => ({
    result: undefined,
    ...(shard ? { next: { ...shard, externalRelationships: [...shard.externalRelationships, relationship] } } : {}),
  }));
}
