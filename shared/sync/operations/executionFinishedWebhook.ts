import type { Execution } from '../../core/schemas/execution.js';
import type { Tenant } from '../../core/schemas/tenant.js';
import type { SyncDeps } from '../syncDeps.js';
import { queueAlert } from './alertQueue.js';

/**
 * `execution.finished`, for tenants that asked for it (`settings.alerts.executionFinished`): the
 * same destination, signing, outbound guard and retries as the failure alerts, since it goes
 * through the same `alerts` queue and sender.
 *
 * Once per execution: called when the execution reaches its terminal status (only the write that
 * made the transition calls it), and its message id — the alert id, from type + execution id +
 * `finishedAt`, all fixed once the execution ended — makes the bus drop a redelivered repeat, and
 * lets receivers de-duplicate on `X-Shardsync-Delivery` should one get past the bus's window.
 */
export async function queueExecutionFinished(deps: SyncDeps, execution: Execution): Promise<void> {
  const tenant = await deps.store.read<Tenant>('tenants', execution.tenantId, execution.tenantId);
  if (tenant?.settings.alerts?.executionFinished !== true) return;
  const finishedAt = execution.finishedAt ?? deps.clock.now().toISOString();
  await queueAlert(deps, {
    type: 'execution.finished',
    tenantId: execution.tenantId,
    occurredAt: finishedAt,
    executionId: execution.id,
    taskId: execution.taskId,
    status: execution.status,
    counts: execution.counts,
    ...(execution.startedAt !== undefined ? { startedAt: execution.startedAt } : {}),
    finishedAt,
    statusUrl: `/api/tenants/${execution.tenantId}/executions/${execution.id}`,
  });
}
