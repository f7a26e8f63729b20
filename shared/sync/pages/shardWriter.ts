import type { BatchOperation, Stored } from '../../ports/store.js';
import { BatchError } from '../../ports/batchError.js';
import { isLostRace } from '../../ports/lostRace.js';
import type { Shard } from '../../core/schemas/shard.js';
import type { RecordOutcome } from '../../core/executions/recordOutcome.js';
import {
  parentShardId,
  planRecordWrite,
  sourceKey,
  type IncomingRecord,
  type ReadShard,
  type RecordTarget,
  type RecordWritePlan,
  type ShardWrite,
} from '../../core/executions/shardWritePlan.js';
import { ids } from '../../core/ids.js';
import type { SyncDeps } from '../syncDeps.js';
import { completeLinksTo, completeLinksToNewShards, registerPendingLinks } from './pendingLinks.js';
import type { MatchDecision } from '../../core/dedupe/bestMatch.js';
import { resolveEntities } from '../entityResolution/entityIndex.js';
import { resolveStoredShard } from '../entityResolution/storedEntityResolution.js';
import { readAlias, writeAlias, type RuleSetInUse } from '../entityResolution/shardMerges.js';
import { changesOfWrites } from '../../core/changes/shardChange.js';
import { recordShardChanges } from '../changes/recordShardChanges.js';

/** A Cosmos DB transactional batch holds at most 100 operations. */
const MAX_BATCH_OPERATIONS = 100;

const toOperation = (write: ShardWrite): BatchOperation => {
  switch (write.kind) {
    case 'create': return { op: 'create', doc: write.shard };
    case 'replace': return { op: 'replace', doc: write.shard, ifMatch: write.ifMatch };
    case 'delete': return { op: 'delete', id: write.shardId, ifMatch: write.ifMatch };
  }
};

/** The de-duplication rules of the shard types a batch writes; absent = that type is not de-duplicated. */
export type RulesByShardType = ReadonlyMap<string, RuleSetInUse>;

/** What saving a batch would do, decided from point reads; nothing written yet. */
export interface ShardPlans {
  records: IncomingRecord[];
  plans: RecordWritePlan[];
  /** The shard each record is written to: its own, or the one it was merged into earlier. */
  shardIds: string[];
  /** Records new to the store whose shard type is de-duplicated: they may be duplicates of an entity. */
  toResolve: number[];
  /** Stored shards of de-duplicated types to resolve again: changed, or not resolved with the current rules; with their data before. */
  toRecheck: Map<number, unknown>;
  rules: RulesByShardType;
  batchKey: string;
  /** Parent shards the batch's changed records link to that are not stored yet. */
  missingParents: Set<string>;
  /** Unchanged shards that still wait for parents: each write of the batch looks at them again. */
  stillPending: Set<string>;
  /** The stored derived shards the plans delete, by id: the change feed names their type. */
  removed: Map<string, Shard>;
}

/**
 * Reads what a batch's records map to — de-duplicated exactly on their external ids: a record's
 * shard id derives from connection + stream + external id, so one point read finds it (or its
 * alias, when it was merged into another shard) — and decides each record's writes. Records that
 * changed also read their derived shards and check their parents exist. A dry run stops here;
 * applyShardPlans resolves new records against the entity index and writes.
 */
export async function planShards(
  deps: SyncDeps,
  tenantId: string,
  records: IncomingRecord[],
  batchKey: string,
  rules: RulesByShardType = new Map(),
): Promise<ShardPlans> {
  const now = deps.clock.now().toISOString();
  const parents = new ParentLookup(deps, tenantId);
  const planned: ShardPlans = { records, plans: [], shardIds: [], toResolve: [], toRecheck: new Map(), rules, batchKey, missingParents: new Set(), stillPending: new Set(), removed: new Map() };
  for (const [index, record] of records.entries()) {
    const typeRules = rules.get(record.shardType);
    const { shardId, existing } = await locate(deps, tenantId, record, typeRules !== undefined);
    planned.shardIds.push(shardId);
    if (!existing && typeRules) planned.toResolve.push(index);
    const unchanged = existing?.shard.externalRelationships.find((r) => sourceKey(r) === sourceKey(record))?.hash === record.hash;
    // A tombstone being restored brings its derived shards back: they are read like a changed record's.
    const target: RecordTarget = unchanged && existing!.shard.deletedAt === undefined
      ? { tenantId, shardId, existing: existing!, derived: new Map(), presentParents: new Set() }
      : await readTarget(deps, tenantId, record, shardId, existing, parents);
    const plan = planRecordWrite(record, typeRules ? { ...target, mergeStrategy: typeRules.rules.merge } : target, batchKey, now);
    const ownShard = existing && shardId === ids.shardFor(record.connectionId, record.stream, record.externalId) && !existing.shard.contributions;
    if (typeRules && ownShard && (!unchanged || existing.shard.resolvedWith !== typeRules.version)) planned.toRecheck.set(index, existing.shard.data);
    if (unchanged) for (const link of existing!.shard.links) if (link.status === 'pending') planned.stillPending.add(link.shardId);
    for (const link of plan.pending) planned.missingParents.add(link.shardId);
    for (const write of plan.writes) if (write.kind === 'delete') rememberRemoved(planned.removed, target, write.shardId);
    planned.plans.push(plan);
  }
  return planned;
}

