import { withEntry, withoutEntry, type BlockEntry } from '../../core/dedupe/blockEntries.js';
import { blockingKeysOf } from '../../core/dedupe/blockingKeys.js';
import type { DedupeRules } from '../../core/dedupe/dedupeRules.js';
import { entryValuesOf, mayMatch, preparedFromValues, remapValues, sameValues, valueLayout, type EntryValues } from '../../core/dedupe/entryValues.js';
import { matchPrepared, type MatchedField, type MatchResult, type PreparedRecord } from '../../core/dedupe/matchScore.js';
import { normalizedReader, type NormalizedReader } from '../../core/dedupe/recordView.js';
import { ids } from '../../core/ids.js';
import type { BatchOperation, Doc, Stored } from '../../ports/store.js';
import { ConflictError, isLostRace } from '../../ports/storeErrors.js';
import type { SyncDeps } from '../syncDeps.js';

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

export interface LookupBlock extends Doc {
  kind: 'dedupe_block';
  shardType: string;
  /**
   * The id of the stored layout (StoredLayout) of the entries' values, so a changed rule set can
   * still read them. Blocks written before layouts were stored once carry `slots` instead.
   */
  layout?: string;
  slots?: string[];
  entries: BlockEntry[];
}

/**
 * How a tenant's block ids are spelt, fixed when its index is first used: a tenant with blocks
 * from before ids were shortened keeps their spelling, so no stored block is ever orphaned.
 */
export interface IndexSettings extends Doc {
  kind: 'dedupe_index';
  blockIds: 'short' | 'long';
}

/** What look-up entries' values are (`normalizer:field`, in order), stored once per tenant rather than in every block. */
export interface StoredLayout extends Doc {
  kind: 'dedupe_layout';
  slots: string[];
}

export interface EntityRecord {
  shardId: string;
  data: unknown;
}

export type MatchDecision =
  | { kind: 'match'; survivorId: string; score: number; matched: MatchedField[] }
  | { kind: 'new' };

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

/** Another worker kept winning the race for the same blocks; the message is redelivered, which is safe. */
export class IndexContentionError extends Error {
  constructor(attempts: number) {
    super(`look-up blocks kept changing: gave up after ${attempts} attempts`);
    this.name = 'IndexContentionError';
  }
}

type IndexDeps = Pick<SyncDeps, 'store'>;

/** Cosmos DB's limit on a transactional batch. */
const MAX_BATCH_OPERATIONS = 100;
/** Blocks a record is indexed in at most, so a claim plus the removals of an update fit in one batch (rules give about ten). */
const MAX_BLOCKS_PER_RECORD = MAX_BATCH_OPERATIONS / 2;
const MAX_ATTEMPTS = 20;

interface BlockRef {
  id: string;
}

/**
 * Layouts by id. An id is a digest of its slots, so an entry never goes stale: this caches what
 * blocks of other rule sets name, and the current rules' layouts are added as they are stored.
 */
const knownLayouts = new Map<string, readonly string[]>();
/** Per store, the tenants' layouts stored by this process (`tenant\0layout`), so each is written once. */
const storedLayouts = new WeakMap<IndexDeps['store'], Set<string>>();

type BlockIds = (shardType: string, key: string) => string;
/** Per store, each tenant's block id spelling, once read. */
const blockIdSpellings = new WeakMap<IndexDeps['store'], Map<string, BlockIds>>();

/** A record prepared once: its blocks, its values, and the prepared record the matchers score. */
interface Candidate {
  shardId: string;
  blocks: readonly BlockRef[];
  values: EntryValues;
  record: PreparedRecord;
}

/** Whether a record is a duplicate of an entity in its blocks; returns the blocks read, for indexEntity. */
export async function findMatch(deps: IndexDeps, tenantId: string, rules: DedupeRules, candidate: EntityRecord): Promise<FoundMatch> {
  const { decision, readState, compared } = await find(deps, tenantId, rules, prepare(candidate, rules, await blockIdsOf(deps, tenantId)));
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
  const candidate = prepare(shard, rules, blockIds);
  const stale = shard.previousData === undefined ? [] : blocksOf(shard.previousData, rules, blockIds).filter((old) => !candidate.blocks.some((block) => block.id === old.id));
  const staleState = await readBlocks(deps, tenantId, stale);
  return index(deps, tenantId, rules, candidate, new Map([...staleState, ...readState]), removals(shard.shardId, stale, staleState, rules));
}

