import type { ExternalRelationship, Shard } from './schemas/shard.js';
import { decideRecordOutcome, type RecordOutcome } from './recordOutcome.js';

/** One transformed record on its way to a shard. */
export interface IncomingRecord {
  connectionId: string;
  stream: string;
  externalId: string;
  shardType: string;
  data: Record<string, unknown>;
  /** Content hash of shardType + data. */
  hash: string;
}

export type ShardWrite =
  | { kind: 'create'; shard: Shard }
  | { kind: 'replace'; shard: Shard; ifMatch: string };

export interface ShardWritePlan {
  outcome: RecordOutcome;
  /** Absent when the shard already holds this content: nothing is rewritten. */
  write?: ShardWrite;
}

/**
 * Decides what saving a record means for its shard, from data alone: create it, replace it
 * (conditionally on the ETag it was read with), or leave it untouched. The use case executes it.
 */
export function planShardWrite(
  record: IncomingRecord,
  target: { shardId: string; tenantId: string; existing?: Shard; etag?: string },
  batchKey: string,
  now: string,
): ShardWritePlan {
  const { existing } = target;
  const outcome = decideRecordOutcome(existing, record.hash, batchKey);
  if (existing && existing.hash === record.hash) return { outcome };
  const relationship: ExternalRelationship = {
    connectionId: record.connectionId,
    stream: record.stream,
    externalId: record.externalId,
    syncStatus: 'synced',
    lastSyncedAt: now,
    hash: record.hash,
  };
  if (!existing) {
    return {
      outcome,
      write: {
        kind: 'create',
        shard: {
          id: target.shardId,
          tenantId: target.tenantId,
          shardType: record.shardType,
          data: record.data,
          externalRelationships: [relationship],
          links: [],
          version: 1,
          hash: record.hash,
          createdByBatch: batchKey,
          updatedByBatch: batchKey,
          createdAt: now,
          updatedAt: now,
        },
      },
    };
  }
  const others = existing.externalRelationships.filter(
    (r) => !(r.connectionId === record.connectionId && r.stream === record.stream && r.externalId === record.externalId),
  );
  return {
    outcome,
    write: {
      kind: 'replace',
      ifMatch: target.etag ?? '',
      shard: {
        ...existing,
        shardType: record.shardType,
        data: record.data,
        externalRelationships: [...others, relationship],
        version: existing.version + 1,
        hash: record.hash,
        updatedByBatch: batchKey,
        updatedAt: now,
      },
    },
  };
}
