import type { ExternalRelationship, Shard } from '../../core/schemas/shard.js';
import type { SyncTask, TaskStream } from '../../core/schemas/syncTask.js';
import type { ConversionSchema } from '../../core/schemas/conversionSchema.js';
import type { SourceRecord, StreamInfo, WriteResult } from '../../connectors/connector.js';
import { snapshotOf, type Snapshot } from '../../core/conflicts/snapshot.js';
import { runWriteMapping } from '../../core/outbound/writeMapping.js';
import type { SyncDeps } from '../syncDeps.js';
import { compileConversion } from '../resources/compileConversion.js';
import { providerOwnedFields } from './providerOwnedFields.js';
import { convertProviderRecord } from './providerRecords.js';
import { resolveReferences, type EnsureRecord } from './outboundReferences.js';
import { UnmappableShardError } from './unmappableShardError.js';
import { writtenRelationship } from './writtenRelationship.js';

/** An outbound stream with a write schema: the shard's data, references resolved, run forward through it into the provider's record. */
export async function mappedFields(deps: SyncDeps, task: SyncTask, shard: Shard, entry: TaskStream, streamInfo: StreamInfo, ensureRecord: EnsureRecord): Promise<SourceRecord> {
  const schema = await deps.store.read<ConversionSchema>('schemas', task.tenantId, entry.writeSchemaId!);
  if (!schema) throw new UnmappableShardError(`write schema "${entry.writeSchemaId}" of stream ${entry.stream} no longer exists`);
  const data = await resolveReferences(shard, entry, ensureRecord);
  const mapping = await runWriteMapping(compileConversion(deps, schema).transform, data, providerOwnedFields(streamInfo));
  if (!mapping.ok) throw new UnmappableShardError(`write schema "${schema.id}" refuses the shard: ${mapping.problems.join('; ')}`);
  return mapping.fields;
}

/**
 * The relationship after a mapped write. Its base is the shard's data as written (not the answer
 * read back, which a write schema need not invert): an unchanged shard then writes nothing again.
 * It is saved whatever the read schema makes of the answer, or a retry would create the record
 * again; the echo hash then falls back to the answer's own.
 */
export async function mappedRelationship(
  deps: SyncDeps,
  readSchema: ConversionSchema,
  connectionId: string,
  stream: string,
  written: Snapshot,
  result: WriteResult,
): Promise<ExternalRelationship> {
  const hash = await convertProviderRecord(deps, readSchema, result.record, `${stream}/${result.externalId}`).then(
    (converted) => converted.hash,
    () => snapshotOf(result.record).hash,
  );
  return writtenRelationship(connectionId, stream, result, hash, written, deps.clock.now());
}