/** Takes a shard out of its blocks: it was merged into another, or its record is gone. */
export async function removeFromIndex(deps: IndexDeps, tenantId: string, rules: DedupeRules, shard: EntityRecord): Promise<void> {
  const blocks = blocksOf(shard.data, rules, await blockIdsOf(deps, tenantId));
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const readState = await readBlocks(deps, tenantId, blocks);
    const operations = removals(shard.shardId, blocks, readState, rules).map((change) => blockOperation(tenantId, rules, change, readState.get(change.id)));
    if ((await commit(deps, tenantId, rules, operations)) === 'indexed') return;
  }
  throw new IndexContentionError(MAX_ATTEMPTS);
}

/** Find, else claim; a lost claim means someone else just wrote a shared block: find again, it may be this entity. */
export async function resolveEntity(deps: IndexDeps, tenantId: string, rules: DedupeRules, entity: EntityRecord): Promise<MatchDecision> {
  const candidate = prepare(entity, rules, await blockIdsOf(deps, tenantId));
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
  const candidates = entities.map((entity) => prepare(entity, rules, blockIds));
  const result: BatchResolution = { decisions: new Array<MatchDecision>(candidates.length), compared: 0, scored: 0, raced: 0 };
  let pending = candidates.map((_, index) => index);
  for (let attempt = 1; pending.length > 0; attempt++) {
    if (attempt > MAX_ATTEMPTS) throw new IndexContentionError(MAX_ATTEMPTS);
    const round = pending.map((index) => candidates[index]!);
    const readState = await readBlocks(deps, tenantId, round.flatMap((candidate) => candidate.blocks));
    const plan = planRound(round, readState, rules);
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
  const { decision, compared } = bestMatch(candidate, candidate.blocks.map((block) => entriesOf(readState.get(block.id), rules)), rules, new Map());
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
  const current = new Map(candidate.blocks.map((block) => [block.id, entriesOf(readState.get(block.id), rules)]));
  const operations = [...claim(candidate, current), ...extra].map((change) => blockOperation(tenantId, rules, change, readState.get(change.id)));
  return commit(deps, tenantId, rules, operations);
}

/** The blocks, and the layouts of their entries this process has not seen yet. */
async function readBlocks(deps: IndexDeps, tenantId: string, blocks: readonly BlockRef[]): Promise<Map<string, Stored<LookupBlock> | undefined>> {
  const unique = [...new Set(blocks.map((block) => block.id))];
  const found = await deps.store.readMany<LookupBlock>('lookups', tenantId, unique);
  const unknown = new Set([...found.values()].flatMap((doc) => (doc.layout === undefined || knownLayouts.has(doc.layout) ? [] : [doc.layout])));
  if (unknown.size > 0) {
    const layouts = await deps.store.readMany<StoredLayout>('lookups', tenantId, [...unknown]);
    for (const id of unknown) {
      const layout = layouts.get(id);
      if (!layout) throw new Error(`look-up blocks name layout ${id}, which is not stored`);
      knownLayouts.set(id, layout.slots);
    }
  }
  return new Map(unique.map((id) => [id, found.get(id)]));
}

/** Writes the rules' layout before the first block that names it; idempotent, as the id is its content's digest. */
async function storeLayout(deps: IndexDeps, tenantId: string, rules: DedupeRules): Promise<void> {
  const layout = valueLayout(rules);
  let stored = storedLayouts.get(deps.store);
  if (!stored) storedLayouts.set(deps.store, (stored = new Set()));
  const key = `${tenantId}\u0000${layout.id}`;
  if (stored.has(key)) return;
  await deps.store.upsert<StoredLayout>('lookups', { id: layout.id, tenantId, kind: 'dedupe_layout', slots: [...layout.slots] });
  stored.add(key);
  knownLayouts.set(layout.id, layout.slots);
}

/** The tenant's block id spelling: read once per process, and settled on the first use of its index. */
async function blockIdsOf(deps: IndexDeps, tenantId: string): Promise<BlockIds> {
  let spellings = blockIdSpellings.get(deps.store);
  if (!spellings) blockIdSpellings.set(deps.store, (spellings = new Map()));
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
  const lost = new Set<number>();
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
    if (!ok) for (const position of transaction.members) lost.add(position);
  }
  plan.dependsOn.forEach((claimants, position) => {
    if (claimants.some((claimant) => lost.has(claimant))) lost.add(position);
  });
  return lost;
}

