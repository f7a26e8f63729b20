import type { BlockingKeyRule, BlockingPart, DedupeRules } from './dedupeRules.js';
import { givenNameVariants } from './nicknames.js';
import { wordCodes } from './phonetic.js';
import { normalizedReader, orientations, type NormalizedReader, type Orientation } from './recordView.js';

/**
 * The blocking keys of a record, "name:part|part" each: only records sharing a key are compared,
 * so the work grows with the records rather than with their pairs. A key needs every part's
 * field: a record without them gets none of that key, is compared only through its other keys,
 * and is never dropped. Swappable fields give the keys of the swapped record too, so "Smith John"
 * meets "John Smith".
 */
export function blockingKeys(data: unknown, rules: DedupeRules): string[] {
  return blockingKeysOf(normalizedReader(data, rules), rules);
}

/** blockingKeys through a reader the caller already has, so a record is normalised once for keys and values. */
export function blockingKeysOf(read: NormalizedReader, rules: DedupeRules): string[] {
  const keys = new Set<string>();
  for (const orientation of orientations(rules)) {
    for (const rule of rules.blocking) {
      for (const key of keysOf(rule, read, orientation)) keys.add(key);
    }
  }
  return [...keys].sort();
}

function keysOf(rule: BlockingKeyRule, read: NormalizedReader, orientation: Orientation): string[] {
  let combinations = [''];
  for (const [index, part] of rule.parts.entries()) {
    const value = read(orientation(part.field), part.normalize);
    if (value === null) return [];
    const encoded = encodings(part, selectWord(value, part.word));
    if (encoded.length === 0) return [];
    combinations = combinations.flatMap((prefix) => encoded.map((code) => (index === 0 ? code : `${prefix}|${code}`)));
  }
  return combinations.map((combination) => `${rule.name}:${combination}`);
}

function selectWord(value: string, word: BlockingPart['word']): string {
  if (word === 'all') return value;
  const words = value.split(' ');
  return (word === 'first' ? words[0] : words.at(-1)) ?? value;
}

function encodings(part: BlockingPart, value: string): string[] {
  const variants = part.nicknames ? givenNameVariants(value) : [value];
  const codes = variants.flatMap((variant): string[] => {
    switch (part.encode) {
      case 'value': return [variant];
      case 'initial': return [String.fromCodePoint(variant.codePointAt(0)!)];
      // One code for the whole value: "van der berg" and "vanderberg" are spelt apart, not heard apart.
      case 'soundex':
      case 'doubleMetaphone': return wordCodes(part.encode, variant.replaceAll(' ', ''));
    }
  });
  return [...new Set(codes)];
}
