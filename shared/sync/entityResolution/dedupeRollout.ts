import { ids } from '../../core/ids.js';
import { messageIds } from '../../core/messageIds.js';
import type { DedupeRolloutMessage } from '../../core/schemas/messages.js';
import type { Shard } from '../../core/schemas/shard.js';
import type { Stored } from '../../ports/store.js';
import { isConflictAt } from '../../ports/lostRace.js';
import type { DedupeRollout, DedupeRuleSet } from '../../core/schemas/dedupeRuleSet.js';
import { resolveStoredShard } from './storedEntityResolution.js';
import type { SyncDeps } from '../syncDeps.js';

/**
 * Rolling out a rule set: every stored shard of its type is resolved under the version saved, a
 * page of shards per message, instead of waiting for each shard's record to sync again (an
 * incremental sync may never bring it). A shard resolved under an older version — or none, when
 * it was stored before its type had rules — is merged into an entity it now matches, else indexed
 * under the current blocking keys.
 *
 * Idempotent under redelivery: a shard already resolved with this version is skipped, merged-away
 * shards are gone, a page's counts are added with a marker that makes a second count a no-op, and
 * the next page's message id is fixed (per start of the rollout), so duplicate detection drops a
 * second copy.
 */

/** Shards per message: each may take a few reads and writes, well inside a one-minute message lock. */
export const ROLLOUT_PAGE_SIZE = 100;
/** A rollout with a page counted this recently is under way: a page takes seconds, a redelivery at most a few minutes. */
const UNDER_WAY_MS = 5 * 60_000;
/** Page markers outlive any redelivery of their page: messages live at most 14 days. */
const MARKER_TTL_SECONDS = 15 * 24 * 3600;

/**
 * Queues the first page of a rollout of this version, unless it has finished or is under way (a
 * page counted in the last few minutes). A rollout that broke off (a page dead-lettered, say)
 * starts again from page 1 as a chain of its own; its shards resolved already are skipped and
 * its pages counted already are not counted again. Returns the rollout as it found it.
 */
export async function startDedupeRollout(deps: SyncDeps, tenantId: string, shardType: string, version: number): Promise<DedupeRollout | undefined> {
  const current = await storedRollout(deps, tenantId, shardType);
  const underWay = current?.version === version && (current.finishedAt || deps.clock.now().getTime() - current._ts * 1000 < UNDER_WAY_MS);
  if (!underWay) await deps.bus.publish('dedupe-rollout', [pageMessage({ tenantId, shardType, version, chain: String(deps.clock.now().getTime()), page: 1 })]);
  return current && withoutMetadata(current);
}

export async function rollOutDedupePage(deps: SyncDeps, message: DedupeRolloutMessage): Promise<void> {
  const { tenantId, shardType, version, page } = message;
  const ruleSet = await deps.store.read<DedupeRuleSet>('dedupeRules', tenantId, shardType);
  // A deleted rule set has nothing to roll out, and a newer version has its own rollout.
  if (!ruleSet || ruleSet.version !== version) return;
  if (page === 1) await begin(deps, tenantId, shardType, version);

  const shards = await deps.store.query<Shard>(
    'shards',
    tenantId,
    { filters: [{ path: 'shardType', op: '=', value: shardType }] },
    { maxItems: ROLLOUT_PAGE_SIZE, ...(message.continuationToken ? { continuationToken: message.continuationToken } : {}) },
  );
  let resolved = 0;
  let merged = 0;
  const batchKey = `rollout:${shardType}:${version}`;
  for (const shard of shards.items.filter((item) => needsResolving(item, version))) {
    const outcome = await resolveStoredShard(deps, tenantId, { rules: ruleSet.rules, version }, shard.id, batchKey);
    if (outcome !== 'gone') resolved++;
    if (outcome === 'merged') merged++;
  }

  const last = shards.continuationToken === undefined;
  await countPage(deps, tenantId, message, { resolved, merged }, last);
  if (!last) await deps.bus.publish('dedupe-rollout', [pageMessage({ ...message, page: page + 1, continuationToken: shards.continuationToken })]);
}

/**
 * Not yet resolved with this version, and not derived (derived shards are not de-duplicated).
 * Merged shards too: new blocking keys must lead later records to them.
 */
function needsResolving(shard: Shard, version: number): boolean {
  return shard.resolvedWith !== version && shard.derivedKey === undefined;
}

function pageMessage(message: DedupeRolloutMessage) {
  return { messageId: messageIds.dedupeRolloutPage(message.tenantId, message.shardType, message.version, message.chain, message.page), body: message };
}

/** A fresh progress document for this version; a redelivered first page finds it and keeps its counts. */
async function begin(deps: SyncDeps, tenantId: string, shardType: string, version: number): Promise<void> {
  const current = await storedRollout(deps, tenantId, shardType);
  if (current?.version === version) return;
  const rollout: DedupeRollout = {
    id: ids.dedupeRollout(shardType),
    tenantId,
    kind: 'dedupe_rollout',
    shardType,
    version,
    startedAt: deps.clock.now().toISOString(),
    pages: 0,
    resolved: 0,
    merged: 0,
  };
  await deps.store.upsert<DedupeRollout>('coordination', rollout, current ? { ifMatch: current._etag } : {});
}

/**
 * The page's counts (and, for the last page, the end) added to the rollout of its version, with
 * the marker that says they were: a replace conditional on the version read, so a page of an
 * older version never counts towards a newer one. A lost race (another chain counted meanwhile)
 * fails the message, which retries.
 */
async function countPage(
  deps: SyncDeps,
  tenantId: string,
  message: DedupeRolloutMessage,
  counts: Pick<DedupeRollout, 'resolved' | 'merged'>,
  last: boolean,
): Promise<void> {
  const current = await storedRollout(deps, tenantId, message.shardType);
  if (!current || current.version !== message.version) return;
  const rollout = withoutMetadata(current);
  const marker = {
    id: ids.dedupeRolloutMarker(message.shardType, message.version, message.page),
    tenantId,
    kind: 'marker',
    createdAt: deps.clock.now().toISOString(),
    ttl: MARKER_TTL_SECONDS,
  };
  const counted: DedupeRollout = {
    ...rollout,
    pages: rollout.pages + 1,
    resolved: rollout.resolved + counts.resolved,
    merged: rollout.merged + counts.merged,
    ...(last && !rollout.finishedAt ? { finishedAt: deps.clock.now().toISOString() } : {}),
  };
  try {
    await deps.store.batch('coordination', tenantId, [
      { op: 'create', doc: marker },
      { op: 'replace', doc: counted, ifMatch: current._etag },
    ]);
  } catch (error) {
    // Counted by an earlier delivery of this page.
    if (isConflictAt(error, 0)) return;
    throw error;
  }
}

/** The rollout of the shard type's rules, if one has started. */
export async function readDedupeRollout(deps: SyncDeps, tenantId: string, shardType: string): Promise<DedupeRollout | undefined> {
  const stored = await storedRollout(deps, tenantId, shardType);
  return stored && withoutMetadata(stored);
}

function storedRollout(deps: SyncDeps, tenantId: string, shardType: string): Promise<Stored<DedupeRollout> | undefined> {
  return deps.store.read<DedupeRollout>('coordination', tenantId, ids.dedupeRollout(shardType));
}

function withoutMetadata(stored: Stored<DedupeRollout>): DedupeRollout {
  const { _etag, _ts, ...rollout } = stored;
  return rollout;
}
