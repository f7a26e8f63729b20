import type { Shard } from '../schemas/shard.js';
import type { MergeStrategy } from './dedupeRules.js';
import type { MatchedField } from './matchScore.js';
import { contributionModifiedAt, mergeContributions, type Contribution } from './mergeContributions.js';
import { contentHash } from '../contentHash.js';
import { sourceKey } from '../sourceKey.js';
import { ids } from '../ids.js';

type StoredContribution = NonNullable<Shard['contributions']>[number];

/** A shard's records as contributions: its own when it was never merged. */
export function contributionsOf(shard: Shard): StoredContribution[] {
  if (shard.contributions) return shard.contributions;
  const own = shard.externalRelationships.find((r) => ids.shardFor(r.connectionId, r.stream, r.externalId) === shard.id) ?? shard.externalRelationships[0];
  return [{ source: own ? sourceKey(own) : shard.id, data: shard.data, modifiedAt: contributionModifiedAt(shard.data, shard.updatedAt), joinedAt: shard.createdAt, updatedByBatch: shard.updatedByBatch }];
}

export interface ShardMergePlan {
  survivor: Shard;
  /** The merged-away shard and its derived shards: they go. */
  deletes: string[];
  /** Each record of the merged-away shard: its own shard id now points to the survivor. */
  aliases: Array<{ shardId: string; source: string }>;
}

/**
 * Two stored shards turned out to be one entity (rules added after both were synced, or a change
 * made them match): the merged-away shard's records become contributions of the survivor, with
 * their external relationships and the links they brought; its derived shards go (the survivor's
 * own record derives them). Each merged record is explained like a merge on arrival.
 */
export function planShardMerge(
  survivor: Shard,
  mergedAway: Shard,
  match: { score: number; matched: MatchedField[] },
  strategy: MergeStrategy,
  batchKey: string,
  now: string,
): ShardMergePlan {
  const incoming = contributionsOf(mergedAway);
  const contributions = [...contributionsOf(survivor).filter((c) => !incoming.some((i) => i.source === c.source)), ...incoming];
  const data = mergeContributions(contributions as Contribution[], strategy);
  const movedSources = new Set(incoming.map((c) => c.source));
  const ownSource = contributionsOf(mergedAway)[0]!.source;
  const movedLinks = mergedAway.links
    .filter((link) => link.rel !== 'derived')
    .map((link) => (link.source === undefined && link.stream !== undefined ? { ...link, source: ownSource } : link));
  const aliases = mergedAway.externalRelationships.map((r) => ({ shardId: ids.shardFor(r.connectionId, r.stream, r.externalId), source: sourceKey(r) }));
  return {
    survivor: {
      ...survivor,
      data,
      hash: contentHash({ shardType: survivor.shardType, data }),
      contributions,
      merges: [
        ...(survivor.merges ?? []).filter((m) => !movedSources.has(m.source)),
        ...(mergedAway.merges ?? []),
        ...aliases
          .filter((alias) => !(mergedAway.merges ?? []).some((m) => m.source === alias.source))
          .map((alias) => ({ source: alias.source, shardId: alias.shardId, score: match.score, matched: match.matched, mergedAt: now, batchKey })),
      ],
      externalRelationships: [...survivor.externalRelationships.filter((r) => !movedSources.has(sourceKey(r))), ...mergedAway.externalRelationships],
      links: [...survivor.links, ...movedLinks.filter((link) => !survivor.links.some((l) => l.rel === link.rel && l.shardId === link.shardId))],
      version: survivor.version + 1,
      updatedByBatch: batchKey,
      updatedAt: now,
    },
    deletes: [mergedAway.id, ...mergedAway.links.filter((link) => link.rel === 'derived').map((link) => link.shardId)],
    aliases,
  };
}
