import { describe, expect, it } from 'vitest';
import { labeledCustomerStream } from '../../../../dev/fakes/labeledDuplicates.js';
import { defaultDedupeRules } from '../../../../shared/core/dedupe/defaultDedupeRules.js';
import { entryValues, preparedFromValues } from '../../../../shared/core/dedupe/entryValues.js';
import { matchPrepared, prepareRecord, scorePrepared } from '../../../../shared/core/dedupe/matchScore.js';

describe('look-up entry values', () => {
  it('score a pair exactly as the records themselves do, phonetic codes and nicknames included', () => {
    const rules = defaultDedupeRules.customer;
    const records = [...labeledCustomerStream({ records: 2_000 })];
    const clusters = new Map<string, unknown[]>();
    for (const record of records) clusters.set(record.clusterId, [...(clusters.get(record.clusterId) ?? []), record.data]);
    // Every pair within a cluster (duplicates), and each record with the next (mostly strangers).
    const pairs = [...clusters.values()].flatMap((members) => members.flatMap((a, i) => members.slice(i + 1).map((b) => [a, b] as const)));
    pairs.push(...records.slice(1).map((record, index) => [records[index]!.data, record.data] as const));
    let matches = 0;
    for (const [a, b] of pairs) {
      const expected = scorePrepared(prepareRecord(a, rules), prepareRecord(b, rules), rules);
      const fromEntries = matchPrepared(preparedFromValues(entryValues(a, rules), rules), preparedFromValues(entryValues(b, rules), rules), rules);
      expect(fromEntries).toEqual(expected.isMatch ? expected : undefined);
      if (expected.isMatch) matches++;
    }
    // Enough matching pairs that the phonetic and nickname matchers were reached, not only pruned.
    expect(matches).toBeGreaterThan(200);
  });
});
