import { describe, expect, it } from 'vitest';
import { bestMatch } from '../../../../shared/core/dedupe/bestMatch.js';
import type { BlockEntry } from '../../../../shared/core/dedupe/blockEntries.js';
import { candidate, person, retyped, rules } from './people.js';

const entryOf = (shardId: string, data: unknown): BlockEntry => ({ shardId, values: candidate(shardId, data).values });

describe('best match', () => {
  it('matches the duplicate among the entries, naming the fields that agreed', () => {
    const { decision } = bestMatch(candidate('b', retyped(1)), [[entryOf('x', person(2)), entryOf('a', person(1))]], rules);
    expect(decision).toMatchObject({ kind: 'match', survivorId: 'a' });
    if (decision.kind !== 'match') return;
    expect(decision.score).toBeGreaterThanOrEqual(rules.threshold);
    expect(decision.matched.map((m) => m.field)).toEqual(expect.arrayContaining(['email', 'phone']));
  });

  it('never matches a record with its own entry', () => {
    const a = candidate('a', person(1));
    expect(bestMatch(a, [[{ shardId: 'a', values: a.values }]], rules)).toEqual({ decision: { kind: 'new' }, compared: 0, scored: 0 });
  });

  it('on a tie picks the smaller shard id, whatever order the blocks were read in', () => {
    const record = candidate('r', retyped(1));
    const [x, y] = [entryOf('x', person(1)), entryOf('y', person(1))];
    expect(bestMatch(record, [[y], [x]], rules).decision).toMatchObject({ kind: 'match', survivorId: 'x' });
    expect(bestMatch(record, [[x, y]], rules).decision).toMatchObject({ kind: 'match', survivorId: 'x' });
  });

  it('prefers the higher score to the smaller shard id', () => {
    const record = candidate('r', person(1));
    const exact = entryOf('z', person(1));
    const retypedEntry = entryOf('a', retyped(1));
    expect(bestMatch(record, [[retypedEntry, exact]], rules).decision).toMatchObject({ kind: 'match', survivorId: 'z' });
  });

  it('compares each entity once however many blocks hold it, and scores in full only pairs that may match', () => {
    const record = candidate('r', person(1));
    const namesake = entryOf('n', person(2));
    const duplicate = entryOf('d', retyped(1));
    const result = bestMatch(record, [[namesake, duplicate], [duplicate], [namesake]], rules);
    expect(result.compared).toBe(2);
    expect(result.scored).toBeGreaterThanOrEqual(1);
    expect(result.scored).toBeLessThanOrEqual(result.compared);
    expect(result.decision).toMatchObject({ kind: 'match', survivorId: 'd' });
  });

  it('finds nothing among strangers', () => {
    const strangers = [entryOf('s2', person(2)), entryOf('s3', person(3))];
    expect(bestMatch(candidate('r', person(1)), [strangers], rules).decision).toEqual({ kind: 'new' });
  });
});
