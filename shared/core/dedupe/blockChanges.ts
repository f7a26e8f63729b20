import { withEntry, withoutEntry, type BlockEntry } from './blockEntries.js';
import type { BlockRef, Candidate } from './resolutionCandidate.js';

/** A block's new entries, or, when empty, that it is to be deleted. */
export interface BlockChange extends BlockRef {
  entries: readonly BlockEntry[];
}

/** Each block's entries as read, in the current rules' value layout; an absent block has none. */
export type BlockContents = ReadonlyMap<string, readonly BlockEntry[]>;

/** The blocks that change when the record's entry is added to (or updated in) them. */
export function claim(candidate: Candidate, current: BlockContents): BlockChange[] {
  const entry: BlockEntry = { shardId: candidate.shardId, values: candidate.values };
  return candidate.blocks.flatMap((block) => {
    const entries = withEntry(current.get(block.id) ?? [], entry);
    return entries ? [{ ...block, entries }] : [];
  });
}

/** The blocks that change when the shard's entry is taken out of them. */
export function removals(shardId: string, blocks: readonly BlockRef[], current: BlockContents): BlockChange[] {
  return blocks.flatMap((block) => {
    const entries = withoutEntry(current.get(block.id) ?? [], shardId);
    return entries ? [{ ...block, entries }] : [];
  });
}
