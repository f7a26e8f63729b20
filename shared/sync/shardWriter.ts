import type { BatchOperation, Stored } from '../ports/store.js';
import { BatchError, ConflictError, PreconditionFailedError } from '../ports/storeErrors.js';
import type { Shard } from '../core/schemas/shard.js';
import type { RecordOutcome } from '../core/recordOutcome.js';
import { planShardWrite, type IncomingRecord, type ShardWrite, type ShardWritePlan } from '../core/shardWritePlan.js';
import { ids } from '../core/ids.js';
import type { SyncDeps } from './syncDeps.js';

const toOperation = (write: ShardWrite): BatchOperation =>
  write.kind === 'create' ? { op: 'create', doc: write.shard } : { op: 'replace', doc: write.shard, ifMatch: write.ifMatch };

/** What saving a batch would do, decided from one point read per record; nothing written yet. */
export interface ShardPlans {
  records: IncomingRecord[];
  plans: ShardWritePlan[];
  batchKey: string;
}

/**
 * Reads the shards a batch's records map to — de-duplicated exactly on their external ids: a
 * record's shard id derives from connection + stream + external id, so one point read finds it —
 * and decides each record's outcome. A dry run stops here; applyShardPlans writes.
 */
export async function planShards(deps: SyncDeps, tenantId: string, records: IncomingRecord[], batchKey: string): Promise<ShardPlans> {
  const now = deps.clock.now().toISOString();
  const plans: ShardWritePlan[] = [];
  for (const record of records) {
    const shardId = ids.shardFor(record.connectionId, record.stream, record.externalId);
    const existing = await deps.store.read<Shard>('shards', tenantId, shardId);
    plans.push(planShardWrite(record, target(tenantId, shardId, existing), batchKey, now));
  }
  return { records, plans, batchKey };
}

/**
 * Writes every created or changed shard of a planned batch in one transactional batch (≤ 100
 * operations: a Cosmos DB transactional batch holds 100); unchanged ones are not written. If the
 * batch loses a race (409/412) every record goes through saveShard, which retries one at a time.
 * Idempotent throughout.
 */
export async function applyShardPlans(deps: SyncDeps, tenantId: string, planned: ShardPlans): Promise<RecordOutcome[]> {
  const writes = planned.plans.flatMap((plan) => (plan.write ? [toOperation(plan.write)] : []));
  try {
    if (writes.length > 0) await deps.store.batch('shards', tenantId, writes);
  } catch (error) {
    if (!(error instanceof BatchError)) throw error;
    const outcomes: RecordOutcome[] = [];
    for (const record of planned.records) outcomes.push(await saveShard(deps, tenantId, record, planned.batchKey));
    return outcomes;
  }
  return planned.plans.map((plan) => plan.outcome);
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
