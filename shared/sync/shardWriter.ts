import type { BatchOperation, Stored } from '../ports/store.js';
import { BatchError, ConflictError, NotFoundError, PreconditionFailedError } from '../ports/storeErrors.js';
import type { Shard } from '../core/schemas/shard.js';
import type { RecordOutcome } from '../core/recordOutcome.js';
import {
  parentShardId,
  planRecordWrite,
  type IncomingRecord,
  type ReadShard,
  type RecordTarget,
  type RecordWritePlan,
  type ShardWrite,
} from '../core/shardWritePlan.js';
import { ids } from '../core/ids.js';
import type { SyncDeps } from './syncDeps.js';
import { completeLinksTo, completeLinksToNewShards, registerPendingLinks } from './pendingLinks.js';

/** A Cosmos DB transactional batch holds at most 100 operations. */
const MAX_BATCH_OPERATIONS = 100;

const toOperation = (write: ShardWrite): BatchOperation => {
  switch (write.kind) {
    case 'create': return { op: 'create', doc: write.shard };
    case 'replace': return { op: 'replace', doc: write.shard, ifMatch: write.ifMatch };
    case 'delete': return { op: 'delete', id: write.shardId, ifMatch: write.ifMatch };
  }
};

/** What saving a batch would do, decided from point reads; nothing written yet. */
export interface ShardPlans {
  records: IncomingRecord[];
  plans: RecordWritePlan[];
  batchKey: string;
  /** Parent shards the batch's changed records link to that are not stored yet. */
  missingParents: Set<string>;
  /** Unchanged shards that still wait for parents: each write of the batch looks at them again. */
  stillPending: Set<string>;
}

/**
 * Reads what a batch's records map to — de-duplicated exactly on their external ids: a record's
 * shard id derives from connection + stream + external id, so one point read finds it — and
 * decides each record's writes. Records that changed also read their derived shards and check
 * their parents exist. A dry run stops here; applyShardPlans writes.
 */
export async function planShards(deps: SyncDeps, tenantId: string, records: IncomingRecord[], batchKey: string): Promise<ShardPlans> {
  const now = deps.clock.now().toISOString();
  const parents = new ParentLookup(deps, tenantId);
  const plans: RecordWritePlan[] = [];
  const missingParents = new Set<string>();
  const stillPending = new Set<string>();
  for (const record of records) {
    const shardId = ids.shardFor(record.connectionId, record.stream, record.externalId);
    const existing = await readShard(deps, tenantId, shardId);
    if (existing?.shard.hash === record.hash) {
      plans.push(planRecordWrite(record, { tenantId, shardId, existing, derived: new Map(), presentParents: new Set() }, batchKey, now));
      for (const link of existing.shard.links) if (link.status === 'pending') stillPending.add(link.shardId);
      continue;
    }
    const target = await readTarget(deps, tenantId, record, shardId, existing, parents);
    const plan = planRecordWrite(record, target, batchKey, now);
    for (const link of plan.pending) missingParents.add(link.shardId);
    plans.push(plan);
  }
  return { records, plans, batchKey, missingParents, stillPending };
}

/**
 * Writes every changed record, each record's writes (primary, derived creates, updates and
 * deletes) in the same transactional batch, several records per batch up to 100 operations;
 * unchanged records are not written. A batch that loses a race (409/412/404) falls back to
 * saveRecord, one record at a time. Pending links are registered before the shard that holds
 * them is written and looked at again after it, and the batch's new shards complete the links
 * that were waiting for them: whichever side comes second completes the link. Idempotent throughout.
 */
export async function applyShardPlans(deps: SyncDeps, tenantId: string, planned: ShardPlans): Promise<RecordOutcome[]> {
  const outcomes = planned.plans.map((plan) => plan.outcome);
  const written: Array<{ index: number; plan: RecordWritePlan }> = [];
  for (const [index, plan] of planned.plans.entries()) {
    if (plan.writes.length === 0) continue;
    await registerPendingLinks(deps, tenantId, planned.records[index]!, plan.pending);
    written.push({ index, plan });
  }
  for (const chunk of chunksOf(written)) {
    try {
      await deps.store.batch('shards', tenantId, chunk.flatMap(({ plan }) => plan.writes.map(toOperation)));
    } catch (error) {
      if (!(error instanceof BatchError)) throw error;
      for (const { index } of chunk) {
        const plan = await saveRecord(deps, tenantId, planned.records[index]!, planned.batchKey);
        outcomes[index] = plan.outcome;
        planned.plans[index] = plan;
      }
    }
  }

  const recheck = new Set(planned.stillPending);
  for (const { index } of written) for (const link of planned.plans[index]!.pending) recheck.add(link.shardId);
  for (const parentId of recheck) {
    if (await deps.store.read<Shard>('shards', tenantId, parentId)) await completeLinksTo(deps, tenantId, parentId);
  }
  const created = written.filter(({ index }) => planned.plans[index]!.outcome === 'created').map(({ index }) => planned.records[index]!);
  if (created.length > 0) {
    const { connectionId, stream } = created[0]!;
    await completeLinksToNewShards(deps, tenantId, connectionId, stream, created.map((r) => ids.shardFor(r.connectionId, r.stream, r.externalId)));
  }
  return outcomes;
}