// ---- Pure decisions ----

/** A block's new entries, or, when empty, that it is to be deleted. */
interface BlockChange extends BlockRef {
  entries: readonly BlockEntry[];
}

interface PlannedTransaction {
  /** Positions of the records whose claims it carries. */
  members: number[];
  changes: BlockChange[];
}

interface RoundPlan {
  decisions: MatchDecision[];
  /** Per position: the earlier records of the round whose claims its decision rests on. */
  dependsOn: number[][];
  transactions: PlannedTransaction[];
  compared: number;
  scored: number;
}

/** One normalisation of the record (one reader, so one phone parse) serves its keys and its values. */
function prepare(entity: EntityRecord, rules: DedupeRules, blockIds: BlockIds): Candidate {
  const read = normalizedReader(entity.data, rules);
  const values = entryValuesOf(read, rules);
  return { shardId: entity.shardId, blocks: blocksFrom(read, rules, blockIds), values, record: preparedFromValues(values, rules) };
}

function blocksOf(data: unknown, rules: DedupeRules, blockIds: BlockIds): BlockRef[] {
  return blocksFrom(normalizedReader(data, rules), rules, blockIds);
}

function blocksFrom(read: NormalizedReader, rules: DedupeRules, blockIds: BlockIds): BlockRef[] {
  return blockingKeysOf(read, rules)
    .slice(0, MAX_BLOCKS_PER_RECORD)
    .map((key) => ({ id: blockIds(rules.shardType, key) }));
}

/** Entries in the current rules' slots (readBlocks has loaded the layout they were written in). */
function entriesOf(doc: LookupBlock | undefined, rules: DedupeRules): readonly BlockEntry[] {
  if (!doc) return [];
  const layout = valueLayout(rules);
  if (doc.layout === layout.id) return doc.entries;
  const slots = doc.layout === undefined ? doc.slots : knownLayouts.get(doc.layout);
  if (!slots) throw new Error(`look-up block ${doc.id} names neither a known layout nor its slots`);
  if (slots.length === layout.slots.length && slots.every((slot, index) => slot === layout.slots[index])) return doc.entries;
  return doc.entries.map((entry) => ({ shardId: entry.shardId, values: remapValues(entry.values, slots, rules) }));
}

/**
 * The best-scoring entity at or above the threshold among the distinct entities of the blocks,
 * itself excluded. Ties go to the higher evidence, then to the smaller shard id, so every worker
 * picks the same survivor whatever order it read the blocks in.
 */
function bestMatch(
  candidate: Candidate,
  blocks: readonly (readonly BlockEntry[])[],
  rules: DedupeRules,
  prepared: Map<BlockEntry, PreparedRecord>,
): { decision: MatchDecision; compared: number; scored: number } {
  const seen = new Set([candidate.shardId]);
  let best: { shardId: string; result: MatchResult } | undefined;
  let scored = 0;
  for (const entries of blocks) {
    for (const entry of entries) {
      if (seen.has(entry.shardId)) continue;
      seen.add(entry.shardId);
      if (!mayMatch(candidate.values, entry.values, rules)) continue;
      scored++;
      let record = prepared.get(entry);
      if (!record) prepared.set(entry, (record = preparedFromValues(entry.values, rules)));
      const result = matchPrepared(candidate.record, record, rules);
      if (result && (!best || outranks(result, entry.shardId, best))) best = { shardId: entry.shardId, result };
    }
  }
  const decision: MatchDecision = best
    ? { kind: 'match', survivorId: best.shardId, score: best.result.score, matched: best.result.matched }
    : { kind: 'new' };
  return { decision, compared: seen.size - 1, scored };
}

