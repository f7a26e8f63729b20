import { shardChangeBatch, type PlannedChange } from '../../core/changes/shardChange.js';
import type { SyncDeps } from '../syncDeps.js';

/** Entries per document: a shard batch's (at most 100 writes) fit in one. */
const MAX_CHANGES_PER_DOCUMENT = 100;

/**
 * Appends feed entries for shard writes about to happen, as one document per store batch of
 * shard writes: a page of records costs one extra write, not one per record.
 *
 * Written *before* the shard writes they announce, because the two live in different containers
 * and cannot share a transaction: a crash in between leaves entries whose writes a redelivery
 * then makes (the same versions, so the same document id: upserted, not duplicated). The other
 * order would lose the entries for good, since a redelivered batch sees its shards unchanged and
 * writes nothing. So the feed is at-least-once: an entry may announce a write that lost a race
 * and was planned again (a later entry follows), and consumers read the shard for its state.
 */
export async function recordShardChanges(deps: SyncDeps, tenantId: string, changes: readonly PlannedChange[]): Promise<void> {
  if (changes.length === 0) return;
  const at = deps.clock.now().toISOString();
  for (let start = 0; start < changes.length; start += MAX_CHANGES_PER_DOCUMENT) {
    await deps.store.upsert('coordination', shardChangeBatch(tenantId, changes.slice(start, start + MAX_CHANGES_PER_DOCUMENT), at));
  }
}
