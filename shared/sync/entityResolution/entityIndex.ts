import { bestMatch, type MatchDecision } from '../../core/dedupe/bestMatch.js';
import { claim, removals, type BlockChange, type BlockContents } from '../../core/dedupe/blockChanges.js';
import { sameEntries, type BlockEntry } from '../../core/dedupe/blockEntries.js';
import type { DedupeRules } from '../../core/dedupe/dedupeRules.js';
import { remapValues, valueLayout } from '../../core/dedupe/entryValues.js';
import { blocksOf, prepareCandidate, type BlockIds, type BlockRef, type Candidate, type EntityRecord } from '../../core/dedupe/resolutionCandidate.js';
import { lostDecisions, planRound, type RoundPlan } from '../../core/dedupe/resolutionRound.js';
import { ids } from '../../core/ids.js';
import type { IndexSettings, LookupBlock, StoredLayout } from '../../core/schemas/lookups/entityIndex.js';
import type { BatchOperation, Stored } from '../../ports/store.js';
import { ConflictError } from '../../ports/conflictError.js';
import { isLostRace } from '../../ports/lostRace.js';
import type { SyncDeps } from '../syncDeps.js';
import { IndexContentionError } from './indexContentionError.js';

/**
 * The de-duplication stage: which entity, if any, a record is a duplicate of.
 *
 * Each blocking key of a shard type has a look-up block (point read by id) listing the entities
 * that have the key, with the values their matchers need. A record is compared only with the
 * entities in its own blocks — across batches and runs, never by scanning the tenant — and a new
 * entity is added to its blocks.
 *
 * Why two batches creating one entity at once end with one shard: adding an entity ("claiming") is
 * one transactional batch over all the blocks it is added to, each write conditional on the block
 * as findMatch read it (its ETag, or its absence). Whatever a later duplicate is compared with got
 * into its blocks through such a claim. Two duplicates racing both read a block they share before
 * either claim; the first claim changes it, so the second fails ('raced'), finds again, sees the
 * first, and matches it (scores are symmetric). A block that was full when read is not written,
 * but no claim can add anyone to it either until a removal makes room.
 *
 * Idempotent under redelivery: a record never matches its own entry, and re-indexing a shard whose
 * entries are already there writes nothing, so a redelivered record gets the decision it got.
 */

/** The blocks as findMatch read them, absent ones included: indexing is conditional on exactly this. */
export type ReadState = ReadonlyMap<string, Stored<LookupBlock> | undefined>;

export type FoundMatch = MatchDecision & {
  readState: ReadState;
  /** Distinct entities the record was compared with. */
  compared: number;
};

export interface BatchResolution {
  /** One per record, in order. */
  decisions: MatchDecision[];
  /** Distinct entities compared with, summed over the records. */
  compared: number;
  /** Of those, pairs scored in full (the others could not match on their exact fields). */
  scored: number;
  /** Records found again because another worker wrote one of their blocks first. */
  raced: number;
}

type IndexDeps = Pick<SyncDeps, 'store' | 'caches'>;
/** Layouts by id (deps.caches.layouts); an id is a digest of its slots, so an entry never goes stale. */
type KnownLayouts = SyncDeps['caches']['layouts'];

const MAX_ATTEMPTS = 20;

/** Whether a record is a duplicate of an entity in its blocks; returns the blocks read, for indexEntity. */
export async function findMatch(deps: IndexDeps, tenantId: string, rules: DedupeRules, candidate: EntityRecord): Promise<FoundMatch> {
  const { decision, readState, compared } = await find(deps, tenantId, rules, prepareCandidate(candidate, rules, await blockIdsOf(deps, tenantId)));
  return { ...decision, readState, compared };
}

/**
 * Adds the shard to its blocks (or updates its entry), conditional on the blocks as findMatch read
 * them; with `previousData`, also takes it out of the blocks it no longer has. 'raced': another
 * worker wrote one of them since, so find again before indexing.
 */
