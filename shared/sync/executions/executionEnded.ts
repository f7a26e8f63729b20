import type { Execution } from '../../core/schemas/execution.js';
import type { SyncStartMessage } from '../../core/schemas/messages.js';
import { messageIds } from '../../core/messageIds.js';
import type { SyncDeps } from '../syncDeps.js';
import { releaseExecutionLeases } from './executionLeases.js';
import { queueAlert } from '../operations/alertQueue.js';
import { queueExecutionFinished } from '../operations/executionFinishedWebhook.js';

/**
 * What follows an execution reaching a terminal status: its concurrency leases are freed, a failed
 * or partial run is reported to the tenant's alert URL (and every run's end, when the tenant asked
 * for `execution.finished`), and the
 * tenant's waiting executions are asked to try again now rather than at their next scheduled
 * attempt. Idempotent: releasing twice frees nothing more, and the nudges' message ids derive
 * from the execution that ended.
 */
export async function afterExecutionEnded(deps: SyncDeps, execution: Execution): Promise<void> {
  await releaseExecutionLeases(deps, execution);
  if (execution.status === 'failed' || execution.status === 'partial') {
    await queueAlert(deps, {
      type: `execution.${execution.status}`,
      tenantId: execution.tenantId,
      occurredAt: execution.finishedAt ?? deps.clock.now().toISOString(),
      executionId: execution.id,
      taskId: execution.taskId,
      connectionId: execution.connectionId,
      counts: execution.counts,
      statusUrl: `/api/tenants/${execution.tenantId}/executions/${execution.id}`,
    });
  }
  await queueExecutionFinished(deps, execution);
  const waiting = await deps.store.query<Execution>(
    'executions',
    execution.tenantId,
    {
      filters: [
        { path: 'kind', op: '=', value: 'execution' },
        { path: 'status', op: '=', value: 'queued' },
      ],
      orderBy: { path: 'createdAt', direction: 'asc' },
    },
    { maxItems: 20 },
  );
  if (waiting.items.length === 0) return;
  await deps.bus.publish(
    'sync-start',
    waiting.items.map((queued) => {
      const body: SyncStartMessage = { tenantId: queued.tenantId, executionId: queued.id };
      return { body, messageId: messageIds.startAfter(queued.id, execution.id), applicationProperties: { tenantId: queued.tenantId, executionId: queued.id } };
    }),
  );
}
