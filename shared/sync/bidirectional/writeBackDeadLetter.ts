import { syncWriteBackMessage } from '../../core/schemas/messages.js';
import type { Shard } from '../../core/schemas/shard.js';
import type { SyncDeps } from '../syncDeps.js';
import { recordDeadLetter, type DeadLetteredMessage } from '../failures/recordDeadLetter.js';
import { openConflict } from './openConflict.js';

/**
 * A write-back the bus gave up on: recorded like every dead letter, and a RetryExhausted conflict,
 * so a person decides whether to write again. Idempotent as openConflict is (one conflict per
 * subject and shard).
 */
export async function recordWriteBackDeadLetter(deps: SyncDeps, message: DeadLetteredMessage): Promise<void> {
  await recordDeadLetter(deps, message);
  const body = syncWriteBackMessage.safeParse(message.body);
  if (!body.success) return;
  const shard = await deps.store.read<Shard>('shards', body.data.tenantId, body.data.shardId);
  if (!shard) return;
  await openConflict(deps, {
    tenantId: body.data.tenantId,
    shardId: body.data.shardId,
    shardType: shard.shardType,
    connectionId: body.data.connectionId,
    stream: body.data.stream,
    externalId: body.data.externalId ?? '(not created)',
    taskId: body.data.taskId,
    type: 'RetryExhausted',
    subject: 'RetryExhausted',
    message: `the write-back was dead-lettered after ${message.deliveryCount} deliveries${message.description ? `: ${message.description}` : ''}`,
  });
}