export async function indexEntity(
  deps: IndexDeps,
  tenantId: string,
  rules: DedupeRules,
  shard: EntityRecord & { previousData?: unknown },
  readState: ReadState,
): Promise<'indexed' | 'raced'> {
  const blockIds = await blockIdsOf(deps, tenantId);
  const candidate = prepareCandidate(shard, rules, blockIds);
  const stale = shard.previousData === undefined ? [] : blocksOf(shard.previousData, rules, blockIds).filter((old) => !candidate.blocks.some((block) => block.id === old.id));
  const staleState = await readBlocks(deps, tenantId, stale);
  return index(deps, tenantId, rules, candidate, new Map([...staleState, ...readState]), removals(shard.shardId, stale, contentsOf(staleState, rules, deps.caches.layouts)));
}

/** Takes a shard out of its blocks: it was merged into another, or its record is gone. */
export async function removeFromIndex(deps: IndexDeps, tenantId: string, rules: DedupeRules, shard: EntityRecord): Promise<void> {
  const blocks = blocksOf(shard.data, rules, await blockIdsOf(deps, tenantId));
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const readState = await readBlocks(deps, tenantId, blocks);
    const operations = removals(shard.shardId, blocks, contentsOf(readState, rules, deps.caches.layouts)).map((change) => blockOperation(tenantId, rules, change, readState.get(change.id)));
    if ((await commit(deps, tenantId, rules, operations)) === 'indexed') return;
  }
  throw new IndexContentionError(MAX_ATTEMPTS);
}

/** Find, else claim; a lost claim means someone else just wrote a shared block: find again, it may be this entity. */
export async function resolveEntity(deps: IndexDeps, tenantId: string, rules: DedupeRules, entity: EntityRecord): Promise<MatchDecision> {
  const candidate = prepareCandidate(entity, rules, await blockIdsOf(deps, tenantId));
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const { decision, readState } = await find(deps, tenantId, rules, candidate);
    if (decision.kind === 'match') return decision;
    if ((await index(deps, tenantId, rules, candidate, readState, [])) === 'indexed') return decision;
  }
  throw new IndexContentionError(MAX_ATTEMPTS);
}

/**
 * resolveEntity for a batch, decided as if one record came after the other: each block is read
 * once, later records see the entities earlier ones create, and claims go out in transactional
 * batches of up to 100 blocks. Records whose claim lost a race (or rests on one that did) are
 * found again with fresh reads, as resolveEntity would.
 */
export async function resolveEntities(
  deps: IndexDeps,
  tenantId: string,
  rules: DedupeRules,
  entities: readonly EntityRecord[],
): Promise<BatchResolution> {
  const blockIds = await blockIdsOf(deps, tenantId);
  const candidates = entities.map((entity) => prepareCandidate(entity, rules, blockIds));
  const result: BatchResolution = { decisions: new Array<MatchDecision>(candidates.length), compared: 0, scored: 0, raced: 0 };
  let pending = candidates.map((_, index) => index);
  for (let attempt = 1; pending.length > 0; attempt++) {
    if (attempt > MAX_ATTEMPTS) throw new IndexContentionError(MAX_ATTEMPTS);
    const round = pending.map((index) => candidates[index]!);
    const readState = await readBlocks(deps, tenantId, round.flatMap((candidate) => candidate.blocks));
    const plan = planRound(round, contentsOf(readState, rules, deps.caches.layouts), rules);
    result.compared += plan.compared;
    result.scored += plan.scored;
    const lost = await commitRound(deps, tenantId, rules, plan, readState);
    const retry: number[] = [];
    plan.decisions.forEach((decision, position) => {
      const index = pending[position]!;
      if (lost.has(position)) retry.push(index);
      else result.decisions[index] = decision;
    });
    result.raced += retry.length;
    pending = retry;
  }
  return result;
}

// ---- Effects: reads and conditional writes ----

