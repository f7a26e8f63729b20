import type { Execution, Marker } from '../../core/schemas/execution.js';
import type { Shard } from '../../core/schemas/shard.js';
import type { MergeStrategy } from '../../core/dedupe/dedupeRules.js';
import { readToEnd } from '../../core/executions/incrementalCursor.js';
import { planDeletesByAbsence } from '../../core/executions/deletesByAbsence.js';
import { BULK_SAFETY_MIN_BASELINE, exceedsBulkChangeLimit } from '../../core/executions/bulkSafety.js';
import { ids } from '../../core/ids.js';
import type { SyncDeps } from '../syncDeps.js';
import type { Filter } from '../../ports/store.js';
import { dedupeRulesFor } from '../entityResolution/shardMerges.js';
import { removeFromIndex } from '../entityResolution/entityIndex.js';
import { applyExecutionEvent } from './executionLifecycle.js';
import { countOnce, streamIncrements } from './executionCounters.js';
import { changesOfWrites } from '../../core/changes/shardChange.js';
import { recordShardChanges } from '../changes/recordShardChanges.js';

/**
 * Before a run finishes: the records of each stream it read completely in a full read, and did not
 * see, are deleted at the provider (planDeletesByAbsence). So are the records a webhook reported
 * deleted (`deletedIds`) that the run, asking for them by id, did not get back. `paused` when that
 * would change more of a stream than the run may without confirmation; the run then waits for
 * `confirm`, which moves it on again. The stream's shards are read a page at a time, twice: once
 * to count (and judge bulk safety) before anything is written, once to write, so memory holds a
 * page of shards and the ids the run saw, whatever the stream's size. Other incremental and id-restricted runs, and dry runs, prove nothing about records
 * they did not read. Nothing is written back to the provider: tombstoning queues no write-back.
 *
 * Idempotent under redelivery (every batch and every redelivery of the last one calls this): the
 * count moves once, with a marker, before any shard is written; the writes are ETag-conditional
 * and planned again on every call from what is stored, so a shard already tombstoned or already
 * without the deleted contribution is not written again, and a write that lost a race throws so
 * the message comes back and plans again. The same holds for the derived shards tombstoned with
 * their primary: a delivery that tombstoned the primary and failed before its derived shards
 * plans them again from the primary's marks (deletedBy: this run), and skips those already done.
 */
export async function applyDeletesByAbsence(deps: SyncDeps, execution: Execution, outcome: 'success' | 'partial' | 'failed'): Promise<'done' | 'paused'> {
  if (execution.dryRun) return 'done';
  for (const stream of Object.keys(execution.streams)) await applyFeedDeletes(deps, execution, stream);
  const fullRead = execution.mode === 'full' && execution.ids === undefined;
  if (!fullRead && execution.deletedIds === undefined) return 'done';
  const complete = Object.values(execution.streams).filter((progress) => readToEnd(outcome, progress));
  for (const progress of complete) {
    const { stream } = progress;
    // A run of reported deletes judges only those records: asked for by id, the provider no longer had them.
    const reported = fullRead ? undefined : execution.deletedIds?.[stream];
    if (!fullRead && reported === undefined) continue;
    const fetched = await seenIds(deps, execution, stream);
    if (!fetched) continue;
    // Reported deletes: only those ids are judged, every other record of a shard stays.
    const gone = reported && new Set(reported.filter((id) => !fetched.has(id)));
    const seen = gone ? { has: (id: string) => !gone.has(id) } : fetched;
    const pages = () => (reported ? onePage(shardsOfRecords(deps, execution, stream, reported)) : shardPages(deps, execution, stream));
    const scope = { connectionId: execution.connectionId, stream, executionId: execution.id, now: deps.clock.now().toISOString() };
    const strategyOf = await strategiesOf(deps, execution.tenantId);
    const markerId = ids.deletesMarker(execution.id, stream);
    if (!(await deps.store.read('executions', execution.tenantId, markerId))) {
      // First pass, a page of shards at a time, nothing kept: how many records are gone.
      let deleted = 0;
      for await (const page of pages()) deleted += planDeletesByAbsence(page, seen, scope, await strategyOf(page)).deleted;
      if (deleted === 0) continue;
      const bulkCheck = {
        baseline: progress.baseline,
        updatedSoFar: progress.counts.updated,
        updatedInBatch: deleted,
        maxChangeShare: execution.options.maxChangeShare ?? 1,
        minBaseline: BULK_SAFETY_MIN_BASELINE,
      };
      // Reported deletes are the provider's word on each record, confirmed by reading it: no inference to guard.
      if (!reported && !execution.bulkConfirmed && exceedsBulkChangeLimit(bulkCheck)) {
        deps.log.warn('bulk delete: execution paused for confirmation', { executionId: execution.id, stream, ...bulkCheck });
        await applyExecutionEvent(deps, execution.tenantId, execution.id, { type: 'pause', reason: 'confirmation' });
        return 'paused';
      }
      await countOnce(deps, execution.tenantId, execution.id, markerId, streamIncrements(stream, { deleted }));
    }
    // Second pass: the writes, page by page; derived shards are read only for what a page tombstones.
    for await (const page of pages()) {
      const strategy = await strategyOf(page);
      const first = planDeletesByAbsence(page, seen, scope, strategy);
      const plan = first.derivedIds.length === 0 ? first : planDeletesByAbsence(page, seen, scope, strategy, await derivedShards(deps, execution.tenantId, first.derivedIds));
      await recordTombstones(deps, execution.tenantId, plan.writes);
      for (const write of plan.writes) await deps.store.replace('shards', write.shard, { ifMatch: write.ifMatch });
      await unindexTombstones(deps, execution, plan.writes.map((write) => write.shard).filter((shard) => shard.deletedBy === execution.id));
    }
  }
  return 'done';
}

