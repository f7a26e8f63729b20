import type { Execution } from '../core/schemas/execution.js';
import type { SyncStartMessage } from '../core/schemas/messages.js';
import type { SyncDeps } from './syncDeps.js';
import { applyExecutionEvent } from './executionLifecycle.js';
import { advanceExecution } from './executionCounters.js';
import { parkMessage } from './parkedMessages.js';

/**
 * `sync-start`: marks the execution running and starts the streams that depend on no other.
 * Idempotent: a redelivery finds it running, and advanceExecution starts each stream once.
 */
export async function startSync(deps: SyncDeps, message: SyncStartMessage, delivery: { messageId: string }): Promise<void> {
  const { tenantId, executionId } = message;
  const execution = await deps.store.read<Execution>('executions', tenantId, executionId);
  if (!execution) {
    deps.log.warn('sync-start for an unknown execution: dropped', { tenantId, executionId });
    return;
  }
  if (execution.status === 'paused') return parkMessage(deps, tenantId, executionId, 'sync-start', delivery.messageId, message);
  if (execution.status === 'queued') await applyExecutionEvent(deps, tenantId, executionId, { type: 'start' });
  await advanceExecution(deps, tenantId, executionId);
}
