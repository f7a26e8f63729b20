import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { phoneticCodes, wordCodes } from '../../../../shared/core/dedupe/phonetic.js';
import {
  codeOverlap, doubleMetaphoneSimilarity, jaroWinklerSimilarity, levenshteinSimilarity, soundexSimilarity,
} from '../../../../shared/core/dedupe/similarity.js';

describe('jaroWinklerSimilarity', () => {
  it('forgives transpositions and rewards a shared prefix', () => {
    expect(jaroWinklerSimilarity('martha', 'marhta')).toBeCloseTo(0.961, 3);
    expect(jaroWinklerSimilarity('jon', 'john')).toBeGreaterThan(0.9);
    expect(jaroWinklerSimilarity('smith', 'jones')).toBeLessThan(0.5);
  });

  it('is 1 for equal strings, empty ones included, and 0 against an empty one', () => {
    expect(jaroWinklerSimilarity('', '')).toBe(1);
    expect(jaroWinklerSimilarity('abc', '')).toBe(0);
  });
});

describe('levenshteinSimilarity', () => {
  it('is the share of characters that need no edit', () => {
    expect(levenshteinSimilarity('kitten', 'sitting')).toBeCloseTo(1 - 3 / 7, 10);
    expect(levenshteinSimilarity('acme', 'acme')).toBe(1);
    expect(levenshteinSimilarity('', 'a')).toBe(0);
  });

  it('does not favour a shared first word as Jaro-Winkler does', () => {
    expect(levenshteinSimilarity('first national bank', 'first national trust')).toBeLessThan(0.85);
    expect(jaroWinklerSimilarity('first national bank', 'first national trust')).toBeGreaterThan(0.9);
  });
});

describe('phonetic similarity', () => {
  it('hears spellings alike that typo measures keep apart', () => {
    expect(doubleMetaphoneSimilarity('smith', 'schmidt')).toBe(1);
    expect(doubleMetaphoneSimilarity('catherine', 'kathryn')).toBe(1);
    expect(soundexSimilarity('robert', 'rupert')).toBe(1);
    expect(soundexSimilarity('smith', 'jones')).toBe(0);
  });

  it('scores the share of words that sound alike, in any order', () => {
    expect(soundexSimilarity('mary ann', 'ann mary')).toBe(1);
    expect(doubleMetaphoneSimilarity('mary ann', 'mary')).toBe(0.5);
    expect(codeOverlap([], [])).toBe(1);
  });

  it('gives words without Latin letters themselves as codes, so they compare exactly', () => {
    expect(wordCodes('soundex', '123')).toEqual(['123']);
    expect(wordCodes('doubleMetaphone', 'иван')).toEqual(['иван']);
    expect(soundexSimilarity('иван', 'иван')).toBe(1);
    expect(soundexSimilarity('иван', 'пётр')).toBe(0);
    expect(phoneticCodes('doubleMetaphone', 'h')).toEqual([['H']]);
  });
});

describe('every similarity', () => {
  const measures = { jaroWinklerSimilarity, levenshteinSimilarity, soundexSimilarity, doubleMetaphoneSimilarity };
  const text = fc.string({ unit: fc.constantFrom('a', 'b', 'e', 'h', 'm', 'r', 's', 't', ' ', 'é', '1') });

  it.each(Object.entries(measures))('%s is symmetric and within 0..1', (_, measure) => {
    fc.assert(fc.property(text, text, (a, b) => {
      const score = measure(a, b);
      expect(score).toBe(measure(b, a));
      expect(score).toBeGreaterThanOrEqual(0);
      expect(score).toBeLessThanOrEqual(1);
    }), { numRuns: 300 });
  });
});
