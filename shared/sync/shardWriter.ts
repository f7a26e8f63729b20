import type { BatchOperation, Stored } from '../ports/store.js';
import { BatchError, ConflictError, PreconditionFailedError } from '../ports/storeErrors.js';
import type { ExternalLookup, Shard } from '../core/schemas/shard.js';
import type { RecordOutcome } from '../core/recordOutcome.js';
import { planShardWrite, type IncomingRecord, type ShardWrite } from '../core/shardWritePlan.js';
import { ids } from '../core/ids.js';
import type { SyncDeps } from './syncDeps.js';

const toOperation = (write: ShardWrite): BatchOperation =>
  write.kind === 'create' ? { op: 'create', doc: write.shard } : { op: 'replace', doc: write.shard, ifMatch: write.ifMatch };

/**
 * Saves one batch of records as shards, de-duplicated on their external ids: point reads of the
 * look-ups and shards, one transactional batch of shard writes (≤ 100 operations: a Cosmos DB
 * transactional batch holds 100), then the missing look-ups. If the batch loses a race (409/412)
 * every record goes through saveShard, which retries one at a time. Idempotent throughout.
 */
export async function saveShards(deps: SyncDeps, tenantId: string, records: IncomingRecord[], batchKey: string): Promise<RecordOutcome[]> {
  const now = deps.clock.now().toISOString();
  const lookups: Array<Stored<ExternalLookup> | undefined> = [];
  const targets: Array<{ shardId: string; existing?: Stored<Shard> }> = [];
  for (const record of records) {
    const lookup = await deps.store.read<ExternalLookup>('lookups', tenantId, ids.externalLookup(record.connectionId, record.stream, record.externalId));
    const shardId = lookup?.shardId ?? ids.shardFor(record.connectionId, record.stream, record.externalId);
    const existing = await deps.store.read<Shard>('shards', tenantId, shardId);
    lookups.push(lookup);
    targets.push(existing ? { shardId, existing } : { shardId });
  }
  const plans = records.map((record, i) =>
    planShardWrite(record, { tenantId, ...targets[i]!, ...(targets[i]!.existing ? { etag: targets[i]!.existing!._etag } : {}) }, batchKey, now),
  );
  const writes = plans.flatMap((plan) => (plan.write ? [toOperation(plan.write)] : []));
  let outcomes = plans.map((plan) => plan.outcome);
  try {
    if (writes.length > 0) await deps.store.batch('shards', tenantId, writes);
  } catch (error) {
    if (!(error instanceof BatchError)) throw error;
    outcomes = [];
    for (const record of records) outcomes.push(await saveShard(deps, tenantId, record, batchKey));
    return outcomes;
  }
  const missing = records.flatMap((record, i): BatchOperation[] =>
    lookups[i] ? [] : [{ op: 'upsert', doc: lookupDoc(tenantId, record, targets[i]!.shardId) }],
  );
  if (missing.length > 0) await deps.store.batch('lookups', tenantId, missing);
  return outcomes;
}

/** One record, retried until its write lands: a lost create race (409) or a stale ETag (412) re-reads and re-plans. */
export async function saveShard(deps: SyncDeps, tenantId: string, record: IncomingRecord, batchKey: string): Promise<RecordOutcome> {
  const lookupId = ids.externalLookup(record.connectionId, record.stream, record.externalId);
  const lookup = await deps.store.read<ExternalLookup>('lookups', tenantId, lookupId);
  const shardId = lookup?.shardId ?? ids.shardFor(record.connectionId, record.stream, record.externalId);
  for (;;) {
    const existing = await deps.store.read<Shard>('shards', tenantId, shardId);
    const plan = planShardWrite(
      record,
      { shardId, tenantId, ...(existing ? { existing, etag: existing._etag } : {}) },
      batchKey,
      deps.clock.now().toISOString(),
    );
    try {
      if (plan.write?.kind === 'create') await deps.store.create('shards', plan.write.shard);
      if (plan.write?.kind === 'replace') await deps.store.replace('shards', plan.write.shard, { ifMatch: plan.write.ifMatch });
    } catch (error) {
      if (error instanceof ConflictError || error instanceof PreconditionFailedError) continue;
      throw error;
    }
    if (!lookup) await deps.store.upsert('lookups', lookupDoc(tenantId, record, shardId));
    return plan.outcome;
  }
}

function lookupDoc(tenantId: string, record: IncomingRecord, shardId: string): ExternalLookup {
  return { id: ids.externalLookup(record.connectionId, record.stream, record.externalId), tenantId, shardId };
}
