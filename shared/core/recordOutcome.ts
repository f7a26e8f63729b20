/** What saving one transformed record amounts to, decided from data alone. */
export type RecordOutcome = 'created' | 'updated' | 'unchanged';

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
export function decideRecordOutcome(existing: ExistingShardState | undefined, newHash: string, batchKey: string): RecordOutcome {
  if (!existing) return 'created';
  if (existing.hash !== newHash) return 'updated';
  if (existing.createdByBatch === batchKey) return 'created';
  if (existing.updatedByBatch === batchKey) return 'updated';
  return 'unchanged';
}