function outranks(result: MatchResult, shardId: string, best: { shardId: string; result: MatchResult }): boolean {
  if (result.score !== best.result.score) return result.score > best.result.score;
  if (result.evidence !== best.result.evidence) return result.evidence > best.result.evidence;
  return shardId < best.shardId;
}

/** The blocks that change when the record's entry is added to (or updated in) them. */
function claim(candidate: Candidate, current: ReadonlyMap<string, readonly BlockEntry[]>): BlockChange[] {
  const entry: BlockEntry = { shardId: candidate.shardId, values: candidate.values };
  return candidate.blocks.flatMap((block) => {
    const entries = withEntry(current.get(block.id) ?? [], entry);
    return entries ? [{ ...block, entries }] : [];
  });
}

function removals(shardId: string, blocks: readonly BlockRef[], readState: ReadState, rules: DedupeRules): BlockChange[] {
  return blocks.flatMap((block) => {
    const entries = withoutEntry(entriesOf(readState.get(block.id), rules), shardId);
    return entries ? [{ ...block, entries }] : [];
  });
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

/**
 * Decides a round's records in order against the blocks as read, each seeing the entities the
 * ones before it claimed, and packs the claims into transactions of at most 100 blocks, a claim
 * never split across two (each block once per transaction, with everything claimed so far).
 */
function planRound(candidates: readonly Candidate[], readState: ReadState, rules: DedupeRules): RoundPlan {
  const current = new Map([...readState].map(([id, doc]) => [id, entriesOf(doc, rules)]));
  const prepared = new Map<BlockEntry, PreparedRecord>();
  const claimedBy = new Map<string, number>();
  const lastWriter = new Map<string, number>();
  const plan: RoundPlan = { decisions: [], dependsOn: [], transactions: [], compared: 0, scored: 0 };
  let open: { members: number[]; changes: Map<string, BlockChange> } = { members: [], changes: new Map() };
  const close = () => {
    if (open.members.length > 0) plan.transactions.push({ members: open.members, changes: [...open.changes.values()] });
    open = { members: [], changes: new Map() };
  };
  candidates.forEach((candidate, position) => {
    const { decision, compared, scored } = bestMatch(candidate, candidate.blocks.map((block) => current.get(block.id) ?? []), rules, prepared);
    plan.decisions.push(decision);
    plan.compared += compared;
    plan.scored += scored;
    const changes = decision.kind === 'new' ? claim(candidate, current) : [];
    plan.dependsOn.push(dependencies(candidate, decision, changes.length > 0, claimedBy, lastWriter));
    if (changes.length === 0) return;
    claimedBy.set(candidate.shardId, position);
    if (open.changes.size + changes.filter((change) => !open.changes.has(change.id)).length > MAX_BATCH_OPERATIONS) close();
    open.members.push(position);
    for (const change of changes) {
      current.set(change.id, change.entries);
      open.changes.set(change.id, change);
      lastWriter.set(change.id, position);
    }
  });
  close();
  return plan;
}

/**
 * The claims of this round a decision rests on: the survivor it matched, an earlier copy of the
 * same shard, and, for a new record that changed no block, whoever filled its blocks.
 */
function dependencies(
  candidate: Candidate,
  decision: MatchDecision,
  claims: boolean,
  claimedBy: ReadonlyMap<string, number>,
  lastWriter: ReadonlyMap<string, number>,
): number[] {
  const positions = [claimedBy.get(decision.kind === 'match' ? decision.survivorId : candidate.shardId)];
  if (decision.kind === 'new' && !claims) positions.push(...candidate.blocks.map((block) => lastWriter.get(block.id)));
  return positions.filter((position) => position !== undefined);
}

function sameEntries(stored: readonly BlockEntry[] | undefined, expected: readonly BlockEntry[]): boolean {
  return (
    stored !== undefined &&
    stored.length === expected.length &&
    stored.every((entry, index) => entry.shardId === expected[index]!.shardId && sameValues(entry.values, expected[index]!.values))
  );
}
