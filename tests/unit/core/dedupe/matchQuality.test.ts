import { describe, expect, it } from 'vitest';
import { clusterPairs, matchQuality, pairKey } from '../../../../shared/core/dedupe/matchQuality.js';

describe('clusterPairs', () => {
  it('pairs every two records of a cluster, in either order the same', () => {
    const pairs = clusterPairs([
      { id: 'a', clusterId: '1' }, { id: 'b', clusterId: '1' }, { id: 'c', clusterId: '1' }, { id: 'd', clusterId: '2' },
    ]);
    expect(pairs).toEqual(new Set([pairKey('a', 'b'), pairKey('a', 'c'), pairKey('b', 'c')]));
    expect(pairKey('b', 'a')).toBe(pairKey('a', 'b'));
  });

  it('does not confuse ids that contain separators', () => {
    expect(pairKey('a|b', 'c')).not.toBe(pairKey('a', 'b|c'));
  });
});

describe('matchQuality', () => {
  it('computes precision, recall and F1 over pairs', () => {
    const actual = new Set(['ab', 'ac', 'bc', 'de']);
    const predicted = new Set(['ab', 'de', 'xy']);
    expect(matchQuality(predicted, actual)).toEqual({
      truePositives: 2, falsePositives: 1, falseNegatives: 2, precision: 2 / 3, recall: 0.5, f1: 2 * (2 / 3) * 0.5 / (2 / 3 + 0.5),
    });
  });

  it('counts predicting nothing as precise, and finding nothing of something as F1 0', () => {
    expect(matchQuality(new Set(), new Set(['ab']))).toMatchObject({ precision: 1, recall: 0, f1: 0 });
    expect(matchQuality(new Set(), new Set())).toMatchObject({ precision: 1, recall: 1, f1: 1 });
    expect(matchQuality(new Set(['ab']), new Set(['cd']))).toMatchObject({ precision: 0, recall: 0, f1: 0 });
  });
});
