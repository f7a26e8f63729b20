import type { Shard } from '../schemas/shard.js';
import { contentHash } from '../contentHash.js';

/**
 * The `hash` of a shard whose data changed on our side (an edit, a resolved conflict, the
 * provider's answer to a write-back), in the form the writer gives it: type, key and data for a
 * derived shard (as shardWritePlan's planDerivedWrite), type and data otherwise (as for merged
 * shards, and records with neither derived shards nor parents). Whether a provider's record
 * changed is told by its external relationship's hash, which is the record's and stays as it is.
 */
export function editedShardHash(shard: Pick<Shard, 'shardType' | 'derivedKey'>, data: Record<string, unknown>): string {
  const { shardType, derivedKey } = shard;
  return derivedKey === undefined ? contentHash({ shardType, data }) : contentHash({ shardType, key: derivedKey, data });
}
