import type { BlockEntry } from './blockEntries.js';
import { claim, type BlockChange, type BlockContents } from './blockChanges.js';
import { bestMatch, type MatchDecision } from './bestMatch.js';
import type { DedupeRules } from './dedupeRules.js';
import type { PreparedRecord } from './matchScore.js';
import { MAX_BATCH_OPERATIONS, type Candidate } from './resolutionCandidate.js';

/** Claims that go to the store in one transaction. */
export interface PlannedTransaction {
  /** Positions of the records whose claims it carries. */
  members: number[];
  changes: BlockChange[];
}

/** A round of records decided against one read of their blocks, and the writes that make the decisions hold. */
export interface RoundPlan {
  /** One per record, in order. */
  decisions: MatchDecision[];
  /** Per position: the earlier records of the round whose claims its decision rests on. */
  dependsOn: number[][];
  transactions: PlannedTransaction[];
  compared: number;
  scored: number;
}

/**
 * Decides a round's records in order against the blocks as read, each seeing the entities the
 * ones before it claimed, and packs the claims into transactions of at most 100 blocks, a claim
 * never split across two (each block once per transaction, with everything claimed so far).
 */
export function planRound(candidates: readonly Candidate[], read: BlockContents, rules: DedupeRules): RoundPlan {
  const current = new Map(read);
  const prepared = new Map<BlockEntry, PreparedRecord>();
  const claimedBy = new Map<string, number>();
  const lastWriter = new Map<string, number>();
  const plan: RoundPlan = { decisions: [], dependsOn: [], transactions: [], compared: 0, scored: 0 };
  let open: { members: number[]; changes: Map<string, BlockChange> } = { members: [], changes: new Map() };
  const close = () => {
    if (open.members.length > 0) plan.transactions.push({ members: open.members, changes: [...open.changes.values()] });
    open = { members: [], changes: new Map() };
  };
  candidates.forEach((candidate, position) => {
    const { decision, compared, scored } = bestMatch(candidate, candidate.blocks.map((block) => current.get(block.id) ?? []), rules, prepared);
    plan.decisions.push(decision);
    plan.compared += compared;
    plan.scored += scored;
    const changes = decision.kind === 'new' ? claim(candidate, current) : [];
    plan.dependsOn.push(dependencies(candidate, decision, changes.length > 0, claimedBy, lastWriter));
    if (changes.length === 0) return;
    claimedBy.set(candidate.shardId, position);
    if (open.changes.size + changes.filter((change) => !open.changes.has(change.id)).length > MAX_BATCH_OPERATIONS) close();
    open.members.push(position);
    for (const change of changes) {
      current.set(change.id, change.entries);
      open.changes.set(change.id, change);
      lastWriter.set(change.id, position);
    }
  });
  close();
  return plan;
}

/**
 * The positions whose decision did not hold: the members of the transactions that failed
 * (`lostClaims`), and, through them, every later decision that rests on one of their claims.
 */
export function lostDecisions(plan: Pick<RoundPlan, 'dependsOn'>, lostClaims: ReadonlySet<number>): Set<number> {
  const lost = new Set(lostClaims);
  // dependsOn points only at earlier positions, so one pass in order carries a loss down every chain.
  plan.dependsOn.forEach((claimants, position) => {
    if (claimants.some((claimant) => lost.has(claimant))) lost.add(position);
  });
  return lost;
}

/**
 * The claims of this round a decision rests on: the survivor it matched, an earlier copy of the
 * same shard, and, for a new record that changed no block, whoever filled its blocks.
 */
function dependencies(
  candidate: Candidate,
  decision: MatchDecision,
  claims: boolean,
  claimedBy: ReadonlyMap<string, number>,
  lastWriter: ReadonlyMap<string, number>,
): number[] {
  const positions = [claimedBy.get(decision.kind === 'match' ? decision.survivorId : candidate.shardId)];
  if (decision.kind === 'new' && !claims) positions.push(...candidate.blocks.map((block) => lastWriter.get(block.id)));
  return positions.filter((position) => position !== undefined);
}
