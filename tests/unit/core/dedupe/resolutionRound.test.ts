import { describe, expect, it } from 'vitest';
import { claim } from '../../../../shared/core/dedupe/blockChanges.js';
import { lostDecisions, planRound } from '../../../../shared/core/dedupe/resolutionRound.js';
import { candidate, person, retyped, rules } from './people.js';

const summary = (decision: { kind: string; survivorId?: string }) => (decision.kind === 'match' ? decision.survivorId : decision.kind);

describe('resolution round', () => {
  it('decides each record against the blocks as read and the claims of the records before it', () => {
    const plan = planRound([candidate('a', person(1)), candidate('b', person(2)), candidate('c', retyped(1))], new Map(), rules);
    expect(plan.decisions.map(summary)).toEqual(['new', 'new', 'a']);
    expect(plan.dependsOn).toEqual([[], [], [0]]);
    expect(plan.transactions.map((transaction) => transaction.members)).toEqual([[0, 1]]);
    expect(plan.compared).toBeGreaterThan(0);
  });

  it('matches an entity already in the blocks as read, claiming nothing and resting on no one in the round', () => {
    const stored = claim(candidate('a', person(1)), new Map());
    const read = new Map(stored.map((change) => [change.id, change.entries]));
    const plan = planRound([candidate('b', retyped(1))], read, rules);
    expect(plan.decisions.map(summary)).toEqual(['a']);
    expect(plan.dependsOn).toEqual([[]]);
    expect(plan.transactions).toEqual([]);
  });

  it('writes each block once per transaction, with everything the round claimed in it so far', () => {
    const household = person(1, { firstName: 'Robert', email: 'bob@example.com', phone: '+1 415 999 0000' });
    const [a, b] = [candidate('a', person(1)), candidate('b', household)];
    const plan = planRound([a, b], new Map(), rules);
    expect(plan.decisions.map(summary)).toEqual(['new', 'new']);
    expect(plan.transactions).toHaveLength(1);
    const changes = plan.transactions[0]!.changes;
    expect(new Set(changes.map((change) => change.id)).size).toBe(changes.length);
    const shared = changes.filter((change) => change.entries.length === 2);
    expect(shared.length).toBeGreaterThan(0);
    for (const change of shared) expect(change.entries.map((entry) => entry.shardId)).toEqual(['a', 'b']);
  });

  it('packs claims into transactions of at most 100 blocks, never splitting one record’s claim', () => {
    const round = Array.from({ length: 60 }, (_, i) => candidate(`p${i + 1}`, person(i + 1)));
    const plan = planRound(round, new Map(), rules);
    expect(plan.decisions.every((decision) => decision.kind === 'new')).toBe(true);
    expect(plan.transactions.length).toBeGreaterThan(1);
    expect(plan.transactions.flatMap((transaction) => transaction.members)).toEqual(round.map((_, position) => position));
    for (const transaction of plan.transactions) {
      expect(transaction.changes.length).toBeLessThanOrEqual(100);
      const ids = new Set(transaction.changes.map((change) => change.id));
      for (const position of transaction.members) expect(round[position]!.blocks.every((block) => ids.has(block.id))).toBe(true);
    }
  });

  it('lets a record repeated in the round rest on its first copy, claiming nothing itself', () => {
    const a = candidate('a', person(1));
    const plan = planRound([a, a], new Map(), rules);
    expect(plan.decisions).toEqual([{ kind: 'new' }, { kind: 'new' }]);
    expect(plan.dependsOn[1]!.length).toBeGreaterThan(0);
    expect(new Set(plan.dependsOn[1])).toEqual(new Set([0]));
    expect(plan.transactions.map((transaction) => transaction.members)).toEqual([[0]]);
  });

  it('loses, with a lost claim, every later decision that rests on it, down the chain', () => {
    const dependsOn = [[], [0], [1], [], [3]];
    expect([...lostDecisions({ dependsOn }, new Set([0]))].sort((x, y) => x - y)).toEqual([0, 1, 2]);
    expect([...lostDecisions({ dependsOn }, new Set([3]))].sort((x, y) => x - y)).toEqual([3, 4]);
    expect(lostDecisions({ dependsOn }, new Set())).toEqual(new Set());
  });
});
