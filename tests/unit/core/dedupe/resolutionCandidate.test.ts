import { describe, expect, it } from 'vitest';
import { blockingKeys } from '../../../../shared/core/dedupe/blockingKeys.js';
import { entryValues } from '../../../../shared/core/dedupe/entryValues.js';
import { prepareRecord } from '../../../../shared/core/dedupe/matchScore.js';
import { blocksOf, prepareCandidate } from '../../../../shared/core/dedupe/resolutionCandidate.js';
import { ids } from '../../../../shared/core/ids.js';
import { person, rules } from './people.js';

describe('resolution candidate', () => {
  it('is the record’s blocks, one per blocking key, its entry values and its prepared record', () => {
    const data = person(1);
    const keys = blockingKeys(data, rules);
    expect(keys.length).toBeGreaterThan(1);
    const prepared = prepareCandidate({ shardId: 'a', data }, rules, ids.dedupeBlock);
    expect(prepared.shardId).toBe('a');
    expect(prepared.blocks).toEqual(keys.map((key) => ({ id: ids.dedupeBlock('customer', key) })));
    expect(prepared.values).toEqual(entryValues(data, rules));
    expect(prepared.record).toEqual(prepareRecord(data, rules));
  });

  it('spells block ids the tenant’s way, and blocksOf names the same blocks', () => {
    const data = person(1);
    const legacy = prepareCandidate({ shardId: 'a', data }, rules, ids.legacyDedupeBlock);
    expect(legacy.blocks.length).toBeGreaterThan(0);
    expect(legacy.blocks.every((block) => block.id.startsWith('block:customer:'))).toBe(true);
    expect(blocksOf(data, rules, ids.legacyDedupeBlock)).toEqual(legacy.blocks);
  });
});