/** The record's own shard, else (for de-duplicated types) the shard its alias points at. */
async function locate(deps: SyncDeps, tenantId: string, record: IncomingRecord, deduplicated: boolean): Promise<{ shardId: string; existing?: ReadShard }> {
  const own = ids.shardFor(record.connectionId, record.stream, record.externalId);
  const existing = await readShard(deps, tenantId, own);
  if (existing || !deduplicated) return { shardId: own, ...(existing ? { existing } : {}) };
  const alias = await readAlias(deps, tenantId, own);
  const survivor = alias && (await readShard(deps, tenantId, alias.survivorId));
  return survivor ? { shardId: alias.survivorId, existing: survivor } : { shardId: own };
}

/**
 * Writes every changed record, each record's writes (primary, derived creates, updates and
 * deletes) in the same transactional batch, several records per batch up to 100 operations;
 * unchanged records are not written. A batch that loses a race (409/412/404) falls back to
 * saveRecord, one record at a time.
 * De-duplicated types first resolve their new records against the entity index (claiming the
 * new entities' blocks); a duplicate joins its survivor after the new shards are written, since
 * the survivor may be a record of this very batch.
 * Pending links are registered before the shard that holds them is written and looked at again
 * after it, and the batch's new shards complete the links that were waiting for them: whichever
 * side comes second completes the link. Idempotent throughout.
 */
