import type { Stored } from '../../ports/store.js';
import { BatchError } from '../../ports/batchError.js';
import { PreconditionFailedError } from '../../ports/preconditionFailedError.js';
import type { BatchOperation } from '../../ports/store.js';
import { TERMINAL_STATUSES, type Execution } from '../../core/schemas/execution.js';
import { afterExecutionEnded } from './executionEnded.js';
import { recordActivity } from '../operations/activityLog.js';
import type { ActivityEntry } from '../../core/schemas/activity.js';

export type Actor = ActivityEntry['actor'];
import { transition, type ExecutionEvent } from '../../core/executions/executionStateMachine.js';
import type { SyncDeps } from '../syncDeps.js';
import { StateConflictError } from '../stateConflictError.js';
import { UnknownResourceError } from '../unknownResourceError.js';

export type LifecycleResult = { applied: true; execution: Stored<Execution> } | { applied: false; execution: Stored<Execution>; reason: string };

/**
 * Applies a lifecycle event to a stored execution: the state machine decides, an ETag-conditional
 * replace records it (re-read and re-decided on a concurrent change), so two callers can never
 * both move the same execution. Refusals are returned, not thrown: callers decide whether a
 * refusal is a 409 (an operator's request) or nothing to do (a redelivered message).
 */
export async function applyExecutionEvent(
  deps: SyncDeps,
  tenantId: string,
  executionId: string,
  event: ExecutionEvent,
  /** Fields written together with the transition (e.g. the concurrency slot taken at start). */
  alongside: Partial<Execution> = {},
  actor: Actor = { type: 'system' },
  /**
   * Writes in the `executions` container that must happen in the same transaction (e.g. cursors),
   * decided again on every attempt: a lost race may have been lost to one of them.
   */
  together: () => Promise<BatchOperation[]> = async () => [],
): Promise<LifecycleResult> {
  for (;;) {
    const execution = await deps.store.read<Execution>('executions', tenantId, executionId);
    if (!execution || execution.kind !== 'execution') throw new UnknownResourceError('execution', executionId);
    const next = transition(
      { status: execution.status, started: execution.startedAt !== undefined, ...(execution.pauseReason ? { pauseReason: execution.pauseReason } : {}) },
      event,
    );
    if (!next.ok) return { applied: false, execution, reason: next.reason };
    const now = deps.clock.now().toISOString();
    const { pauseReason: _previousReason, pausedAt: _previousPause, ...rest } = execution;
    const updated: Execution = {
      ...rest,
      ...alongside,
      status: next.state.status,
      ...(next.state.pauseReason ? { pauseReason: next.state.pauseReason, pausedAt: now } : {}),
      ...(event.type === 'start' ? { startedAt: now } : {}),
      ...(['finish', 'cancel', 'fail'].includes(event.type) ? { finishedAt: now, startedAt: execution.startedAt ?? now } : {}),
    };
    let stored: Stored<Execution>;
    try {
      const alsoWritten = await together();
      if (alsoWritten.length === 0) {
        stored = await deps.store.replace('executions', updated, { ifMatch: execution._etag });
      } else {
        await deps.store.batch('executions', tenantId, [{ op: 'replace', doc: updated, ifMatch: execution._etag }, ...alsoWritten]);
        stored = (await deps.store.read<Execution>('executions', tenantId, executionId))!;
      }
    } catch (error) {
      // Someone changed the execution (or a cursor) meanwhile: decide again on what is stored now.
      if (error instanceof PreconditionFailedError || (error instanceof BatchError && error.cause instanceof PreconditionFailedError)) continue;
      throw error;
    }
    await recordActivity(deps, {
      tenantId,
      actor,
      action: `execution.${stored.status === 'running' && event.type === 'resume' ? 'resumed' : stored.status}`,
      subject: { kind: 'execution', id: executionId },
      executionId,
      taskId: stored.taskId,
      details: { from: execution.status, event: event.type, ...(stored.pauseReason ? { pauseReason: stored.pauseReason } : {}) },
    });
    if (TERMINAL_STATUSES.has(stored.status)) await afterExecutionEnded(deps, stored);
    return { applied: true, execution: stored };
  }
}

/** Like applyExecutionEvent, for an operator's request: a refusal is a 409 carrying the current state. */
export async function requireExecutionEvent(
  deps: SyncDeps,
  tenantId: string,
  executionId: string,
  event: ExecutionEvent,
  actor: Actor,
  alongside: Partial<Execution> = {},
): Promise<Stored<Execution>> {
  const result = await applyExecutionEvent(deps, tenantId, executionId, event, alongside, actor);
  if (!result.applied) {
    throw new StateConflictError(result.reason, {
      status: result.execution.status,
      ...(result.execution.pauseReason ? { pauseReason: result.execution.pauseReason } : {}),
    });
  }
  return result.execution;
}
