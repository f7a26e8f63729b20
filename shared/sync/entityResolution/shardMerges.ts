import { z } from 'zod';
import type { Shard } from '../../core/schemas/shard.js';
import type { ShardAlias } from '../../core/schemas/lookups/shardAlias.js';
import type { DedupeRuleSet } from '../../core/schemas/dedupeRuleSet.js';
import type { DedupeRules } from '../../core/dedupe/dedupeRules.js';
import { planUnmerge } from '../../core/dedupe/unmergePlan.js';
import { ids } from '../../core/ids.js';
import type { SyncDeps } from '../syncDeps.js';
import { requireTenant } from '../tenants/tenants.js';
import { StateConflictError } from '../stateConflictError.js';
import { UnknownResourceError } from '../unknownResourceError.js';
import { parseInput } from '../parseInput.js';
import { PreconditionFailedError } from '../../ports/preconditionFailedError.js';
import { BatchError } from '../../ports/batchError.js';
import { ConflictError } from '../../ports/conflictError.js';
import { findMatch, indexEntity } from './entityIndex.js';
import { IndexContentionError } from './indexContentionError.js';
import { recordActivity } from '../operations/activityLog.js';
import { recordShardChanges } from '../changes/recordShardChanges.js';

export async function readAlias(deps: SyncDeps, tenantId: string, shardId: string): Promise<ShardAlias | undefined> {
  return deps.store.read<ShardAlias>('lookups', tenantId, ids.shardAlias(shardId));
}

/** Written after the survivor holds the record, so an alias never points at a shard without it. Idempotent. */
export async function writeAlias(deps: SyncDeps, tenantId: string, shardId: string, survivorId: string, source: string): Promise<void> {
  await deps.store.upsert<ShardAlias>('lookups', { id: ids.shardAlias(shardId), tenantId, kind: 'shard_alias', survivorId, source });
}

/** The rules a batch resolves a shard type with, and their version (shards record which version resolved them). */
export interface RuleSetInUse {
  rules: DedupeRules;
  version: number;
}

/** The rules of a shard type the tenant de-duplicates, read once per batch. */
export async function dedupeRulesFor(deps: SyncDeps, tenantId: string, shardType: string): Promise<RuleSetInUse | undefined> {
  const ruleSet = await deps.store.read<DedupeRuleSet>('dedupeRules', tenantId, shardType);
  return ruleSet ? { rules: ruleSet.rules, version: ruleSet.version } : undefined;
}

export const unmergeRequest = z.strictObject({
  /** The merged record to take out: `connectionId/stream/externalId`, as listed in the shard's `merges`. */
  source: z.string().min(1),
});

/**
 * `POST …/shards/{id}/unmerge`: the record leaves the shard and gets its own shard back (one
 * transactional batch over both), its alias goes, and it is indexed as an entity of its own.
 * Unmerging a record that is not merged into the shard is a 409; repeating a finished unmerge too.
 */
export async function unmergeShard(
  deps: SyncDeps,
  tenantId: string,
  shardId: string,
  body: unknown,
  actor: { type: 'operator'; id?: string },
): Promise<{ survivor: Shard; restored: Shard }> {
  await requireTenant(deps, tenantId);
  const { source } = parseInput(unmergeRequest, body);
  for (;;) {
    const stored = await deps.store.read<Shard>('shards', tenantId, shardId);
    if (!stored) throw new UnknownResourceError('shard', shardId);
    const { _etag, _ts: _ignored, ...shard } = stored;
    const rules = (await dedupeRulesFor(deps, tenantId, shard.shardType))?.rules;
    const plan = planUnmerge(shard, source, rules?.merge ?? 'merge_fields', deps.clock.now().toISOString());
    if (plan.kind === 'not_merged') {
      throw new StateConflictError(`record ${source} is not merged into shard ${shardId}`, { merged: (shard.merges ?? []).map((m) => m.source) });
    }
    try {
      await recordShardChanges(deps, tenantId, [
        { fact: { kind: 'updated', shardId, shardType: plan.survivor.shardType, version: plan.survivor.version } },
        { fact: { kind: 'unmerged', shardId: plan.restored.id, shardType: plan.restored.shardType, version: plan.restored.version, splitFromShardId: shardId } },
      ]);
      await deps.store.batch('shards', tenantId, [
        { op: 'replace', doc: plan.survivor, ifMatch: _etag },
        { op: 'create', doc: plan.restored },
      ]);
    } catch (error) {
      const cause = error instanceof BatchError ? error.cause : error;
      if (cause instanceof PreconditionFailedError) continue;
      if (cause instanceof ConflictError) throw new StateConflictError(`shard ${plan.restored.id} exists already`, { shardId: plan.restored.id });
      throw error;
    }
    await deps.store.delete('lookups', tenantId, ids.shardAlias(plan.restored.id));
    if (rules) await indexOnItsOwn(deps, tenantId, rules, plan.restored);
    await recordActivity(deps, {
      tenantId,
      actor,
      action: 'shard.unmerged',
      subject: { kind: 'shard', id: shardId },
      details: { source, restoredShardId: plan.restored.id },
    });
    return { survivor: plan.survivor, restored: plan.restored };
  }
}

/** The restored shard joins the index as an entity of its own, even though it matches the survivor. */
async function indexOnItsOwn(deps: SyncDeps, tenantId: string, rules: DedupeRules, shard: Shard): Promise<void> {
  for (let attempt = 0; attempt < 10; attempt++) {
    const { readState } = await findMatch(deps, tenantId, rules, { shardId: shard.id, data: shard.data });
    if ((await indexEntity(deps, tenantId, rules, { shardId: shard.id, data: shard.data }, readState)) === 'indexed') return;
  }
  throw new IndexContentionError(10);
}
