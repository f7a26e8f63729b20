import type { BatchOperation, Stored } from '../ports/store.js';
import { BatchError, ConflictError, PreconditionFailedError } from '../ports/storeErrors.js';
import type { Shard } from '../core/schemas/shard.js';
import type { RecordOutcome } from '../core/recordOutcome.js';
import { planShardWrite, type IncomingRecord, type ShardWrite } from '../core/shardWritePlan.js';
import { ids } from '../core/ids.js';
import type { SyncDeps } from './syncDeps.js';

const toOperation = (write: ShardWrite): BatchOperation =>
  write.kind === 'create' ? { op: 'create', doc: write.shard } : { op: 'replace', doc: write.shard, ifMatch: write.ifMatch };

/**
 * Saves one batch of records as shards, de-duplicated exactly on their external ids: a record's
 * shard id is derived from connection + stream + external id, so one point read finds it and one
 * transactional batch (≤ 100 operations: a Cosmos DB transactional batch holds 100) writes every
 * created or changed shard; unchanged ones are not written. If the batch loses a race (409/412)
 * every record goes through saveShard, which retries one at a time. Idempotent throughout.
 */
export async function saveShards(
  deps: SyncDeps,
  tenantId: string,
  records: IncomingRecord[],
  batchKey: string,
  options: { dryRun?: boolean } = {},
): Promise<RecordOutcome[]> {
  const now = deps.clock.now().toISOString();
  const plans = [];
  for (const record of records) {
    const shardId = ids.shardFor(record.connectionId, record.stream, record.externalId);
    const existing = await deps.store.read<Shard>('shards', tenantId, shardId);
    plans.push(planShardWrite(record, target(tenantId, shardId, existing), batchKey, now));
  }
  // A dry run reports what each record would do and writes nothing.
  if (options.dryRun) return plans.map((plan) => plan.outcome);
  const writes = plans.flatMap((plan) => (plan.write ? [toOperation(plan.write)] : []));
  try {
    if (writes.length > 0) await deps.store.batch('shards', tenantId, writes);
  } catch (error) {
    if (!(error instanceof BatchError)) throw error;
    const outcomes: RecordOutcome[] = [];
    for (const record of records) outcomes.push(await saveShard(deps, tenantId, record, batchKey));
    return outcomes;
  }
  return plans.map((plan) => plan.outcome);
}

/** One record, retried until its write lands: a lost create race (409) or a stale ETag (412) re-reads and re-plans. */
export async function saveShard(deps: SyncDeps, tenantId: string, record: IncomingRecord, batchKey: string): Promise<RecordOutcome> {
  const shardId = ids.shardFor(record.connectionId, record.stream, record.externalId);
  for (;;) {
    const existing = await deps.store.read<Shard>('shards', tenantId, shardId);
    const plan = planShardWrite(record, target(tenantId, shardId, existing), batchKey, deps.clock.now().toISOString());
    try {
      if (plan.write?.kind === 'create') await deps.store.create('shards', plan.write.shard);
      if (plan.write?.kind === 'replace') await deps.store.replace('shards', plan.write.shard, { ifMatch: plan.write.ifMatch });
      return plan.outcome;
    } catch (error) {
      if (!(error instanceof ConflictError || error instanceof PreconditionFailedError)) throw error;
    }
  }
}

const target = (tenantId: string, shardId: string, existing: Stored<Shard> | undefined) =>
  existing ? { tenantId, shardId, existing, etag: existing._etag } : { tenantId, shardId };