/**
 * The ids the provider's delete feed reported during the run (SourcePage `deletedIds`) are gone:
 * their shards become tombstones, counted `deleted` once (a marker), whatever the run's mode and
 * without the bulk pause, since each was named by the provider. Idempotent as deletes by absence are.
 */
async function applyFeedDeletes(deps: SyncDeps, execution: Execution, stream: string): Promise<void> {
  const reported = await feedDeletedIds(deps, execution, stream);
  if (reported.size === 0) return;
  const shards = await shardsOfRecords(deps, execution, stream, [...reported]);
  const scope = { connectionId: execution.connectionId, stream, executionId: execution.id, now: deps.clock.now().toISOString() };
  const strategy = await (await strategiesOf(deps, execution.tenantId))(shards);
  const present = { has: (id: string) => !reported.has(id) };
  const first = planDeletesByAbsence(shards, present, scope, strategy);
  const plan = first.derivedIds.length === 0 ? first : planDeletesByAbsence(shards, present, scope, strategy, await derivedShards(deps, execution.tenantId, first.derivedIds));
  if (plan.deleted === 0) return;
  await countOnce(deps, execution.tenantId, execution.id, ids.feedDeletesMarker(execution.id, stream), streamIncrements(stream, { deleted: plan.deleted }));
  await recordTombstones(deps, execution.tenantId, plan.writes);
  for (const write of plan.writes) await deps.store.replace('shards', write.shard, { ifMatch: write.ifMatch });
  await unindexTombstones(deps, execution, plan.writes.map((write) => write.shard).filter((shard) => shard.deletedBy === execution.id));
}

/** Every id a page of the run reported deleted for `stream`. */
async function feedDeletedIds(deps: SyncDeps, execution: Execution, stream: string): Promise<Set<string>> {
  const reported = new Set<string>();
  for await (const marker of runMarkers(deps, execution, { path: 'feedDeletes.stream', op: '=', value: stream })) {
    for (const id of marker.feedDeletes?.ids ?? []) reported.add(id);
  }
  return reported;
}

/** The run's markers that also match `filter`, a page at a time. */
async function* runMarkers(deps: SyncDeps, execution: Execution, filter: Filter): AsyncGenerator<Marker> {
  let continuationToken: string | undefined;
  do {
    const page = await deps.store.query<Marker>(
      'executions',
      execution.tenantId,
      { filters: [{ path: 'kind', op: '=', value: 'marker' }, { path: 'executionId', op: '=', value: execution.id }, filter] },
      { maxItems: 1000, ...(continuationToken ? { continuationToken } : {}) },
    );
    yield* page.items;
    continuationToken = page.continuationToken;
  } while (continuationToken);
}

/**
 * Tombstones leave the entity index, so no new record is taken for a duplicate of a deleted one;
 * a record that comes back is resolved again with its shard (shardWriter's recheck). Taking out
 * what is already out writes nothing: a redelivery repeats this harmlessly.
 */
