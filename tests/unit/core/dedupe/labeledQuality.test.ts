import { describe, expect, it } from 'vitest';
import { labeledRecords, type LabeledRecord } from '../../../../dev/fakes/labeledDuplicates.js';
import { defaultDedupeRules } from '../../../../shared/core/dedupe/defaultDedupeRules.js';
import { clusterPairs, matchQuality, type MatchQuality } from '../../../../shared/core/dedupe/matchQuality.js';
import { resolve } from './resolve.js';

const records = labeledRecords();
const ofType = (type: LabeledRecord['shardType']) => records.filter((record) => record.shardType === type);

function measure(type: LabeledRecord['shardType']): MatchQuality & { records: number; comparisons: number } {
  const subset = ofType(type);
  const { clusters, comparisons } = resolve(subset, defaultDedupeRules[type]);
  return { records: subset.length, comparisons, ...matchQuality(clusterPairs(clusters), clusterPairs(subset)) };
}

describe('labeled data set', () => {
  it('is the same for the same seed and differs for another', () => {
    expect(labeledRecords({ seed: 7, people: 30, companies: 10 })).toEqual(labeledRecords({ seed: 7, people: 30, companies: 10 }));
    expect(labeledRecords({ seed: 8, people: 30, companies: 10 })).not.toEqual(labeledRecords({ seed: 7, people: 30, companies: 10 }));
  });

  it('holds duplicate clusters and look-alikes that are not duplicates', () => {
    const people = ofType('customer');
    const sizes = new Map<string, number>();
    for (const record of people) sizes.set(record.clusterId, (sizes.get(record.clusterId) ?? 0) + 1);
    expect([...sizes.values()].filter((size) => size > 1).length).toBeGreaterThan(100);
    // Different people with one family name at one address: the households.
    const households = new Map<string, Set<string>>();
    for (const { clusterId, data } of people) {
      const address = data.address as { postcode: string };
      const key = `${String(data.lastName)}|${address.postcode}`;
      households.set(key, (households.get(key) ?? new Set()).add(clusterId));
    }
    expect([...households.values()].filter((clusters) => clusters.size > 1).length).toBeGreaterThan(20);
  });
});

describe('default dedupe rules on the labeled data set', () => {
  it.each(['customer', 'company'] as const)('reach F1 ≥ 0.95 for %s records, comparing only what blocking lets through', (type) => {
    const quality = measure(type);
    console.info(`${type}: ${quality.records} records, ${quality.comparisons} comparisons, precision ${quality.precision.toFixed(4)}, recall ${quality.recall.toFixed(4)}, F1 ${quality.f1.toFixed(4)}`);
    expect(quality.f1).toBeGreaterThanOrEqual(0.95);
    // Blocking keeps the comparisons near the record count, far from all pairs.
    expect(quality.comparisons).toBeLessThan((quality.records * (quality.records - 1)) / 2 / 10);
  });

  it('keeps records without blocking fields as entities of their own', () => {
    const bare = [{ id: 'x', data: { firstName: 'Bob' } }, { id: 'y', data: { firstName: 'Bob' } }];
    expect(resolve(bare, defaultDedupeRules.customer)).toEqual({ clusters: [{ id: 'x', clusterId: '0' }, { id: 'y', clusterId: '1' }], comparisons: 0 });
  });
});
