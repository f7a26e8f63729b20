import { ConflictError } from '../../ports/conflictError.js';
import { isLostRace } from '../../ports/lostRace.js';
import type { Shard, ShardLink } from '../../core/schemas/shard.js';
import type { PendingLinkCount, PendingLinks } from '../../core/schemas/coordination/pendingLinks.js';
import { completePendingLink } from '../../core/executions/shardWritePlan.js';
import { ids } from '../../core/ids.js';
import type { SyncDeps } from '../syncDeps.js';
import { updateDocument } from '../documentUpdate.js';

/**
 * Notes that `child` waits for the parents of its pending links. Called before the child's shard is
 * written (and the child looks at its parents again after), so a parent arriving in between still
 * completes the link. Idempotent: an entry already noted is left alone.
 */
export async function registerPendingLinks(
  deps: SyncDeps,
  tenantId: string,
  child: { shardId: string; connectionId: string },
  links: readonly ShardLink[],
): Promise<void> {
  const childShardId = child.shardId;
  for (const link of links) {
    const id = ids.pendingLinks(link.shardId);
    const countId = ids.pendingLinkCount(child.connectionId, link.stream!);
    for (;;) {
      const current = await deps.store.read<PendingLinks>('coordination', tenantId, id);
      if (current?.waiting.some((w) => w.shardId === childShardId && w.rel === link.rel)) break;
      const entry = { shardId: childShardId, rel: link.rel };
      const updatedAt = deps.clock.now().toISOString();
      try {
        if (current) {
          const { _etag, _ts: _ignored, ...doc } = current;
          await deps.store.replace('coordination', { ...doc, waiting: [...doc.waiting, entry], updatedAt }, { ifMatch: _etag });
        } else {
          await ensureCount(deps, tenantId, countId, child.connectionId, link.stream!);
          const doc: PendingLinks = {
            id,
            tenantId,
            kind: 'pending_links',
            parentShardId: link.shardId,
            connectionId: child.connectionId,
            stream: link.stream!,
            externalId: link.externalId!,
            waiting: [entry],
            updatedAt,
          };
          // The count moves in the same transaction as the document it counts.
          await deps.store.batch('coordination', tenantId, [{ op: 'create', doc }, { op: 'increment', id: countId, increments: { count: 1 } }]);
        }
        break;
      } catch (error) {
        if (!isLostRace(error)) throw error;
      }
    }
  }
}

/** After a batch created shards of a stream: completes the links that were waiting for any of them. */
export async function completeLinksToNewShards(deps: SyncDeps, tenantId: string, connectionId: string, stream: string, shardIds: readonly string[]): Promise<void> {
  const count = await deps.store.read<PendingLinkCount>('coordination', tenantId, ids.pendingLinkCount(connectionId, stream));
  if (!count || count.count <= 0) return;
  for (const shardId of shardIds) await completeLinksTo(deps, tenantId, shardId);
}

/**
 * The parent shard exists: completes every link waiting for it. A waiting child whose shard is not
 * written yet stays noted (it looks at its parents itself once written). Safe to repeat and to
 * run concurrently: each step is conditional on the ETag it read.
 */
export async function completeLinksTo(deps: SyncDeps, tenantId: string, parentShardId: string): Promise<void> {
  const id = ids.pendingLinks(parentShardId);
  for (;;) {
    const current = await deps.store.read<PendingLinks>('coordination', tenantId, id);
    if (!current) return;
    const remaining: PendingLinks['waiting'] = [];
    for (const entry of current.waiting) {
      if (!(await completeChildLink(deps, tenantId, entry.shardId, parentShardId))) remaining.push(entry);
    }
    try {
      if (remaining.length === 0) {
        await deps.store.batch('coordination', tenantId, [
          { op: 'delete', id, ifMatch: current._etag },
          { op: 'increment', id: ids.pendingLinkCount(current.connectionId, current.stream), increments: { count: -1 } },
        ]);
      } else if (remaining.length < current.waiting.length) {
        const { _etag, _ts: _ignored, ...doc } = current;
        await deps.store.replace('coordination', { ...doc, waiting: remaining, updatedAt: deps.clock.now().toISOString() }, { ifMatch: _etag });
      }
      return;
    } catch (error) {
      if (!isLostRace(error)) throw error;
    }
  }
}

/** False while the child's shard does not exist yet; true once its link is complete (or was). */
function completeChildLink(deps: SyncDeps, tenantId: string, childShardId: string, parentShardId: string): Promise<boolean> {
  return updateDocument<Shard, boolean>(deps, 'shards', tenantId, childShardId, (child) => {
    if (!child) return { result: false };
    const completed = completePendingLink(child, parentShardId, deps.clock.now().toISOString());
    return completed ? { result: true, next: completed } : { result: true };
  });
}

async function ensureCount(deps: SyncDeps, tenantId: string, id: string, connectionId: string, stream: string): Promise<void> {
  try {
    await deps.store.create<PendingLinkCount>('coordination', { id, tenantId, kind: 'pending_link_count', connectionId, stream, count: 0 });
  } catch (error) {
    if (!(error instanceof ConflictError)) throw error;
  }
}
