import type { ExternalRelationship, Shard } from '../../core/schemas/shard.js';
import type { TaskStream } from '../../core/schemas/syncTask.js';
import { linkOf, referencedRecords, referenceKey, substituteReferences } from '../../core/outbound/referencePaths.js';
import { ReferencePendingError } from './referencePendingError.js';
import { UnmappableShardError } from './unmappableShardError.js';

/** The linked shard's record at the task's connection on a stream, created there when it has none (createAtProvider's ensureRecordAt). */
export type EnsureRecord = (shardId: string, stream: string) => Promise<ExternalRelationship | undefined>;

/**
 * The shard's data with every reference of the task stream replaced by the linked record's id at
 * the task's connection. A linked shard without a record there is created there first (once, see
 * createOnce) by `ensureRecord`. All or nothing: a link still pending throws ReferencePendingError, so no record is
 * written half-mapped.
 */
export async function resolveReferences(shard: Shard, entry: TaskStream, ensureRecord: EnsureRecord): Promise<Record<string, unknown>> {
  const references = entry.references ?? [];
  if (references.length === 0) return shard.data;
  const targetIds = new Map<string, string>();
  for (const record of referencedRecords(shard.data, references)) {
    const { rel, stream, path } = record.reference;
    const link = linkOf(shard.links, rel, record.sourceId);
    if (!link) {
      throw new UnmappableShardError(`${path} names ${rel} "${record.sourceId}", which the shard has no link to: its conversion schema needs a "${rel}" relationship`);
    }
    if (link.status === 'pending') throw new ReferencePendingError(`${rel} "${record.sourceId}" (${path}) has not synced yet`);
    const target = await ensureRecord(link.shardId, stream);
    if (!target) throw new ReferencePendingError(`the ${rel} shard of "${record.sourceId}" (${path}) is not stored`);
    targetIds.set(referenceKey(record), target.externalId);
  }
  return substituteReferences(shard.data, references, (record) => targetIds.get(referenceKey(record))!);
}
