import { coalescedRuns } from '../../core/triggers/webhookCoalescing.js';
import type { SyncTask } from '../../core/schemas/syncTask.js';
import type { SyncDeps } from '../syncDeps.js';
import { startExecution } from '../executions/startExecution.js';
import { windowDeliveries, type WebhookFlushMessage } from './webhookDeliveries.js';
import { closeWindow } from './webhookWindows.js';

/**
 * `webhooks`: a closed coalescing window becomes one incremental execution per task of the
 * connection that syncs one of the changed streams, covering every changed id.
 *
 * Idempotent: the window is closed first (later deliveries go to a new window), and each
 * execution's idempotencyKey derives from the window, so a redelivered flush finds the same
 * executions (startExecution: create → 409 → read) and starts nothing twice.
 */
export async function flushWebhookWindow(deps: SyncDeps, message: WebhookFlushMessage): Promise<void> {
  const { tenantId, connectionId, windowId } = message;
  await closeWindow(deps, tenantId, connectionId, windowId);
  const deliveries = await windowDeliveries(deps, tenantId, connectionId, windowId);
  if (deliveries.length === 0) return;
  const tasks = await connectionTasks(deps, tenantId, connectionId);
  for (const task of tasks) {
    const runs = coalescedRuns(
      deliveries.map((delivery) => ({ ...delivery, carriesRecord: delivery.record !== undefined })),
      task.streams.map((entry) => entry.stream),
    );
    for (const [index, run] of runs.entries()) {
      const { execution, created } = await startExecution(
        deps,
        tenantId,
        task.id,
        { mode: 'incremental', streams: run.streams, ids: run.ids, ...(run.deletedIds ? { deletedIds: run.deletedIds } : {}), idempotencyKey: `webhook:${windowId}${index === 0 ? '' : `:${index}`}` },
        { actor: { type: 'webhook', id: connectionId }, ...(run.delivered ? { delivered: { windowId, streams: run.delivered } } : {}) },
      );
      if (created) {
        deps.log.info('webhook deliveries started an execution', { tenantId, taskId: task.id, executionId: execution.id, windowId, deliveries: deliveries.length });
      }
    }
  }
}

/** The tasks that sync from this connection, inbound or both ways (tasks are few per tenant: one page). */
async function connectionTasks(deps: SyncDeps, tenantId: string, connectionId: string): Promise<SyncTask[]> {
  const page = await deps.store.query<SyncTask>(
    'tasks',
    tenantId,
    { filters: [{ path: 'connectionId', op: '=', value: connectionId }] },
    { maxItems: 1000 },
  );
  return page.items.filter((task) => task.direction !== 'outbound');
}
