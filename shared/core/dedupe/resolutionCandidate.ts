import { blockingKeysOf } from './blockingKeys.js';
import type { DedupeRules } from './dedupeRules.js';
import { entryValuesOf, preparedFromValues, type EntryValues } from './entryValues.js';
import type { PreparedRecord } from './matchScore.js';
import { normalizedReader, type NormalizedReader } from './recordView.js';

/** A record to resolve: the shard it is stored as, and its data. */
export interface EntityRecord {
  shardId: string;
  data: unknown;
}

/** A look-up block, by id. */
export interface BlockRef {
  id: string;
}

/** How a tenant spells the id of a shard type's block for a key (fixed per tenant: see IndexSettings). */
export type BlockIds = (shardType: string, key: string) => string;

/** Cosmos DB's limit on a transactional batch. */
export const MAX_BATCH_OPERATIONS = 100;
/** Blocks a record is indexed in at most, so a claim plus the removals of an update fit in one batch (rules give about ten). */
const MAX_BLOCKS_PER_RECORD = MAX_BATCH_OPERATIONS / 2;

/** A record prepared once: its blocks, its values, and the prepared record the matchers score. */
export interface Candidate {
  shardId: string;
  blocks: readonly BlockRef[];
  values: EntryValues;
  record: PreparedRecord;
}

/** One normalisation of the record (one reader, so one phone parse) serves its keys and its values. */
export function prepareCandidate(entity: EntityRecord, rules: DedupeRules, blockIds: BlockIds): Candidate {
  const read = normalizedReader(entity.data, rules);
  const values = entryValuesOf(read, rules);
  return { shardId: entity.shardId, blocks: blocksFrom(read, rules, blockIds), values, record: preparedFromValues(values, rules) };
}

/** The blocks a record with this data is indexed in. */
export function blocksOf(data: unknown, rules: DedupeRules, blockIds: BlockIds): BlockRef[] {
  return blocksFrom(normalizedReader(data, rules), rules, blockIds);
}

function blocksFrom(read: NormalizedReader, rules: DedupeRules, blockIds: BlockIds): BlockRef[] {
  return blockingKeysOf(read, rules)
    .slice(0, MAX_BLOCKS_PER_RECORD)
    .map((key) => ({ id: blockIds(rules.shardType, key) }));
}
