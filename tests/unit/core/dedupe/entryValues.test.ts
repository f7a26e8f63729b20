import { describe, expect, it } from 'vitest';
import { labeledRecords } from '../../../../dev/fakes/labeledDuplicates.js';
import { defaultDedupeRules } from '../../../../shared/core/dedupe/defaultDedupeRules.js';
import { entryValues, mayMatch, preparedFromValues } from '../../../../shared/core/dedupe/entryValues.js';
import { matchPrepared, prepareRecord, scorePrepared } from '../../../../shared/core/dedupe/matchScore.js';

describe('entry values', () => {
  const labeled = labeledRecords();
  const cases = [
    ['customer', defaultDedupeRules.customer],
    ['company', defaultDedupeRules.company],
  ] as const;

  it.each(cases)('rebuild the prepared record prepareRecord gives, for every labeled %s record', (type, typeRules) => {
    const records = labeled.filter((record) => record.shardType === type);
    expect(records.length).toBeGreaterThan(0);
    for (const { data } of records) {
      expect(preparedFromValues(entryValues(data, typeRules), typeRules)).toEqual(prepareRecord(data, typeRules));
    }
  });

  it.each(cases)('score %s pairs as the records themselves do: a match in full, nothing otherwise', (type, typeRules) => {
    const records = labeled.filter((record) => record.shardType === type);
    const entry = (data: unknown) => preparedFromValues(entryValues(data, typeRules), typeRules);
    let matches = 0;
    records.forEach((a, i) => {
      for (const b of records.slice(i + 1)) {
        // Every duplicate pair, and each record with the next (mostly strangers).
        if (a.clusterId !== b.clusterId && b !== records[i + 1]) continue;
        const expected = scorePrepared(prepareRecord(a.data, typeRules), prepareRecord(b.data, typeRules), typeRules);
        expect(matchPrepared(entry(a.data), entry(b.data), typeRules)).toEqual(expected.isMatch ? expected : undefined);
        if (expected.isMatch) matches++;
      }
    });
    // Enough matching pairs that the phonetic and nickname matchers were reached, not only pruned.
    expect(matches).toBeGreaterThan(200);
  });

  it.each(cases)('never rule out a %s pair that matches, and rule out most that do not', (type, typeRules) => {
    const records = labeled
      .filter((record) => record.shardType === type)
      .map(({ clusterId, data }) => ({ clusterId, values: entryValues(data, typeRules), prepared: prepareRecord(data, typeRules) }));
    expect(records.length).toBeGreaterThan(1);
    let ruledOut = 0;
    let pairs = 0;
    for (let i = 0; i < records.length; i++) {
      for (let j = i + 1; j < records.length; j++) {
        const [a, b] = [records[i]!, records[j]!];
        // Every duplicate pair, and a sample of the others.
        if (a.clusterId !== b.clusterId && (j - i) % 7 !== 0) continue;
        pairs++;
        if (mayMatch(a.values, b.values, typeRules)) continue;
        ruledOut++;
        expect(scorePrepared(a.prepared, b.prepared, typeRules).isMatch).toBe(false);
      }
    }
    expect(ruledOut).toBeGreaterThan(0);
    if (type === 'customer') expect(ruledOut / pairs).toBeGreaterThan(0.9);
  });
});
