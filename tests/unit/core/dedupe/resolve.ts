import { blockingKeys } from '../../../../shared/core/dedupe/blockingKeys.js';
import type { DedupeRules } from '../../../../shared/core/dedupe/dedupeRules.js';
import { prepareRecord, scorePrepared } from '../../../../shared/core/dedupe/matchScore.js';
import type { ClusterAssignment } from '../../../../shared/core/dedupe/matchQuality.js';

export interface Resolution {
  clusters: ClusterAssignment[];
  /** Distinct pairs scored: what blocking let through. */
  comparisons: number;
}

/**
 * Resolves records the way the orchestration will: compare only records sharing a blocking key,
 * and join matching pairs into clusters (union-find, so matches are transitive).
 */
export function resolve(records: readonly { id: string; data: unknown }[], rules: DedupeRules): Resolution {
  const parent = records.map((_, index) => index);
  const root = (index: number): number => {
    while (parent[index] !== index) index = parent[index] = parent[parent[index]!]!;
    return index;
  };
  const blocks = new Map<string, number[]>();
  records.forEach((record, index) => {
    for (const key of blockingKeys(record.data, rules)) {
      const block = blocks.get(key);
      if (block) block.push(index);
      else blocks.set(key, [index]);
    }
  });
  const prepared = records.map((record) => prepareRecord(record.data, rules));
  const compared = new Set<number>();
  for (const block of blocks.values()) {
    for (let i = 0; i < block.length; i++) {
      for (let j = i + 1; j < block.length; j++) {
        const a = block[i]!;
        const b = block[j]!;
        const pair = a * records.length + b;
        if (compared.has(pair)) continue;
        compared.add(pair);
        if (scorePrepared(prepared[a]!, prepared[b]!, rules).isMatch) parent[root(a)] = root(b);
      }
    }
  }
  return { clusters: records.map((record, index) => ({ id: record.id, clusterId: String(root(index)) })), comparisons: compared.size };
}
