import type { Shard } from '../../core/schemas/shard.js';
import type { SyncTask } from '../../core/schemas/syncTask.js';
import type { SyncWriteBackMessage } from '../../core/schemas/messages.js';
import { snapshotOf } from '../../core/conflicts/snapshot.js';
import { messageIds } from '../../core/messageIds.js';
import type { SyncDeps } from '../syncDeps.js';

/**
 * Publishes the write-back of one of a shard's records; the id names the data written, so a repeat
 * is dropped.
 */
export async function queueWriteBack(deps: SyncDeps, message: SyncWriteBackMessage, dataHash: string, delayMs = 0): Promise<void> {
  await deps.bus.publish('sync-writeback', [
    {
      body: message,
      messageId: messageIds.writeBack(message.tenantId, message.shardId, message.connectionId, dataHash, message.attempt ?? 0),
      applicationProperties: { tenantId: message.tenantId, shardId: message.shardId },
      ...(delayMs > 0 ? { scheduledEnqueueTime: new Date(deps.clock.now().getTime() + delayMs) } : {}),
    },
  ]);
}

/** Queues the write-back of every record of the shard that a bidirectional task syncs. */
export async function queueWriteBacksOf(deps: SyncDeps, shard: Shard): Promise<number> {
  let queued = 0;
  for (const relationship of shard.externalRelationships) {
    const tasks = await deps.store.query<SyncTask>('tasks', shard.tenantId, {
      filters: [{ path: 'connectionId', op: '=', value: relationship.connectionId }],
    }, { maxItems: 100 });
    const task = tasks.items.find((t) => t.direction !== 'inbound' && t.streams.some((s) => s.stream === relationship.stream));
    if (!task) continue;
    const { connectionId, stream, externalId } = relationship;
    await queueWriteBack(deps, { tenantId: shard.tenantId, taskId: task.id, shardId: shard.id, connectionId, stream, externalId }, snapshotOf(shard.data).hash);
    queued += 1;
  }
  return queued;
}
