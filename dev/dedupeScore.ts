import { z } from 'zod';
import { openDatabase } from '../shared/adapters/embedded/sqliteDatabase.js';
import { SqliteStore } from '../shared/adapters/embedded/sqliteStore.js';
import { systemClock } from '../shared/ports/clock.js';
import type { DedupeRules } from '../shared/core/dedupe/dedupeRules.js';
import { clusterPairs, matchQuality, type MatchQuality } from '../shared/core/dedupe/matchQuality.js';
import { resolveEntities } from '../shared/sync/entityResolution/entityIndex.js';
import { createSyncCaches } from '../shared/sync/syncCaches.js';

/** One labeled record: records with the same `cluster` are the same real-world entity. */
const labeledRecord = z.object({
  id: z.union([z.string().min(1), z.number()]).transform(String),
  cluster: z.union([z.string().min(1), z.number()]).transform(String),
  data: z.record(z.string(), z.unknown()),
});

const BATCH = 100;

/**
 * Scores de-duplication rules on labeled data: the records go, in file order and in batches as a
 * sync sends them, through the real stage (resolveEntities, look-ups in an embedded store in
 * memory), and the clusters it forms are compared pair by pair with the labels.
 */
export async function scoreLabeledRecords(lines: readonly string[], rules: DedupeRules): Promise<MatchQuality & { records: number }> {
  const records = lines
    .map((line, index) => ({ line, index }))
    .filter(({ line }) => line.trim() !== '')
    .map(({ line, index }) => {
      const parsed = labeledRecord.safeParse(JSON.parse(line));
      if (!parsed.success) throw new Error(`line ${index + 1}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
      return parsed.data;
    });
  const db = openDatabase(':memory:');
  try {
    const store = new SqliteStore(db, systemClock);
    const caches = createSyncCaches();
    const entityOf = new Map<string, string>();
    for (let start = 0; start < records.length; start += BATCH) {
      const batch = records.slice(start, start + BATCH);
      const { decisions } = await resolveEntities({ store, caches }, 'scoring', rules, batch.map((r) => ({ shardId: r.id, data: r.data })));
      decisions.forEach((decision, i) => {
        const id = batch[i]!.id;
        // A survivor is a record scored earlier (or earlier in this batch): its entity is the duplicate's.
        entityOf.set(id, decision.kind === 'match' ? entityOf.get(decision.survivorId) ?? decision.survivorId : id);
      });
    }
    const predicted = clusterPairs(records.map((r) => ({ id: r.id, clusterId: entityOf.get(r.id)! })));
    const actual = clusterPairs(records.map((r) => ({ id: r.id, clusterId: r.cluster })));
    return { ...matchQuality(predicted, actual), records: records.length };
  } finally {
    db.close();
  }
}
