import type { Shard } from '../schemas/shard.js';
import type { MergeStrategy } from '../dedupe/dedupeRules.js';
import { withoutDeletedRecords } from '../dedupe/deletedRecordRemoval.js';
import { sourceKey } from '../sourceKey.js';

/** Which stream a complete full read covered, and the run that read it. */
export interface AbsenceScope {
  connectionId: string;
  stream: string;
  executionId: string;
  now: string;
}

/** One shard's write: a tombstone, or a merged shard without its deleted records' contributions. */
export interface AbsenceWrite {
  shard: Shard;
  /** The ETag the shard was read with: the write is conditional on it. */
  ifMatch: string;
}

export interface DeletesByAbsencePlan {
  /** Records of the stream the read did not see: the run's `deleted` count, including those it already tombstoned (a redelivery). Derived shards are not records: not counted. */
  deleted: number;
  writes: AbsenceWrite[];
  /** The derived shards of the shards this run tombstones: planned with them (`derived`), they become tombstones too. */
  derivedIds: string[];
}

/**
 * Deletes by absence, after a complete full read of a stream: every record of the stream that a
 * shard holds and the read did not see (`seen`: external ids) is gone at the provider. A shard left
 * with no record becomes a tombstone (`deletedAt`, `deletedBy`; its data and relationships kept, so
 * a record that comes back restores it); a merged shard keeps its other records' data. Shards
 * already tombstoned by this run for a record it did not see count again (a redelivery) and are
 * not rewritten; tombstones of earlier runs are neither counted nor rewritten. (A redelivered completion may plan fewer, once a merged shard has
 * lost the contribution: the use case counts the first plan, once, before writing.)
 * The derived shards of a shard this run tombstones become tombstones with it (a company profile
 * must not outlive its customer), with the same marks; a record that comes back restores them
 * with it (planRecordWrite). Which shards become tombstones is decided here, so the plan names
 * their derived shards (`derivedIds`) for the use case to read and plan again with. Those of a
 * shard this run tombstoned on an earlier delivery are planned too, unless already tombstoned:
 * a redelivery completes what a failed one left.
 */
export function planDeletesByAbsence(
  shards: ReadonlyArray<{ shard: Shard; etag: string }>,
  seen: Pick<ReadonlySet<string>, 'has'>,
  scope: AbsenceScope,
  strategyOf: (shardType: string) => MergeStrategy,
  derived: ReadonlyMap<string, { shard: Shard; etag: string }> = new Map(),
): DeletesByAbsencePlan {
  let deleted = 0;
  const writes: AbsenceWrite[] = [];
  const derivedIds: string[] = [];
  const tombstoneDerived = (primary: Shard) => {
    for (const link of primary.links) {
      if (link.rel !== 'derived') continue;
      derivedIds.push(link.shardId);
      const stored = derived.get(link.shardId);
      if (stored && stored.shard.deletedAt === undefined) writes.push({ ifMatch: stored.etag, shard: tombstone(stored.shard, scope) });
    }
  };
  for (const { shard, etag } of shards) {
    if (shard.deletedAt !== undefined) {
      if (shard.deletedBy === scope.executionId) {
        // Only what the read did not see: a record it read flagged deleted was counted by its batch.
        deleted += shard.externalRelationships.filter((r) => inScope(r, scope) && !seen.has(r.externalId)).length;
        tombstoneDerived(shard);
      }
      continue;
    }
    const gone = new Set(shard.externalRelationships.filter((r) => inScope(r, scope) && !seen.has(r.externalId)).map(sourceKey));
    if (gone.size === 0) continue;
    deleted += gone.size;
    const rest = withoutDeletedRecords(shard, gone, strategyOf(shard.shardType), scope.now);
    writes.push({ ifMatch: etag, shard: rest ?? tombstone(shard, scope) });
    // A merged shard that keeps another record keeps its derived shards.
    if (!rest) tombstoneDerived(shard);
  }
  return { deleted, writes, derivedIds };
}

const tombstone = (shard: Shard, scope: AbsenceScope): Shard => ({
  ...shard,
  deletedAt: scope.now,
  deletedBy: scope.executionId,
  version: shard.version + 1,
  updatedAt: scope.now,
});

const inScope = (r: { connectionId: string; stream: string }, scope: AbsenceScope) => r.connectionId === scope.connectionId && r.stream === scope.stream;
