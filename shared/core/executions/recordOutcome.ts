/** What saving one transformed record amounts to, decided from data alone. */
/** `merged`: the record joined another record's shard (entity resolution). */
export type RecordOutcome = 'created' | 'updated' | 'unchanged' | 'merged';

export interface ExistingShardState {
  hash: string;
  createdByBatch: string;
  updatedByBatch: string;
}

/**
 * `batchKey` identifies the batch being processed. When a batch is redelivered after it had
 * already written some shards, those shards carry its key: they are classified as the first
 * attempt classified them (created/updated), not as unchanged, so the final counts are exact.
 */
export function decideRecordOutcome(existing: ExistingShardState | undefined, newHash: string, batchKey: string): Exclude<RecordOutcome, 'merged'> {
  if (!existing) return 'created';
  if (existing.hash !== newHash) return 'updated';
  if (existing.createdByBatch === batchKey) return 'created';
  if (existing.updatedByBatch === batchKey) return 'updated';
  return 'unchanged';
}
