import type { BatchOperation, Stored } from '../../ports/store.js';
import { isLostRace } from '../../ports/lostRace.js';
import type { Shard } from '../../core/schemas/shard.js';
import { planShardMerge } from '../../core/dedupe/shardMergePlan.js';
import type { SyncDeps } from '../syncDeps.js';
import { findMatch, indexEntity, removeFromIndex } from './entityIndex.js';
import { IndexContentionError } from './indexContentionError.js';
import { writeAlias, type RuleSetInUse } from './shardMerges.js';
import { recordShardChanges } from '../changes/recordShardChanges.js';

/** Attempts before a stored shard's resolution is left to the message's redelivery. */
const MAX_ATTEMPTS = 10;

/**
 * Resolves a shard that is already stored: one synced before its type had rules (or under other
 * rules), or one whose record changed. If it now matches another entity it is merged into it —
 * its records, external relationships and links move over, it and its derived shards go, and its
 * records' ids point to the survivor — else it is (re-)indexed under its current values. Marks the
 * shard with the rules version it was resolved with, so this happens once per version.
 * Idempotent: a merged-away shard is gone, so a redelivery finds nothing left to do.
 */
export async function resolveStoredShard(
  deps: SyncDeps,
  tenantId: string,
  ruleSet: RuleSetInUse,
  shardId: string,
  batchKey: string,
  previousData?: unknown,
): Promise<'merged' | 'indexed' | 'gone'> {
  const { rules, version } = ruleSet;
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const stored = await deps.store.read<Shard>('shards', tenantId, shardId);
    if (!stored) return 'gone';
    const { _etag, _ts: _t, ...shard } = stored;
    const entity = { shardId, data: shard.data };
    const found = await findMatch(deps, tenantId, rules, entity);
    const candidate = found.kind === 'match' && found.survivorId !== shardId ? await deps.store.read<Shard>('shards', tenantId, found.survivorId) : undefined;
    // An operator's unmerge stands: the two are not merged again.
    const survivor = candidate && !separated(shard, candidate) && candidate.deletedAt === undefined ? candidate : undefined;
    try {
      if (found.kind === 'match' && survivor) {
        const { _etag: survivorEtag, _ts: _s, ...survivorShard } = survivor;
        const plan = planShardMerge(survivorShard, shard, found, rules.merge, batchKey, deps.clock.now().toISOString());
        const derived = await existing(deps, tenantId, plan.deletes.slice(1));
        // The merged shard goes as part of the merge (no `deleted` of its own); its derived shards just go.
        await recordShardChanges(deps, tenantId, [
          { fact: { kind: 'merged', shardId: found.survivorId, shardType: plan.survivor.shardType, version: plan.survivor.version, absorbedShardId: shardId } },
          ...derived.map((doc) => ({ fact: { kind: 'deleted' as const, shardId: doc.id, shardType: doc.shardType }, discriminator: doc._etag })),
        ]);
        await deps.store.batch('shards', tenantId, [
          { op: 'replace', doc: plan.survivor, ifMatch: survivorEtag },
          { op: 'delete', id: shardId, ifMatch: _etag },
          ...derived.map((doc): BatchOperation => ({ op: 'delete', id: doc.id, ifMatch: doc._etag })),
        ]);
        for (const alias of plan.aliases) await writeAlias(deps, tenantId, alias.shardId, found.survivorId, alias.source);
        await removeFromIndex(deps, tenantId, rules, { shardId, data: previousData ?? shard.data });
        return 'merged';
      }
      if ((await indexEntity(deps, tenantId, rules, { ...entity, ...(previousData === undefined ? {} : { previousData }) }, found.readState)) === 'raced') continue;
      if (shard.resolvedWith !== version) await deps.store.replace('shards', { ...shard, resolvedWith: version }, { ifMatch: _etag });
      return 'indexed';
    } catch (error) {
      if (!isLostRace(error)) throw error;
    }
  }
  throw new IndexContentionError(MAX_ATTEMPTS);
}

const separated = (a: Shard, b: Shard) => (a.separatedFrom ?? []).includes(b.id) || (b.separatedFrom ?? []).includes(a.id);

async function existing(deps: SyncDeps, tenantId: string, shardIds: readonly string[]): Promise<Stored<Shard>[]> {
  const found: Stored<Shard>[] = [];
  for (const id of shardIds) {
    const doc = await deps.store.read<Shard>('shards', tenantId, id);
    if (doc) found.push(doc);
  }
  return found;
}