async function find(deps: IndexDeps, tenantId: string, rules: DedupeRules, candidate: Candidate) {
  const readState = await readBlocks(deps, tenantId, candidate.blocks);
  const { decision, compared } = bestMatch(candidate, candidate.blocks.map((block) => entriesOf(readState.get(block.id), rules, deps.caches.layouts)), rules);
  return { decision, readState, compared };
}

async function index(
  deps: IndexDeps,
  tenantId: string,
  rules: DedupeRules,
  candidate: Candidate,
  readState: ReadState,
  extra: readonly BlockChange[],
): Promise<'indexed' | 'raced'> {
  // Blocks findMatch did not read may hold this very entity: claiming without comparing could duplicate it.
  if (!candidate.blocks.every((block) => readState.has(block.id))) return 'raced';
  const current = new Map(candidate.blocks.map((block) => [block.id, entriesOf(readState.get(block.id), rules, deps.caches.layouts)]));
  const operations = [...claim(candidate, current), ...extra].map((change) => blockOperation(tenantId, rules, change, readState.get(change.id)));
  return commit(deps, tenantId, rules, operations);
}

/** The blocks, and the layouts of their entries this process has not seen yet. */
async function readBlocks(deps: IndexDeps, tenantId: string, blocks: readonly BlockRef[]): Promise<Map<string, Stored<LookupBlock> | undefined>> {
  const unique = [...new Set(blocks.map((block) => block.id))];
  const found = await deps.store.readMany<LookupBlock>('lookups', tenantId, unique);
  const unknown = new Set([...found.values()].flatMap((doc) => (doc.layout === undefined || deps.caches.layouts.has(doc.layout) ? [] : [doc.layout])));
  if (unknown.size > 0) {
    const layouts = await deps.store.readMany<StoredLayout>('lookups', tenantId, [...unknown]);
    for (const id of unknown) {
      const layout = layouts.get(id);
      if (!layout) throw new Error(`look-up blocks name layout ${id}, which is not stored`);
      deps.caches.layouts.set(id, layout.slots);
    }
  }
  return new Map(unique.map((id) => [id, found.get(id)]));
}

/** Writes the rules' layout before the first block that names it; idempotent, as the id is its content's digest. */
async function storeLayout(deps: IndexDeps, tenantId: string, rules: DedupeRules): Promise<void> {
  const layout = valueLayout(rules);
  const key = `${tenantId}\u0000${layout.id}`;
  if (deps.caches.storedLayouts.has(key)) return;
  await deps.store.upsert<StoredLayout>('lookups', { id: layout.id, tenantId, kind: 'dedupe_layout', slots: [...layout.slots] });
  deps.caches.storedLayouts.set(key, true);
  deps.caches.layouts.set(layout.id, layout.slots);
}

/** The tenant's block id spelling: read once per process, and settled on the first use of its index. */
async function blockIdsOf(deps: IndexDeps, tenantId: string): Promise<BlockIds> {
  const spellings = deps.caches.blockIds;
  let blockIds = spellings.get(tenantId);
  if (!blockIds) {
    const settings = (await deps.store.read<IndexSettings>('lookups', tenantId, ids.dedupeIndexSettings())) ?? (await settleIndexSettings(deps, tenantId));
    blockIds = settings.blockIds === 'long' ? ids.legacyDedupeBlock : ids.dedupeBlock;
    spellings.set(tenantId, blockIds);
  }
  return blockIds;
}

/** Long ids when the tenant already has blocks under them; whoever creates the settings first decides for everyone. */
async function settleIndexSettings(deps: IndexDeps, tenantId: string): Promise<IndexSettings> {
  const legacy = await deps.store.query(
    'lookups',
    tenantId,
    { filters: [{ path: 'id', op: '>=', value: 'block:' }, { path: 'id', op: '<', value: 'block;' }] },
    { maxItems: 1 },
  );
  const settings: IndexSettings = { id: ids.dedupeIndexSettings(), tenantId, kind: 'dedupe_index', blockIds: legacy.items.length > 0 ? 'long' : 'short' };
  try {
    return await deps.store.create<IndexSettings>('lookups', settings);
  } catch (error) {
    if (!(error instanceof ConflictError)) throw error;
    return (await deps.store.read<IndexSettings>('lookups', tenantId, settings.id))!;
  }
}

