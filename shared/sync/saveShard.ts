import { ConflictError, PreconditionFailedError } from '../ports/storeErrors.js';
import type { ExternalLookup, ExternalRelationship, Shard } from '../core/schemas/shard.js';
import { decideRecordOutcome, type RecordOutcome } from '../core/recordOutcome.js';
import { ids } from '../core/ids.js';
import type { SyncDeps } from './syncDeps.js';

export interface ShardWrite {
  tenantId: string;
  connectionId: string;
  stream: string;
  externalId: string;
  shardType: string;
  data: Record<string, unknown>;
  hash: string;
  /** Identifies the batch doing the write (see decideRecordOutcome). */
  batchKey: string;
}

/**
 * Writes one record's shard, de-duplicated on its external id. Idempotent: the look-up document
 * (or the deterministic shard id when there is none yet) finds the same shard on every attempt;
 * creates that lose a race (409) and replaces on a stale ETag (412) retry as updates; an
 * unchanged shard is not rewritten.
 */
export async function saveShard(deps: SyncDeps, write: ShardWrite): Promise<RecordOutcome> {
  const { tenantId, connectionId, stream, externalId } = write;
  const lookupId = ids.externalLookup(connectionId, stream, externalId);
  const lookup = await deps.store.read<ExternalLookup>('lookups', tenantId, lookupId);
  const shardId = lookup?.shardId ?? ids.shardFor(connectionId, stream, externalId);
  let outcome: RecordOutcome;
  for (;;) {
    const existing = await deps.store.read<Shard>('shards', tenantId, shardId);
    outcome = decideRecordOutcome(existing, write.hash, write.batchKey);
    if (existing && existing.hash === write.hash) break;
    const now = deps.clock.now().toISOString();
    const relationship: ExternalRelationship = {
      connectionId,
      stream,
      externalId,
      syncStatus: 'synced',
      lastSyncedAt: now,
      hash: write.hash,
    };
    try {
      if (!existing) {
        const shard: Shard = {
          id: shardId,
          tenantId,
          shardType: write.shardType,
          data: write.data,
          externalRelationships: [relationship],
          links: [],
          version: 1,
          hash: write.hash,
          createdByBatch: write.batchKey,
          updatedByBatch: write.batchKey,
          createdAt: now,
          updatedAt: now,
        };
        await deps.store.create('shards', shard);
      } else {
        const others = existing.externalRelationships.filter(
          (r) => !(r.connectionId === connectionId && r.stream === stream && r.externalId === externalId),
        );
        const shard: Shard = {
          ...existing,
          shardType: write.shardType,
          data: write.data,
          externalRelationships: [...others, relationship],
          version: existing.version + 1,
          hash: write.hash,
          updatedByBatch: write.batchKey,
          updatedAt: now,
        };
        await deps.store.replace('shards', shard, { ifMatch: existing._etag });
      }
      break;
    } catch (error) {
      if (error instanceof ConflictError || error instanceof PreconditionFailedError) continue;
      throw error;
    }
  }
  if (!lookup) {
    const doc: ExternalLookup = { id: lookupId, tenantId, shardId };
    await deps.store.upsert('lookups', doc);
  }
  return outcome;
}
