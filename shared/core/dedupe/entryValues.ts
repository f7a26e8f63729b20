import { ids } from '../ids.js';
import type { DedupeRules, Matcher } from './dedupeRules.js';
import type { PreparedRecord } from './matchScore.js';
import type { Normalizer } from './normalize.js';
import { normalizedReader, orientations, type NormalizedReader } from './recordView.js';

/**
 * What a look-up entry keeps of a record: the normalised values its rule set's matchers read, one
 * per slot, so the record can be scored without reading it again. Rebuilding the prepared record
 * from them gives what prepareRecord gives for the record itself.
 */
export type EntryValues = (string | null)[];

export interface ValueLayout {
  /** `normalizer:field` of each value, in order: stored once per tenant, so a changed rule set can still read them. */
  slots: readonly string[];
  /** The id the slots are stored under, which entries' blocks name. */
  id: string;
  /** Each slot's field and normaliser, split once. */
  reads: readonly { field: string; normalizer: Normalizer }[];
  /** Per orientation, per matcher: the slot it reads. */
  matcherSlots: readonly (readonly number[])[];
  /** Exact matchers whose agreement the values alone decide, the same in every orientation. */
  decisive: readonly { slot: number; matcher: Matcher }[];
  /** Weight of every other matcher: at best, all of it agrees. */
  undecidedWeight: number;
}

const layouts = new WeakMap<DedupeRules, ValueLayout>();

export function valueLayout(rules: DedupeRules): ValueLayout {
  let layout = layouts.get(rules);
  if (layout) return layout;
  const reads = orientations(rules).map((orientation) => rules.matchers.map((matcher) => `${matcher.normalize}:${orientation(matcher.field)}`));
  const slots = [...new Set(reads.flat())].sort();
  const swappable = new Set(rules.swappableFields.flat());
  // A threshold of 0 would count a different value as agreement of similarity 0.
  const isDecisive = (matcher: Matcher) =>
    matcher.kind === 'exact' && matcher.threshold > 0 && !matcher.initials && !matcher.nicknames && !swappable.has(matcher.field);
  layout = {
    slots,
    id: ids.dedupeLayout(slots),
    reads: slots.map((slot) => {
      const separator = slot.indexOf(':');
      return { field: slot.slice(separator + 1), normalizer: slot.slice(0, separator) as Normalizer };
    }),
    matcherSlots: reads.map((row) => row.map((slot) => slots.indexOf(slot))),
    decisive: rules.matchers.flatMap((matcher, index) => (isDecisive(matcher) ? [{ slot: slots.indexOf(reads[0]![index]!), matcher }] : [])),
    undecidedWeight: rules.matchers.reduce((sum, matcher) => (isDecisive(matcher) ? sum : sum + matcher.weight), 0),
  };
  layouts.set(rules, layout);
  return layout;
}

/** The record normalised once, slot by slot. */
export function entryValues(data: unknown, rules: DedupeRules): EntryValues {
  return entryValuesOf(normalizedReader(data, rules), rules);
}

/** entryValues through a reader the caller already has (its cache shared with blockingKeysOf). */
export function entryValuesOf(read: NormalizedReader, rules: DedupeRules): EntryValues {
  return valueLayout(rules).reads.map(({ field, normalizer }) => read(field, normalizer));
}

/** The prepared record the values stand for (phonetic codes are not stored: scoring works them out, as for any record). */
export function preparedFromValues(values: EntryValues, rules: DedupeRules): PreparedRecord {
  return {
    orientations: valueLayout(rules).matcherSlots.map((row) =>
      row.map((slot) => {
        const text = values[slot] ?? null;
        return text === null ? null : { text };
      }),
    ),
  };
}

export function sameValues(a: EntryValues, b: EntryValues): boolean {
  return a.length === b.length && a.every((value, slot) => value === b[slot]);
}

/** Values stored under other slots (an older rule set) moved to the current ones; a slot they lack is null. */
export function remapValues(values: EntryValues, from: readonly string[], rules: DedupeRules): EntryValues {
  const position = new Map(from.map((slot, index) => [slot, index]));
  return valueLayout(rules).slots.map((slot) => {
    const index = position.get(slot);
    return index === undefined ? null : (values[index] ?? null);
  });
}

/** Floating-point slack: the bound may only ever let more pairs through than can match. */
const EPSILON = 1e-9;

/**
 * False only when the pair cannot match, decided from the exact matchers alone: they count as they
 * will, every other matcher as full agreement. Scoring a pair is two orders of magnitude dearer
 * than this, and most pairs in a block (namesakes, a shared postcode) fail on e-mail and phone.
 * Sound because agreement raises both evidence and score (evidence never exceeds the total), and
 * the decisive matchers read fields no swap moves.
 */
export function mayMatch(a: EntryValues, b: EntryValues, rules: DedupeRules): boolean {
  const layout = valueLayout(rules);
  let evidence = layout.undecidedWeight;
  let total = layout.undecidedWeight;
  for (const { slot, matcher } of layout.decisive) {
    const left = a[slot] ?? null;
    const right = b[slot] ?? null;
    if (left === null || right === null) continue;
    if (left === right) {
      evidence += matcher.weight;
      total += matcher.weight;
    } else {
      total += matcher.mismatchWeight ?? matcher.weight;
    }
  }
  return evidence >= rules.minEvidence - EPSILON && evidence >= rules.threshold * total - EPSILON;
}
