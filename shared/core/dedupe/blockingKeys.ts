import type { BlockingPart, DedupeRules } from './dedupeRules.js';
import { givenNameVariants } from './nicknames.js';
import { wordCodes } from './phonetic.js';
import { normalizedReader, orientations, type NormalizedReader } from './recordView.js';

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

/**
 * A rule set's keys worked out once: each distinct (rule, orientation) as the distinct parts it
 * reads. The same part recurs across rules and orientations (the postcode in two rules, a name in
 * both orientations), and a record encodes each distinct part once.
 */
interface KeyPlan {
  /** Distinct parts, with the field each actually reads. */
  parts: { field: string; part: BlockingPart }[];
  keys: { prefix: string; partIds: number[] }[];
}

const plans = new WeakMap<DedupeRules, KeyPlan>();

function keyPlan(rules: DedupeRules): KeyPlan {
  let plan = plans.get(rules);
  if (plan) return plan;
  const parts: KeyPlan['parts'] = [];
  const ids = new Map<string, number>();
  const partId = (field: string, part: BlockingPart) => {
    const signature = JSON.stringify([field, part.normalize, part.encode, part.word, part.nicknames, part.alternates]);
    let id = ids.get(signature);
    if (id === undefined) {
      id = parts.push({ field, part }) - 1;
      ids.set(signature, id);
    }
    return id;
  };
  const keys = new Map<string, KeyPlan['keys'][number]>();
  for (const orientation of orientations(rules)) {
    for (const rule of rules.blocking) {
      const key = { prefix: `${rule.name}:`, partIds: rule.parts.map((part) => partId(orientation(part.field), part)) };
      // Most keys read no swappable field, and a swapped pair under one name gives the same keys: each is worked out once.
      keys.set(`${key.prefix}${key.partIds.join(',')}`, key);
    }
  }
  plan = { parts, keys: [...keys.values()] };
  plans.set(rules, plan);
  return plan;
}

/** blockingKeys through a reader the caller already has, so a record is normalised once for keys and values. */
export function blockingKeysOf(read: NormalizedReader, rules: DedupeRules): string[] {
  const plan = keyPlan(rules);
  const encoded: (readonly string[] | undefined)[] = new Array(plan.parts.length);
  const keys = new Set<string>();
  for (const key of plan.keys) {
    let combinations: string[] = [key.prefix];
    for (let index = 0; index < key.partIds.length; index++) {
      const id = key.partIds[index]!;
      const codes = (encoded[id] ??= encodePart(plan.parts[id]!.field, plan.parts[id]!.part, read));
      if (codes.length === 0) {
        combinations = [];
        break;
      }
      const separator = index === 0 ? '' : '|';
      combinations = codes.length === 1
        ? combinations.map((prefix) => prefix + separator + codes[0])
        : combinations.flatMap((prefix) => codes.map((code) => prefix + separator + code));
    }
    for (const combination of combinations) keys.add(combination);
  }
  return [...keys].sort();
}

/** A part's codes for the record: none when it lacks the field. */
function encodePart(field: string, part: BlockingPart, read: NormalizedReader): readonly string[] {
  const value = read(field, part.normalize);
  return value === null ? [] : encodings(part, selectWord(value, part.word));
}

function selectWord(value: string, word: BlockingPart['word']): string {
  if (word === 'all') return value;
  const words = value.split(' ');
  return (word === 'first' ? words[0] : words.at(-1)) ?? value;
}

function encodings(part: BlockingPart, value: string): readonly string[] {
  const variants = part.nicknames ? givenNameVariants(value) : [value];
  if (variants.length === 1) return encode(part, variants[0]!);
  return [...new Set(variants.flatMap((variant) => encode(part, variant)))];
}

function encode(part: BlockingPart, variant: string): readonly string[] {
  switch (part.encode) {
    case 'value': return [variant];
    case 'initial': return [String.fromCodePoint(variant.codePointAt(0)!)];
    // One code for the whole value: "van der berg" and "vanderberg" are spelt apart, not heard apart.
    case 'soundex':
    case 'doubleMetaphone': {
      const codes = wordCodes(part.encode, variant.replaceAll(' ', ''));
      return part.alternates ? codes : codes.slice(0, 1);
    }
  }
}
