/**
 * Pairwise quality of a de-duplication against labels: every two records put in one cluster form
 * a pair, and predicted pairs are checked against labeled ones.
 */
export interface MatchQuality {
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
  /** Share of predicted pairs that are real; 1 when nothing was predicted. */
  precision: number;
  /** Share of real pairs that were predicted; 1 when there were none. */
  recall: number;
  f1: number;
}

export interface ClusterAssignment {
  id: string;
  clusterId: string;
}

/** Order-free key of a pair of ids. */
export function pairKey(a: string, b: string): string {
  return a < b ? JSON.stringify([a, b]) : JSON.stringify([b, a]);
}

/** Every pair of records sharing a cluster, as pair keys. */
export function clusterPairs(assignments: Iterable<ClusterAssignment>): Set<string> {
  const members = new Map<string, string[]>();
  for (const { id, clusterId } of assignments) {
    const list = members.get(clusterId);
    if (list) list.push(id);
    else members.set(clusterId, [id]);
  }
  const pairs = new Set<string>();
  for (const ids of members.values()) {
    for (let i = 0; i < ids.length; i++) {
      for (let j = i + 1; j < ids.length; j++) pairs.add(pairKey(ids[i]!, ids[j]!));
    }
  }
  return pairs;
}

export function matchQuality(predicted: ReadonlySet<string>, actual: ReadonlySet<string>): MatchQuality {
  let truePositives = 0;
  for (const pair of predicted) if (actual.has(pair)) truePositives++;
  const falsePositives = predicted.size - truePositives;
  const falseNegatives = actual.size - truePositives;
  const precision = predicted.size === 0 ? 1 : truePositives / predicted.size;
  const recall = actual.size === 0 ? 1 : truePositives / actual.size;
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { truePositives, falsePositives, falseNegatives, precision, recall, f1 };
}
