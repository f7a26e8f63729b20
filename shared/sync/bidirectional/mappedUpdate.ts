import type { Shard } from '../../core/schemas/shard.js';
import type { SyncTask, TaskStream } from '../../core/schemas/syncTask.js';
import type { ConversionSchema } from '../../core/schemas/conversionSchema.js';
import type { SyncWriteBackMessage } from '../../core/schemas/messages.js';
import { snapshotOf } from '../../core/conflicts/snapshot.js';
import { WriteConflictError } from '../../connectors/writeConflictError.js';
import type { SyncDeps } from '../syncDeps.js';
import { requireConnection } from '../resources/connections.js';
import { connectorFor } from '../connectorAccess.js';
import { guardProviderCall } from '../operations/providerGuard.js';
import { recordActivity } from '../operations/activityLog.js';
import { ensureRecordAt, saveRelationship } from './createAtProvider.js';
import { mappedFields, mappedRelationship } from './mappedWriteBack.js';
import { openConflict } from './openConflict.js';
import { handleWriteBackFailure } from './writeBackFailures.js';
import { preconditionOf } from './writePrecondition.js';

/**
 * The update of a record an outbound write schema made: the whole mapped record is sent when the
 * shard changed since it was last written there, nothing otherwise (a re-push, a redelivery). The
 * shards are the source of truth here; a provider refusing the precondition (someone edited the
 * record there) is a conflict for a person rather than an overwrite.
 */
export async function updateMapped(deps: SyncDeps, message: SyncWriteBackMessage & { externalId: string }, task: SyncTask, entry: TaskStream): Promise<void> {
  const { tenantId, shardId, connectionId, stream, externalId } = message;
  const shard = await deps.store.read<Shard>('shards', tenantId, shardId);
  const relationship = shard?.externalRelationships.find((r) => r.connectionId === connectionId && r.stream === stream && r.externalId === externalId);
  const readSchema = await deps.store.read<ConversionSchema>('schemas', tenantId, entry.schemaId);
  if (!shard || !relationship || !readSchema) return;
  const written = snapshotOf(shard.data);
  if (relationship.base?.hash === written.hash) return;

  const connection = await requireConnection(deps, tenantId, connectionId);
  const streamInfo = deps.providers.streamOf(connection, stream);
  const connector = await connectorFor(deps, connection);
  if (!streamInfo || !connector.update) return;
  const subject = { tenantId, shardId, shardType: shard.shardType, connectionId, stream, externalId, taskId: task.id };
  try {
    const fields = await mappedFields(deps, task, shard, entry, streamInfo, (linked, on) => ensureRecordAt(deps, task, linked, on));
    const result = await guardProviderCall(deps, { tenantId, connectionId }, () => connector.update!(stream, externalId, fields, preconditionOf(relationship)));
    await saveRelationship(deps, tenantId, shardId, await mappedRelationship(deps, readSchema, connectionId, stream, written, result));
    await recordActivity(deps, {
      tenantId,
      actor: { type: 'system' },
      action: 'shard.written_back',
      subject: { kind: 'shard', id: shardId },
      taskId: task.id,
      details: { connectionId, stream, externalId, fields: Object.keys(fields) },
    });
  } catch (error) {
    if (error instanceof WriteConflictError) {
      await openConflict(deps, { ...subject, type: 'DataMismatch', subject: 'DataMismatch', message: error.message });
      return;
    }
    await handleWriteBackFailure(deps, error, message, subject, written.hash);
  }
}
