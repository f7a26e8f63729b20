import type { MergeStrategy } from './dedupeRules.js';

/** What one source record gives a merged shard: its converted data, and when it changed and joined. */
export interface Contribution {
  /** connectionId/stream/externalId of the source record. */
  source: string;
  data: Record<string, unknown>;
  /** When the source last changed it (its modified time, else when we synced it). */
  modifiedAt: string;
  /** When it joined the shard: the first one is the shard's original record. */
  joinedAt: string;
}

/** A record's modified time: the source's own when the schema maps one (`sourceModifiedAt`), else when we saw it. */
export const contributionModifiedAt = (data: Record<string, unknown>, fallback: string): string =>
  typeof data.sourceModifiedAt === 'string' ? data.sourceModifiedAt : fallback;

const isEmpty = (value: unknown) =>
  value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0);

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Leaves by dotted path: nested objects (an address) merge field by field; arrays are values. */
function leaves(data: Record<string, unknown>, prefix = '', out = new Map<string, unknown>()): Map<string, unknown> {
  for (const [key, value] of Object.entries(data)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (isPlainObject(value) && Object.keys(value).length > 0) leaves(value, path, out);
    else out.set(path, value);
  }
  return out;
}

function fromLeaves(entries: Iterable<[string, unknown]>): Record<string, unknown> {
  const data: Record<string, unknown> = {};
  for (const [path, value] of entries) {
    const keys = path.split('.');
    let target = data;
    for (const key of keys.slice(0, -1)) target = (isPlainObject(target[key]) ? target[key] : (target[key] = {})) as Record<string, unknown>;
    target[keys.at(-1)!] = value;
  }
  return data;
}

const byJoined = (a: Contribution, b: Contribution) => a.joinedAt.localeCompare(b.joinedAt) || a.source.localeCompare(b.source);
const byNewest = (a: Contribution, b: Contribution) => b.modifiedAt.localeCompare(a.modifiedAt) || byJoined(a, b);
const filled = (c: Contribution) => [...leaves(c.data).values()].filter((value) => !isEmpty(value)).length;

/**
 * A merged shard's data, from every record merged into it, whatever order they came in:
 * - `merge_fields`: per field, the newest non-empty value (a missing phone does not erase one);
 * - `keep_first`: the first record's data as it is now;
 * - `keep_most_complete`: the data of the record with the most non-empty fields (newest on a tie).
 * Ties fall to the earlier-joined record, so the result never depends on input order.
 */
export function mergeContributions(contributions: readonly Contribution[], strategy: MergeStrategy): Record<string, unknown> {
  if (contributions.length === 0) return {};
  switch (strategy) {
    case 'keep_first':
      return [...contributions].sort(byJoined)[0]!.data;
    case 'keep_most_complete':
      return [...contributions].sort((a, b) => filled(b) - filled(a) || byNewest(a, b))[0]!.data;
    case 'merge_fields': {
      const merged = new Map<string, unknown>();
      // Oldest first, newer non-empty values overwriting: the newest non-empty value per field wins.
      for (const contribution of [...contributions].sort(byNewest).reverse()) {
        for (const [path, value] of leaves(contribution.data)) {
          if (!isEmpty(value) || !merged.has(path)) merged.set(path, value);
        }
      }
      return fromLeaves(merged);
    }
  }
}
