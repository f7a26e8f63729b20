import type { Shard } from '../../core/schemas/shard.js';
import type { SyncTask, TaskStream } from '../../core/schemas/syncTask.js';
import { compileCondition, type Condition } from '../../core/conversion/condition.js';
import type { ConversionSchema } from '../../core/schemas/conversionSchema.js';
import type { OutboundPushResult } from '../../core/schemas/answers/outboundPushResult.js';
import { snapshotOf } from '../../core/conflicts/snapshot.js';
import type { SyncDeps } from '../syncDeps.js';
import { requireSyncTask } from '../resources/syncTasks.js';
import { requireTenant } from '../tenants/tenants.js';
import { StateConflictError } from '../stateConflictError.js';
import { queueWriteBack } from './writeBackQueue.js';

interface OutboundTarget {
  task: SyncTask;
  stream: string;
  shardType: string;
  /** The stream's `when`: which shards of its type it writes. */
  writes: Condition;
}

/** The outbound tasks of a tenant with the shard type each of their streams writes. */
async function outboundTargets(deps: SyncDeps, tenantId: string): Promise<OutboundTarget[]> {
  const tasks = await deps.store.query<SyncTask>('tasks', tenantId, { filters: [{ path: 'direction', op: '=', value: 'outbound' }] }, { maxItems: 100 });
  const targets: OutboundTarget[] = [];
  for (const task of tasks.items) {
    for (const entry of task.streams) {
      const schema = await deps.store.read<ConversionSchema>('schemas', tenantId, entry.schemaId);
      if (schema) targets.push({ task, stream: entry.stream, shardType: schema.shardType, writes: streamWrites(entry) });
    }
  }
  return targets;
}

const everyShard: Condition = () => true;
const streamWrites = (entry: TaskStream): Condition => (entry.when === undefined ? everyShard : compileCondition(entry.when));

/** Queues the write-back of one shard to an outbound task's connection: an update where it has a record there, else a create. */
async function queueOutboundWriteBack(deps: SyncDeps, shard: Shard, task: SyncTask, stream: string): Promise<'create' | 'update'> {
  const existing = shard.externalRelationships.find((r) => r.connectionId === task.connectionId && r.stream === stream);
  const message = { tenantId: shard.tenantId, taskId: task.id, shardId: shard.id, connectionId: task.connectionId, stream, ...(existing ? { externalId: existing.externalId } : {}) };
  await queueWriteBack(deps, message, snapshotOf(shard.data).hash);
  return existing ? 'update' : 'create';
}

/** After a batch wrote shards: each outbound task whose shard type they are gets their write-backs queued. */
export async function queueOutboundWriteBacks(deps: SyncDeps, tenantId: string, shards: readonly Shard[]): Promise<void> {
  if (shards.length === 0) return;
  const targets = await outboundTargets(deps, tenantId);
  for (const shard of shards) {
    for (const target of targets) {
      const fromElsewhere = !shard.externalRelationships.every((r) => r.connectionId === target.task.connectionId);
      if (target.shardType === shard.shardType && fromElsewhere && target.writes(shard.data)) {
        await queueOutboundWriteBack(deps, shard, target.task, target.stream);
      }
    }
  }
}

/**
 * `POST …/tasks/{id}/push`: every shard of an outbound task's shard types is written back to its
 * connection — created there, or updated where it has a record there already. Returns what was queued.
 */
export async function pushTask(deps: SyncDeps, tenantId: string, taskId: string): Promise<OutboundPushResult> {
  await requireTenant(deps, tenantId);
  const task = await requireSyncTask(deps, tenantId, taskId);
  if (task.direction !== 'outbound') throw new StateConflictError(`task ${taskId} is not outbound`, { direction: task.direction });
  const queued: OutboundPushResult = { creates: 0, updates: 0 };
  for (const entry of task.streams) {
    const { stream } = entry;
    const schema = await deps.store.read<ConversionSchema>('schemas', tenantId, entry.schemaId);
    if (!schema) continue;
    const writes = streamWrites(entry);
    let continuationToken: string | undefined;
    do {
      const page = await deps.store.query<Shard>('shards', tenantId, { filters: [{ path: 'shardType', op: '=', value: schema.shardType }] }, {
        maxItems: 500,
        ...(continuationToken ? { continuationToken } : {}),
      });
      for (const shard of page.items.filter((candidate) => writes(candidate.data))) {
        if ((await queueOutboundWriteBack(deps, shard, task, stream)) === 'create') queued.creates += 1;
        else queued.updates += 1;
      }
      continuationToken = page.continuationToken;
    } while (continuationToken);
  }
  return queued;
}
