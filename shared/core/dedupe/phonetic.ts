import { doubleMetaphone } from 'double-metaphone';
import { soundex } from 'soundex-code';
import { RecentMemo } from '../operations/recentMemo.js';

export type PhoneticAlgorithm = 'soundex' | 'doubleMetaphone';

/**
 * Words recur (names, most of all), and Double Metaphone is the dearest step of keying a record:
 * codes of recent words are kept, up to a bound, and the whole memo dropped when it is reached.
 */
const MEMO_LIMIT = 50_000;
const soundexMemo = new RecentMemo<string, readonly string[]>(MEMO_LIMIT);
const metaphoneMemo = new RecentMemo<string, readonly string[]>(MEMO_LIMIT);

/**
 * Codes of one normalised word: Soundex gives one, Double Metaphone its primary and alternate.
 * Both algorithms only know Latin letters, so a word without any (another script, a number) is
 * its own code: it still compares, exactly, instead of colliding with every other such word.
 */
export function wordCodes(algorithm: PhoneticAlgorithm, word: string): readonly string[] {
  // Shared with the memo: read-only.
  return (algorithm === 'soundex' ? soundexMemo : metaphoneMemo).get(word, (key) => computeWordCodes(algorithm, key));
}

function computeWordCodes(algorithm: PhoneticAlgorithm, word: string): string[] {
  const letters = word.replace(/[^a-z]/gu, '');
  if (letters === '') return [word];
  if (algorithm === 'soundex') return [soundex(letters)];
  const codes = [...new Set(doubleMetaphone(letters))].filter((code) => code !== '');
  // Silent words ("h") have no metaphone; the letters still tell them apart.
  return codes.length > 0 ? codes : [letters.toUpperCase()];
}

/** Codes per word of a normalised value ("mary ann" → [["MR"], ["AN"]]); shared with the memo, so read-only. */
export function phoneticCodes(algorithm: PhoneticAlgorithm, normalized: string): readonly (readonly string[])[] {
  return normalized.split(' ').filter((word) => word !== '').map((word) => wordCodes(algorithm, word));
}