export async function applyShardPlans(deps: SyncDeps, tenantId: string, planned: ShardPlans): Promise<RecordOutcome[]> {
  const duplicates = await resolveNewRecords(deps, tenantId, planned);
  for (const index of planned.toResolve) {
    const create = planned.plans[index]!.writes[0];
    // Claimed as a new entity under these rules: resolved with their version from the start.
    if (!duplicates.has(index) && create?.kind === 'create') create.shard.resolvedWith = planned.rules.get(create.shard.shardType)!.version;
  }
  const outcomes = planned.plans.map((plan) => plan.outcome);
  const written: Array<{ index: number; plan: RecordWritePlan }> = [];
  for (const [index, plan] of planned.plans.entries()) {
    if (plan.writes.length === 0 || duplicates.has(index)) continue;
    await registerPendingLinks(deps, tenantId, { shardId: planned.shardIds[index]!, connectionId: planned.records[index]!.connectionId }, plan.pending);
    written.push({ index, plan });
  }
  for (const chunk of chunksOf(written)) {
    try {
      // One feed batch per shard batch (the same size at most): announced before it is written.
      await recordShardChanges(deps, tenantId, chunk.flatMap(({ plan }) => changesOfWrites(plan.writes, (id) => planned.removed.get(id))));
      await deps.store.batch('shards', tenantId, chunk.flatMap(({ plan }) => plan.writes.map(toOperation)));
    } catch (error) {
      if (!(error instanceof BatchError)) throw error;
      for (const { index } of chunk) {
        const plan = await saveRecord(deps, tenantId, planned, index);
        outcomes[index] = plan.outcome;
        planned.plans[index] = plan;
      }
    }
  }
  for (const { plan } of written) {
    const primary = plan.writes[0];
    if (primary && primary.kind !== 'delete') rememberStored(deps, tenantId, primary.shard.id);
  }
  for (const [index, match] of duplicates) {
    const plan = await saveRecord(deps, tenantId, planned, index, match);
    outcomes[index] = plan.outcome;
    planned.plans[index] = plan;
    written.push({ index, plan });
  }
  for (const [index, previousData] of planned.toRecheck) {
    const record = planned.records[index]!;
    const resolution = await resolveStoredShard(deps, tenantId, planned.rules.get(record.shardType)!, planned.shardIds[index]!, planned.batchKey, previousData);
    if (resolution === 'merged') outcomes[index] = 'merged';
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

type Match = Extract<MatchDecision, { kind: 'match' }>;

/** The batch's new records that are duplicates of an entity, with the entity they join; the others are claimed as new entities. */
async function resolveNewRecords(deps: SyncDeps, tenantId: string, planned: ShardPlans): Promise<Map<number, Match>> {
  const duplicates = new Map<number, Match>();
  const byType = new Map<string, number[]>();
  for (const index of planned.toResolve) {
    const shardType = planned.records[index]!.shardType;
    byType.set(shardType, [...(byType.get(shardType) ?? []), index]);
  }
  for (const [shardType, indexes] of byType) {
    const entities = indexes.map((index) => ({ shardId: planned.shardIds[index]!, data: planned.records[index]!.data }));
    const { decisions } = await resolveEntities(deps, tenantId, planned.rules.get(shardType)!.rules, entities);
    decisions.forEach((decision, position) => {
      if (decision.kind === 'match') duplicates.set(indexes[position]!, decision);
    });
  }
  return duplicates;
}

/**
 * One record, retried until its writes land: a lost race re-reads everything and re-plans. With
 * `match` the record joins that shard (then its alias points there); should the shard have gone,
 * the record gets its own.
 */
export async function saveRecord(deps: SyncDeps, tenantId: string, planned: ShardPlans, index: number, match?: Match): Promise<RecordWritePlan> {
  const record = planned.records[index]!;
  const own = ids.shardFor(record.connectionId, record.stream, record.externalId);
  const rules = planned.rules.get(record.shardType);
  for (;;) {
    // A tombstone is nobody's survivor (an index entry left from before it was deleted): the record gets its own shard.
    const found = match ? await survivorOf(deps, tenantId, match.survivorId) : undefined;
    const survivor = found?.shard.deletedAt === undefined ? found : undefined;
    const located = survivor ? { shardId: match!.survivorId, existing: survivor } : await locate(deps, tenantId, record, rules !== undefined && !match);
    const base = await readTarget(deps, tenantId, record, located.shardId, located.existing, new ParentLookup(deps, tenantId), { everyDerived: true });
    const target: RecordTarget = {
      ...base,
      ...(survivor && !survivor.shard.externalRelationships.some((r) => sourceKey(r) === sourceKey(record)) ? { match: { score: match!.score, matched: match!.matched } } : {}),
      ...(rules ? { mergeStrategy: rules.rules.merge } : {}),
    };
    const plan = planRecordWrite(record, target, planned.batchKey, deps.clock.now().toISOString());
    try {
      if (plan.writes.length > 0) {
        await registerPendingLinks(deps, tenantId, { shardId: located.shardId, connectionId: record.connectionId }, plan.pending);
        const previous = (id: string) => (id === located.shardId ? located.existing?.shard : base.derived.get(id)?.shard);
        await recordShardChanges(deps, tenantId, changesOfWrites(plan.writes, previous).map((change) =>
          // The record joins the survivor: to a consumer that is a merge, not a plain update.
          target.match && change.fact.shardId === located.shardId && change.fact.kind === 'updated' ? { fact: { ...change.fact, kind: 'merged', absorbedShardId: own } } : change,
        ));
        await deps.store.batch('shards', tenantId, plan.writes.map(toOperation));
      }
      if (survivor) await writeAlias(deps, tenantId, own, match!.survivorId, sourceKey(record));
      planned.shardIds[index] = located.shardId;
      return survivor && plan.writes.length === 0 && plan.outcome === 'unchanged' ? { ...plan, outcome: 'merged' } : plan;
    } catch (error) {
      if (!isLostRace(error)) throw error;
    }
  }
}

/** Reads left to a survivor claimed by another worker that has not written it yet (claim and write are two steps). */
const SURVIVOR_READS = 20;
const SURVIVOR_READ_INTERVAL_MS = 50;

/** The survivor, waiting briefly for a worker between its claim and its write; undefined if it never comes (that worker died). */
async function survivorOf(deps: SyncDeps, tenantId: string, survivorId: string): Promise<ReadShard | undefined> {
  for (let read = 1; ; read++) {
    const survivor = await readShard(deps, tenantId, survivorId);
    if (survivor || read === SURVIVOR_READS) return survivor;
    await new Promise((resolve) => setTimeout(resolve, SURVIVOR_READ_INTERVAL_MS));
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

function rememberRemoved(removed: Map<string, Shard>, target: RecordTarget, shardId: string): void {
  const stored = target.derived.get(shardId);
  if (stored) removed.set(shardId, stored.shard);
}

/** Remembers a shard seen stored, so a batch naming it as a parent does not read it (deps.caches.storedShards). */
function rememberStored(deps: SyncDeps, tenantId: string, shardId: string): void {
  deps.caches.storedShards.set(`${tenantId}/${shardId}`, true);
}

/** Whether parent shards exist, each read at most once per batch (orders share customers and products). */
class ParentLookup {
  readonly #missing = new Set<string>();
  constructor(private readonly deps: SyncDeps, private readonly tenantId: string) {}

  async exists(shardId: string): Promise<boolean> {
    if (this.deps.caches.storedShards.has(`${this.tenantId}/${shardId}`)) return true;
    if (this.#missing.has(shardId)) return false;
    const found = (await this.deps.store.read<Shard>('shards', this.tenantId, shardId)) !== undefined;
    if (found) rememberStored(this.deps, this.tenantId, shardId);
    else this.#missing.add(shardId);
    return found;
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
