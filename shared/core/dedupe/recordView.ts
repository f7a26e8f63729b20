import type { CountryCode } from 'libphonenumber-js';
import { RecentMemo } from '../operations/recentMemo.js';
import type { DedupeRules } from './dedupeRules.js';
import { normalizeValue, phoneRegion, type Normalizer } from './normalize.js';

/**
 * How a rule set reads one record's data: normalised field values (each worked out once), the
 * region its phone numbers are written in, and the orientations in which it is compared.
 */
export type NormalizedReader = (field: string, normalizer: Normalizer) => string | null;

/**
 * The value at a dotted path ("address.city"). Own properties only, so keys such as "constructor"
 * in arbitrary data read as missing, never as prototype members.
 */
export function fieldValue(data: unknown, path: string): unknown {
  let current = data;
  for (const key of pathKeys(path)) {
    if (current === null || typeof current !== 'object' || Array.isArray(current) || !Object.hasOwn(current, key)) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

/** Rules name a handful of paths, read for every record: each is split once. */
const splitPaths = new RecentMemo<string, readonly string[]>(10_000);
const pathKeys = (path: string) => splitPaths.get(path, (key) => key.split('.'));

export function normalizedReader(data: unknown, rules: DedupeRules): NormalizedReader {
  const region = recordRegion(data, rules);
  const cache = new Map<Normalizer, Map<string, string | null>>();
  return (field, normalizer) => {
    let values = cache.get(normalizer);
    if (!values) cache.set(normalizer, (values = new Map()));
    let value = values.get(field);
    if (value === undefined) {
      value = normalizeValue(normalizer, fieldValue(data, field), region);
      values.set(field, value);
    }
    return value;
  };
}

function recordRegion(data: unknown, rules: DedupeRules): CountryCode | undefined {
  const own = rules.regionField === undefined ? null : phoneRegion(fieldValue(data, rules.regionField));
  return own ?? rules.defaultRegion;
}

/** Maps a rule's field to the field actually read. */
export type Orientation = (field: string) => string;

/** The record as written, then once per swappable pair with that pair's values exchanged. */
export function orientations(rules: DedupeRules): Orientation[] {
  return [
    (field) => field,
    ...rules.swappableFields.map(([a, b]): Orientation => (field) => (field === a ? b : field === b ? a : field)),
  ];
}
