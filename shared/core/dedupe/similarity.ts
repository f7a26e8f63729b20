import { jaroWinkler } from '@skyra/jaro-winkler';
import { distance } from 'fastest-levenshtein';
import { phoneticCodes } from './phonetic.js';

/**
 * Similarities in 0..1 (1 = same) over normalised strings. Arguments are put in a fixed order
 * first, so every measure is symmetric whatever its implementation does with ties.
 */
function ordered(a: string, b: string): [string, string] {
  return a <= b ? [a, b] : [b, a];
}

/** Jaro-Winkler: forgiving of typos and transpositions, rewards a shared prefix; suits short strings such as names. */
export function jaroWinklerSimilarity(a: string, b: string): number {
  if (a === b) return 1;
  const [first, second] = ordered(a, b);
  return jaroWinkler(first, second);
}

/** 1 − edits / length of the longer string: a share of characters, independent of where the difference is. */
export function levenshteinSimilarity(a: string, b: string): number {
  if (a === b) return 1;
  const [first, second] = ordered(a, b);
  return 1 - distance(first, second) / Math.max(first.length, second.length);
}

/**
 * Share of words that sound alike: each word of one value pairs with at most one word of the
 * other sharing a code, over the word count of the longer value. Word order does not matter.
 */
export function codeOverlap(a: readonly (readonly string[])[], b: readonly (readonly string[])[]): number {
  const longest = Math.max(a.length, b.length);
  if (longest === 0) return 1;
  // With one word on either side the pairing is the same in both directions; otherwise a fixed order.
  const [first, second] = a.length <= 1 || b.length <= 1 || JSON.stringify(a) <= JSON.stringify(b) ? [a, b] : [b, a];
  const used = new Set<number>();
  let paired = 0;
  for (const codes of first) {
    const partner = second.findIndex((other, index) => !used.has(index) && other.some((code) => codes.includes(code)));
    if (partner >= 0) {
      used.add(partner);
      paired++;
    }
  }
  return paired / longest;
}

export function soundexSimilarity(a: string, b: string): number {
  return codeOverlap(phoneticCodes('soundex', a), phoneticCodes('soundex', b));
}

export function doubleMetaphoneSimilarity(a: string, b: string): number {
  return codeOverlap(phoneticCodes('doubleMetaphone', a), phoneticCodes('doubleMetaphone', b));
}