/** One record, retried until its writes land: a lost race re-reads everything and re-plans. */
export async function saveRecord(deps: SyncDeps, tenantId: string, record: IncomingRecord, batchKey: string): Promise<RecordWritePlan> {
  const shardId = ids.shardFor(record.connectionId, record.stream, record.externalId);
  for (;;) {
    const existing = await readShard(deps, tenantId, shardId);
    const target = await readTarget(deps, tenantId, record, shardId, existing, new ParentLookup(deps, tenantId), { everyDerived: true });
    const plan = planRecordWrite(record, target, batchKey, deps.clock.now().toISOString());
    if (plan.writes.length === 0) return plan;
    await registerPendingLinks(deps, tenantId, record, plan.pending);
    try {
      await deps.store.batch('shards', tenantId, plan.writes.map(toOperation));
      return plan;
    } catch (error) {
      const cause = error instanceof BatchError ? error.cause : error;
      if (!(cause instanceof ConflictError || cause instanceof PreconditionFailedError || cause instanceof NotFoundError)) throw error;
    }
  }
}

/**
 * Derived shards are read for records that exist (a new record's cannot, unless a lost race left
 * them: `everyDerived` reads them anyway); parents already linked are known to exist.
 */
async function readTarget(
  deps: SyncDeps,
  tenantId: string,
  record: IncomingRecord,
  shardId: string,
  existing: ReadShard | undefined,
  parents: ParentLookup,
  options: { everyDerived?: boolean } = {},
): Promise<RecordTarget> {
  const derived = new Map<string, ReadShard>();
  if (existing || options.everyDerived) {
    const derivedIds = new Set(record.derived.map((d) => ids.derivedShard(shardId, d.shardType)));
    for (const link of existing?.shard.links ?? []) if (link.rel === 'derived') derivedIds.add(link.shardId);
    for (const id of derivedIds) {
      const stored = await readShard(deps, tenantId, id);
      if (stored) derived.set(id, stored);
    }
  }
  const linked = new Set(existing?.shard.links.filter((link) => link.stream !== undefined && !link.status).map((link) => link.shardId));
  const presentParents = new Set<string>();
  for (const parent of record.parents) {
    const id = parentShardId(record.connectionId, parent);
    if (linked.has(id) || (await parents.exists(id))) presentParents.add(id);
  }
  return { tenantId, shardId, ...(existing ? { existing } : {}), derived, presentParents };
}

/** Whether parent shards exist, each read once per batch (orders share customers and products). */
class ParentLookup {
  readonly #known = new Map<string, boolean>();
  constructor(private readonly deps: SyncDeps, private readonly tenantId: string) {}

  async exists(shardId: string): Promise<boolean> {
    let known = this.#known.get(shardId);
    if (known === undefined) {
      known = (await this.deps.store.read<Shard>('shards', this.tenantId, shardId)) !== undefined;
      this.#known.set(shardId, known);
    }
    return known;
  }
}

async function readShard(deps: SyncDeps, tenantId: string, id: string): Promise<ReadShard | undefined> {
  const stored: Stored<Shard> | undefined = await deps.store.read<Shard>('shards', tenantId, id);
  if (!stored) return undefined;
  const { _etag, _ts: _ignored, ...shard } = stored;
  return { shard, etag: _etag };
}

/** Consecutive records whose writes fit in one transactional batch; one record's writes never split. */
function chunksOf(written: Array<{ index: number; plan: RecordWritePlan }>): Array<typeof written> {
  const chunks: Array<typeof written> = [];
  let current: typeof written = [];
  let size = 0;
  for (const entry of written) {
    if (size + entry.plan.writes.length > MAX_BATCH_OPERATIONS && current.length > 0) {
      chunks.push(current);
      current = [];
      size = 0;
    }
    current.push(entry);
    size += entry.plan.writes.length;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}
