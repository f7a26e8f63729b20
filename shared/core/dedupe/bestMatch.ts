import type { BlockEntry } from './blockEntries.js';
import type { DedupeRules } from './dedupeRules.js';
import { mayMatch, preparedFromValues } from './entryValues.js';
import { matchPrepared, type MatchedField, type MatchResult, type PreparedRecord } from './matchScore.js';
import type { Candidate } from './resolutionCandidate.js';

/** Which entity, if any, a record is a duplicate of. */
export type MatchDecision =
  | { kind: 'match'; survivorId: string; score: number; matched: MatchedField[] }
  | { kind: 'new' };

export interface BestMatch {
  decision: MatchDecision;
  /** Distinct entities compared with. */
  compared: number;
  /** Of those, pairs scored in full (the others could not match on their exact fields). */
  scored: number;
}

/**
 * The best-scoring entity at or above the threshold among the distinct entities of the blocks,
 * itself excluded. Ties go to the higher evidence, then to the smaller shard id, so every worker
 * picks the same survivor whatever order it read the blocks in. `prepared` keeps the entries
 * prepared so far, for callers that compare many records with the same blocks.
 */
export function bestMatch(
  candidate: Candidate,
  blocks: readonly (readonly BlockEntry[])[],
  rules: DedupeRules,
  prepared: Map<BlockEntry, PreparedRecord> = new Map(),
): BestMatch {
  const seen = new Set([candidate.shardId]);
  let best: { shardId: string; result: MatchResult } | undefined;
  let scored = 0;
  for (const entries of blocks) {
    for (const entry of entries) {
      if (seen.has(entry.shardId)) continue;
      seen.add(entry.shardId);
      if (!mayMatch(candidate.values, entry.values, rules)) continue;
      scored++;
      let record = prepared.get(entry);
      if (!record) prepared.set(entry, (record = preparedFromValues(entry.values, rules)));
      const result = matchPrepared(candidate.record, record, rules);
      if (result && (!best || outranks(result, entry.shardId, best))) best = { shardId: entry.shardId, result };
    }
  }
  const decision: MatchDecision = best
    ? { kind: 'match', survivorId: best.shardId, score: best.result.score, matched: best.result.matched }
    : { kind: 'new' };
  return { decision, compared: seen.size - 1, scored };
}

function outranks(result: MatchResult, shardId: string, best: { shardId: string; result: MatchResult }): boolean {
  if (result.score !== best.result.score) return result.score > best.result.score;
  if (result.evidence !== best.result.evidence) return result.evidence > best.result.evidence;
  return shardId < best.shardId;
}
