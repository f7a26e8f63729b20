import type { Execution, Marker } from '../../core/schemas/execution.js';
import type { Shard } from '../../core/schemas/shard.js';
import type { MergeStrategy } from '../../core/dedupe/dedupeRules.js';
import { readToEnd } from '../../core/executions/incrementalCursor.js';
import { planDeletesByAbsence } from '../../core/executions/deletesByAbsence.js';
import { BULK_SAFETY_MIN_BASELINE, exceedsBulkChangeLimit } from '../../core/executions/bulkSafety.js';
import { ids } from '../../core/ids.js';
import type { SyncDeps } from '../syncDeps.js';
import { dedupeRulesFor } from '../entityResolution/shardMerges.js';
import { removeFromIndex } from '../entityResolution/entityIndex.js';
import { applyExecutionEvent } from './executionLifecycle.js';
import { countOnce, streamIncrements } from './executionCounters.js';

/**
 * Before a run finishes: the records of each stream it read completely in a full read, and did not
 * see, are deleted at the provider (planDeletesByAbsence). So are the records a webhook reported
 * deleted (`deletedIds`) that the run, asking for them by id, did not get back. `paused` when that would change more of
 * a stream than the run may without confirmation; the run then waits for `confirm`, which moves
 * it on again. Other incremental and id-restricted runs, and dry runs, prove nothing about records
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
  const fullRead = execution.mode === 'full' && execution.ids === undefined;
  if (!fullRead && execution.deletedIds === undefined) return 'done';
  const complete = Object.values(execution.streams).filter((progress) => readToEnd(outcome, progress));
  for (const progress of complete) {
    const { stream } = progress;
    // A run of reported deletes judges only those records: asked for by id, the provider no longer had them.
    const reported = fullRead ? undefined : execution.deletedIds?.[stream];
    if (!fullRead && reported === undefined) continue;
    const seen = await seenIds(deps, execution, stream);
    if (!seen) continue;
    const shards = reported ? await shardsOfRecords(deps, execution, stream, reported) : await shardsOfStream(deps, execution, stream);
    const strategies = await mergeStrategies(deps, execution.tenantId, shards.filter(({ shard }) => shard.contributions).map(({ shard }) => shard.shardType));
    const scope = { connectionId: execution.connectionId, stream, executionId: execution.id, now: deps.clock.now().toISOString() };
    const strategyOf = (shardType: string) => strategies.get(shardType) ?? 'merge_fields';
    const first = planDeletesByAbsence(shards, seen, scope, strategyOf);
    // The plan names the derived shards of what it tombstones; planned again with them (one read), they go too.
    const plan = first.derivedIds.length === 0 ? first : planDeletesByAbsence(shards, seen, scope, strategyOf, await derivedShards(deps, execution.tenantId, first.derivedIds));
    if (plan.deleted === 0) continue;
    const markerId = ids.deletesMarker(execution.id, stream);
    if (!(await deps.store.read('executions', execution.tenantId, markerId))) {
      const bulkCheck = {
        baseline: progress.baseline,
        updatedSoFar: progress.counts.updated,
        updatedInBatch: plan.deleted,
        maxChangeShare: execution.options.maxChangeShare ?? 1,
        minBaseline: BULK_SAFETY_MIN_BASELINE,
      };
      // Reported deletes are the provider's word on each record, confirmed by reading it: no inference to guard.
      if (!reported && !execution.bulkConfirmed && exceedsBulkChangeLimit(bulkCheck)) {
        deps.log.warn('bulk delete: execution paused for confirmation', { executionId: execution.id, stream, ...bulkCheck });
        await applyExecutionEvent(deps, execution.tenantId, execution.id, { type: 'pause', reason: 'confirmation' });
        return 'paused';
      }
      await countOnce(deps, execution.tenantId, execution.id, markerId, streamIncrements(stream, { deleted: plan.deleted }));
    }
    for (const write of plan.writes) await deps.store.replace('shards', write.shard, { ifMatch: write.ifMatch });
    await unindexTombstones(deps, execution, plan.writes.map((write) => write.shard).filter((shard) => shard.deletedBy === execution.id));
  }
  return 'done';
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
  let continuationToken: string | undefined;
  do {
    const page = await deps.store.query<Marker>(
      'executions',
      execution.tenantId,
      {
        filters: [
          { path: 'kind', op: '=', value: 'marker' },
          { path: 'executionId', op: '=', value: execution.id },
          { path: 'stream', op: '=', value: stream },
        ],
      },
      { maxItems: 1000, ...(continuationToken ? { continuationToken } : {}) },
    );
    for (const marker of page.items) {
      if (!marker.seenIds) return undefined;
      for (const id of marker.seenIds) seen.add(id);
    }
    continuationToken = page.continuationToken;
  } while (continuationToken);
  return seen;
}

/** Every shard holding a record of the connection's stream, tombstones included, with its ETag. */
async function shardsOfStream(deps: SyncDeps, execution: Execution, stream: string): Promise<Array<{ shard: Shard; etag: string }>> {
  const shards: Array<{ shard: Shard; etag: string }> = [];
  let continuationToken: string | undefined;
  do {
    const page = await deps.store.query<Shard>(
      'shards',
      execution.tenantId,
      { filters: [{ path: 'externalRelationships', op: 'arrayContains', match: { connectionId: execution.connectionId, stream } }] },
      { maxItems: 1000, ...(continuationToken ? { continuationToken } : {}) },
    );
    for (const { _etag, _ts: _ignored, ...shard } of page.items) shards.push({ shard, etag: _etag });
    continuationToken = page.continuationToken;
  } while (continuationToken);
  return shards;
}

/** The shards holding these records of the connection's stream (one look-up each: reported deletes are few). */
async function shardsOfRecords(deps: SyncDeps, execution: Execution, stream: string, externalIds: readonly string[]): Promise<Array<{ shard: Shard; etag: string }>> {
  const shards = new Map<string, { shard: Shard; etag: string }>();
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

/** How the merged shards of these types are made again once a record leaves them (their rules' `merge`). */
async function mergeStrategies(deps: SyncDeps, tenantId: string, shardTypes: readonly string[]): Promise<Map<string, MergeStrategy>> {
  const strategies = new Map<string, MergeStrategy>();
  for (const shardType of new Set(shardTypes)) {
    const rules = (await dedupeRulesFor(deps, tenantId, shardType))?.rules;
    if (rules?.merge) strategies.set(shardType, rules.merge);
  }
  return strategies;
}