async function commit(deps: IndexDeps, tenantId: string, rules: DedupeRules, operations: BatchOperation[]): Promise<'indexed' | 'raced'> {
  if (operations.length === 0) return 'indexed';
  await storeLayout(deps, tenantId, rules);
  try {
    await deps.store.batch('lookups', tenantId, operations);
    return 'indexed';
  } catch (error) {
    if (isLostRace(error)) return 'raced';
    throw error;
  }
}

/**
 * Commits a round's transactions in order; returns the positions whose decision did not hold. A
 * block written by an earlier transaction of the round is re-read for its new ETag, and only if
 * it still holds what was written: otherwise someone else got in between, and the records are
 * found again. A transaction after one that failed on a shared block fails too, as what it would
 * write includes the failed claims.
 */
async function commitRound(deps: IndexDeps, tenantId: string, rules: DedupeRules, plan: RoundPlan, readState: ReadState): Promise<Set<number>> {
  const lostClaims = new Set<number>();
  const written = new Map<string, { ok: boolean; entries: readonly BlockEntry[] }>();
  for (const transaction of plan.transactions) {
    const chained = [...transaction.changes].filter((change) => written.has(change.id));
    let ok = chained.every((change) => written.get(change.id)!.ok);
    const rereads = ok ? await readBlocks(deps, tenantId, chained) : new Map<string, Stored<LookupBlock> | undefined>();
    ok &&= chained.every((change) => sameEntries(rereads.get(change.id)?.entries, written.get(change.id)!.entries));
    if (ok) {
      const base = (id: string) => (written.has(id) ? rereads.get(id) : readState.get(id));
      const operations = transaction.changes.map((change) => blockOperation(tenantId, rules, change, base(change.id)));
      ok = (await commit(deps, tenantId, rules, operations)) === 'indexed';
    }
    for (const change of transaction.changes) written.set(change.id, { ok, entries: change.entries });
    if (!ok) for (const position of transaction.members) lostClaims.add(position);
  }
  return lostDecisions(plan, lostClaims);
}

// ---- Reading blocks in the current rules' layout, and writing changes to them ----

/** Entries in the current rules' slots (readBlocks has loaded the layout they were written in). */
function entriesOf(doc: LookupBlock | undefined, rules: DedupeRules, layouts: KnownLayouts): readonly BlockEntry[] {
  if (!doc) return [];
  const layout = valueLayout(rules);
  if (doc.layout === layout.id) return doc.entries;
  const slots = doc.layout === undefined ? doc.slots : layouts.get(doc.layout);
  if (!slots) throw new Error(`look-up block ${doc.id} names neither a known layout nor its slots`);
  if (slots.length === layout.slots.length && slots.every((slot, index) => slot === layout.slots[index])) return doc.entries;
  return doc.entries.map((entry) => ({ shardId: entry.shardId, values: remapValues(entry.values, slots, rules) }));
}

/** The blocks as read, in the current rules' slots: what planning decides on. */
function contentsOf(readState: ReadState, rules: DedupeRules, layouts: KnownLayouts): BlockContents {
  return new Map([...readState].map(([id, doc]) => [id, entriesOf(doc, rules, layouts)]));
}

/** Create an absent block; otherwise replace (or delete, once empty) only the version read. */
function blockOperation(tenantId: string, rules: DedupeRules, change: BlockChange, base: Stored<LookupBlock> | undefined): BatchOperation {
  if (base && change.entries.length === 0) return { op: 'delete', id: change.id, ifMatch: base._etag };
  const doc: LookupBlock = {
    id: change.id,
    tenantId,
    kind: 'dedupe_block',
    shardType: rules.shardType,
    layout: valueLayout(rules).id,
    entries: [...change.entries],
  };
  return base ? { op: 'replace', doc, ifMatch: base._etag } : { op: 'create', doc };
}
