import { sameValues, type EntryValues } from './entryValues.js';

/** One entity in a look-up block: enough to score it without reading its shard. */
export interface BlockEntry {
  shardId: string;
  values: EntryValues;
}

/**
 * Entries a block holds at most. A key shared by very many entities ("Smith, J.") tells little and
 * would make every record that has it compare with all of them: a full block takes no one else,
 * and later records are found through their other, rarer keys (e-mail, phone, postcode). This
 * bounds a record's comparisons at its key count times this, however large the tenant grows. On
 * the labeled data F1 is the same for any cap from 6 to 48 up to 100,000 records, while reads and
 * comparisons grow with it; at a million, 6 rather than 8 costs 0.0002 of F1 and saves a tenth of
 * the comparisons and 5–8% of the time (npm run bench -- dedupe).
 */
export const BLOCK_CAPACITY = 6;

/**
 * The entries with the shard's entry added, or updated in place; undefined when nothing changes:
 * the same entry is already there (re-indexing is a no-op), or the block is full.
 */
export function withEntry(entries: readonly BlockEntry[], entry: BlockEntry, capacity = BLOCK_CAPACITY): BlockEntry[] | undefined {
  const index = entries.findIndex((existing) => existing.shardId === entry.shardId);
  if (index >= 0) {
    if (sameValues(entries[index]!.values, entry.values)) return undefined;
    return entries.map((existing, at) => (at === index ? entry : existing));
  }
  return entries.length < capacity ? [...entries, entry] : undefined;
}

/** The entries without the shard's; undefined when it was not there. */
export function withoutEntry(entries: readonly BlockEntry[], shardId: string): BlockEntry[] | undefined {
  const remaining = entries.filter((entry) => entry.shardId !== shardId);
  return remaining.length === entries.length ? undefined : remaining;
}

/** Whether a block holds exactly these entries, in this order. */
export function sameEntries(stored: readonly BlockEntry[] | undefined, expected: readonly BlockEntry[]): boolean {
  return (
    stored !== undefined &&
    stored.length === expected.length &&
    stored.every((entry, index) => entry.shardId === expected[index]!.shardId && sameValues(entry.values, expected[index]!.values))
  );
}
