import type { Execution } from '../../core/schemas/execution.js';
import type { SyncStartMessage } from '../../core/schemas/messages.js';
import { messageIds } from '../../core/messageIds.js';
import type { SyncDeps } from '../syncDeps.js';
import { applyExecutionEvent } from './executionLifecycle.js';
import { advanceExecution } from './advanceExecution.js';
import { parkMessage } from './parkedMessages.js';
import { acquireExecutionLeases, releaseExecutionLeases } from './executionLeases.js';

/** A waiting execution looks again after 2–4 s (or at once when a running one ends). */
const WAIT_MS = 2_000;

/**
 * `sync-start` admits a queued execution: takes its concurrency leases (one run per task, a slot of the
 * tenant's limit), marks it running and starts the streams that depend on no other; without a
 * free slot it stays queued and looks again later. Idempotent: a redelivery finds it running,
 * and advanceExecution starts each stream once.
 */
export async function admitExecution(deps: SyncDeps, message: SyncStartMessage, delivery: { messageId: string }): Promise<void> {
  const { tenantId, executionId } = message;
  const execution = await deps.store.read<Execution>('executions', tenantId, executionId);
  if (!execution) {
    deps.log.warn('sync-start for an unknown execution: dropped', { tenantId, executionId });
    return;
  }
  if (execution.status === 'paused') return parkMessage(deps, tenantId, executionId, 'sync-start', delivery.messageId, message);
  if (execution.status === 'queued') {
    const leases = await acquireExecutionLeases(deps, execution);
    if (!leases) return waitForSlot(deps, message);
    const started = await applyExecutionEvent(deps, tenantId, executionId, { type: 'start' }, { slot: leases.slot });
    // Cancelled or paused meanwhile: give the leases back.
    if (!started.applied) await releaseExecutionLeases(deps, { ...execution, slot: leases.slot });
  }
  await advanceExecution(deps, tenantId, executionId);
}

/** Another execution of the task, or too many of the tenant's, are running: try again later, still queued. */
async function waitForSlot(deps: SyncDeps, message: SyncStartMessage): Promise<void> {
  const delayMs = WAIT_MS + Math.floor(deps.random() * WAIT_MS);
  deps.log.info('execution waits for a free slot', { executionId: message.executionId, retryInMs: delayMs });
  await deps.bus.publish('sync-start', [
    {
      body: message,
      messageId: messageIds.startWait(message.executionId, deps.clock.now().getTime(), Math.floor(deps.random() * 1e9)),
      scheduledEnqueueTime: new Date(deps.clock.now().getTime() + delayMs),
      applicationProperties: { tenantId: message.tenantId, executionId: message.executionId },
    },
  ]);
}
