import { describe, expect, it } from 'vitest';
import { BLOCK_CAPACITY, type BlockEntry } from '../../../../shared/core/dedupe/blockEntries.js';
import { claim, removals } from '../../../../shared/core/dedupe/blockChanges.js';
import { candidate, person } from './people.js';

const contentsAfter = (changes: ReturnType<typeof claim>) => new Map(changes.map((change) => [change.id, change.entries]));

describe('block changes', () => {
  it('claim adds the entry to every block of the record, and claiming again changes nothing', () => {
    const a = candidate('a', person(1));
    expect(a.blocks.length).toBeGreaterThan(1);
    const changes = claim(a, new Map());
    expect(changes.map((change) => change.id)).toEqual(a.blocks.map((block) => block.id));
    expect(changes.every((change) => change.entries.length === 1 && change.entries[0]!.shardId === 'a')).toBe(true);
    expect(claim(a, contentsAfter(changes))).toEqual([]);
  });

  it('claim updates an entry whose values changed, in place', () => {
    const before = candidate('a', person(1));
    const after = candidate('a', person(1, { firstName: 'Kathy' }));
    const changes = claim(after, contentsAfter(claim(before, new Map())));
    expect(changes.length).toBeGreaterThan(0);
    for (const change of changes) expect(change.entries).toEqual([{ shardId: 'a', values: after.values }]);
  });

  it('claim leaves out a full block', () => {
    const a = candidate('a', person(1));
    const [full, ...others] = a.blocks;
    const strangers: BlockEntry[] = Array.from({ length: BLOCK_CAPACITY }, (_, i) => ({ shardId: `s${i}`, values: candidate(`s${i}`, person(i + 2)).values }));
    const changes = claim(a, new Map([[full!.id, strangers]]));
    expect(changes.map((change) => change.id)).toEqual(others.map((block) => block.id));
  });

  it('removals take the entry out, leave a block it emptied with no entries (to be deleted), and skip blocks without it', () => {
    const a = candidate('a', person(1));
    const b = candidate('b', person(1, { firstName: 'Robert', email: 'bob@example.com', phone: '+1 415 999 0000' }));
    const withA = contentsAfter(claim(a, new Map()));
    const current = new Map([...withA, ...contentsAfter(claim(b, withA))]);
    const shared = a.blocks.filter((block) => b.blocks.some((other) => other.id === block.id));
    expect(shared.length).toBeGreaterThan(0);
    expect(shared.length).toBeLessThan(a.blocks.length);

    const changes = removals('a', a.blocks, current);
    expect(changes.map((change) => change.id)).toEqual(a.blocks.map((block) => block.id));
    for (const change of changes) {
      const expected = shared.some((block) => block.id === change.id) ? ['b'] : [];
      expect(change.entries.map((entry) => entry.shardId)).toEqual(expected);
    }
    expect(removals('nobody', a.blocks, current)).toEqual([]);
  });
});
