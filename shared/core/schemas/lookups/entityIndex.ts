import type { BlockEntry } from '../../dedupe/blockEntries.js';

// The entity index's documents in `lookups` (how they are used: sync/entityResolution/entityIndex.ts).

/** The entities that have one blocking key of a shard type, with the values their matchers need. */
export interface LookupBlock {
  id: string;
  tenantId: string;
  kind: 'dedupe_block';
  shardType: string;
  /**
   * The id of the stored layout (StoredLayout) of the entries' values, so a changed rule set can
   * still read them. Blocks written before layouts were stored once carry `slots` instead.
   */
  layout?: string;
  slots?: string[];
  entries: BlockEntry[];
}

/**
 * How a tenant's block ids are spelt, fixed when its index is first used: a tenant with blocks
 * from before ids were shortened keeps their spelling, so no stored block is ever orphaned.
 */
export interface IndexSettings {
  id: string;
  tenantId: string;
  kind: 'dedupe_index';
  blockIds: 'short' | 'long';
}

/** What look-up entries' values are (`normalizer:field`, in order), stored once per tenant rather than in every block. */
export interface StoredLayout {
  id: string;
  tenantId: string;
  kind: 'dedupe_layout';
  slots: string[];
}