async function unindexTombstones(deps: SyncDeps, execution: Execution, tombstones: readonly Shard[]): Promise<void> {
  const rulesByType = new Map<string, Awaited<ReturnType<typeof dedupeRulesFor>>>();
  for (const shard of tombstones) {
    if (!rulesByType.has(shard.shardType)) rulesByType.set(shard.shardType, await dedupeRulesFor(deps, execution.tenantId, shard.shardType));
    const ruleSet = rulesByType.get(shard.shardType);
    if (ruleSet) await removeFromIndex(deps, execution.tenantId, ruleSet.rules, { shardId: shard.id, data: shard.data });
  }
}

/**
 * The external ids the run's batches of `stream` fetched, from their markers; undefined when a
 * batch marker lacks them (written before markers carried ids): then what was seen is not known,
 * and nothing may be taken for deleted.
 */
async function seenIds(deps: SyncDeps, execution: Execution, stream: string): Promise<Set<string> | undefined> {
  const seen = new Set<string>();
  for await (const marker of runMarkers(deps, execution, { path: 'stream', op: '=', value: stream })) {
    if (!marker.seenIds) return undefined;
    for (const id of marker.seenIds) seen.add(id);
  }
  return seen;
}

type StoredShard = { shard: Shard; etag: string };

/** The shards holding a record of the connection's stream, tombstones included, with their ETags: a page (1,000) at a time. */
async function* shardPages(deps: SyncDeps, execution: Execution, stream: string): AsyncGenerator<StoredShard[]> {
  let continuationToken: string | undefined;
  do {
    const page = await deps.store.query<Shard>(
      'shards',
      execution.tenantId,
      { filters: [{ path: 'externalRelationships', op: 'arrayContains', match: { connectionId: execution.connectionId, stream } }] },
      { maxItems: 1000, ...(continuationToken ? { continuationToken } : {}) },
    );
    yield page.items.map(({ _etag, _ts: _ignored, ...shard }) => ({ shard, etag: _etag }));
    continuationToken = page.continuationToken;
  } while (continuationToken);
}

async function* onePage(shards: Promise<StoredShard[]>): AsyncGenerator<StoredShard[]> {
  yield await shards;
}

/** The shards holding these records of the connection's stream (one look-up each: reported deletes are few). */
async function shardsOfRecords(deps: SyncDeps, execution: Execution, stream: string, externalIds: readonly string[]): Promise<StoredShard[]> {
  const shards = new Map<string, StoredShard>();
  for (const externalId of externalIds) {
    const page = await deps.store.query<Shard>(
      'shards',
      execution.tenantId,
      { filters: [{ path: 'externalRelationships', op: 'arrayContains', match: { connectionId: execution.connectionId, stream, externalId } }] },
      { maxItems: 10 },
    );
    for (const { _etag, _ts: _ignored, ...shard } of page.items) shards.set(shard.id, { shard, etag: _etag });
  }
  return [...shards.values()];
}

/** The stored ones of these derived shards, by id, with their ETags; one read. */
async function derivedShards(deps: SyncDeps, tenantId: string, shardIds: readonly string[]): Promise<Map<string, { shard: Shard; etag: string }>> {
  const derived = new Map<string, { shard: Shard; etag: string }>();
  for (const [id, { _etag, _ts: _ignored, ...shard }] of await deps.store.readMany<Shard>('shards', tenantId, shardIds)) derived.set(id, { shard, etag: _etag });
  return derived;
}

/**
 * How the merged shards of a page are made again once a record leaves them (their rules' `merge`;
 * merge_fields without rules), each shard type's rules read once.
 */
async function strategiesOf(deps: SyncDeps, tenantId: string): Promise<(page: readonly StoredShard[]) => Promise<(shardType: string) => MergeStrategy>> {
  const strategies = new Map<string, MergeStrategy | undefined>();
  return async (page) => {
    for (const shardType of new Set(page.filter(({ shard }) => shard.contributions).map(({ shard }) => shard.shardType))) {
      if (!strategies.has(shardType)) strategies.set(shardType, (await dedupeRulesFor(deps, tenantId, shardType))?.rules.merge);
    }
    return (shardType) => strategies.get(shardType) ?? 'merge_fields';
  };
}

/** The change feed's entries of a page's writes (tombstones, and merged shards that lost a record), in one batch before them. */
async function recordTombstones(deps: SyncDeps, tenantId: string, writes: ReadonlyArray<{ shard: Shard; ifMatch: string }>): Promise<void> {
  await recordShardChanges(deps, tenantId, changesOfWrites(writes.map((write) => ({ kind: 'replace', shard: write.shard, ifMatch: write.ifMatch }))));
}
