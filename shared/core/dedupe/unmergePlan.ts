import type { Shard } from '../schemas/shard.js';
import type { MergeStrategy } from './dedupeRules.js';
import { mergeContributions } from './mergeContributions.js';
import { contentHash } from '../contentHash.js';
import { sourceKey } from '../sourceKey.js';

export type UnmergePlan =
  | { kind: 'not_merged' }
  | { kind: 'unmerge'; survivor: Shard; restored: Shard };

/**
 * Undoing a merge: the record `source` leaves the shard with what it brought — its contribution,
 * its external relationship, the links it brought — and gets back the shard it would have had
 * alone. The survivor's data is merged again from the records left. The restored shard carries the
 * record's last hash, so the next sync of an unchanged record rewrites nothing.
 */
export function planUnmerge(survivor: Shard, source: string, strategy: MergeStrategy, now: string): UnmergePlan {
  const merge = survivor.merges?.find((m) => m.source === source);
  const contribution = survivor.contributions?.find((c) => c.source === source);
  const relationship = survivor.externalRelationships.find((r) => sourceKey(r) === source);
  if (!merge || !contribution || !relationship) return { kind: 'not_merged' };

  const contributions = survivor.contributions!.filter((c) => c.source !== source);
  const merges = survivor.merges!.filter((m) => m.source !== source);
  const externalRelationships = survivor.externalRelationships.filter((r) => r !== relationship);
  // Back to a plain shard when only its own record is left: its hash is that record's again.
  const alone = contributions.length === 1 ? { data: contributions[0]!.data, hash: externalRelationships[0]?.hash ?? survivor.hash } : undefined;
  const data = alone?.data ?? mergeContributions(contributions, strategy);
  const { contributions: _c, merges: _m, ...plain } = survivor;
  const rest = alone ? plain : { ...plain, contributions, merges };
  return {
    kind: 'unmerge',
    survivor: {
      ...rest,
      data,
      hash: alone?.hash ?? contentHash({ shardType: survivor.shardType, data }),
      externalRelationships,
      links: survivor.links.filter((link) => link.source !== source),
      separatedFrom: [...(survivor.separatedFrom ?? []), merge.shardId],
      version: survivor.version + 1,
      updatedAt: now,
    },
    restored: {
      id: merge.shardId,
      tenantId: survivor.tenantId,
      shardType: survivor.shardType,
      data: contribution.data,
      externalRelationships: [relationship],
      links: survivor.links.filter((link) => link.source === source).map(({ source: _s, ...link }) => link),
      version: 1,
      hash: relationship.hash,
      // Resolved already: the operator decided it is another entity than the survivor.
      ...(survivor.resolvedWith === undefined ? {} : { resolvedWith: survivor.resolvedWith }),
      separatedFrom: [survivor.id],
      createdByBatch: contribution.updatedByBatch,
      updatedByBatch: contribution.updatedByBatch,
      createdAt: now,
      updatedAt: now,
    },
  };
}
