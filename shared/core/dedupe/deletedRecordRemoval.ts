import type { Shard } from '../schemas/shard.js';
import type { MergeStrategy } from './dedupeRules.js';
import { mergeContributions } from './mergeContributions.js';
import { contentHash } from '../contentHash.js';
import { sourceKey } from '../sourceKey.js';
import { ids } from '../ids.js';

/**
 * A merged shard after some of its records were deleted at the provider: what they brought — their
 * contributions, merge entries, external relationships and the links they brought — goes, and the
 * data is merged again from the records left. Unlike an unmerge, no shard comes back for them.
 * Back to a plain shard when only the shard's own record is left (its hash is that record's again,
 * so the next sync of it rewrites nothing). Undefined when no record is left: that is a tombstone.
 */
export function withoutDeletedRecords(shard: Shard, sources: ReadonlySet<string>, strategy: MergeStrategy, now: string): Shard | undefined {
  const externalRelationships = shard.externalRelationships.filter((r) => !sources.has(sourceKey(r)));
  if (externalRelationships.length === 0) return undefined;
  const contributions = (shard.contributions ?? []).filter((c) => !sources.has(c.source));
  const merges = (shard.merges ?? []).filter((m) => !sources.has(m.source));
  const ownSource = [...sources].find((source) => shard.externalRelationships.some((r) => sourceKey(r) === source && ids.shardFor(r.connectionId, r.stream, r.externalId) === shard.id));
  // The shard's own record owns the links without a `source` (derived shards, its parents); merged-in records those with theirs.
  const links = shard.links.filter((link) => (link.source === undefined ? ownSource === undefined : !sources.has(link.source)));
  const onlyOwnLeft =
    externalRelationships.length === 1 && ids.shardFor(externalRelationships[0]!.connectionId, externalRelationships[0]!.stream, externalRelationships[0]!.externalId) === shard.id;
  const { contributions: _c, merges: _m, ...plain } = shard;
  if (onlyOwnLeft) {
    const own = contributions.find((c) => c.source === sourceKey(externalRelationships[0]!));
    return { ...plain, data: own?.data ?? shard.data, hash: externalRelationships[0]!.hash, externalRelationships, links, version: shard.version + 1, updatedAt: now };
  }
  const data = mergeContributions(contributions, strategy);
  return {
    ...plain,
    contributions,
    merges,
    data,
    hash: contentHash({ shardType: shard.shardType, data }),
    externalRelationships,
    links,
    version: shard.version + 1,
    updatedAt: now,
  };
}
