import type { SyncDeps } from '../syncDeps.js';
import { requireTenant } from '../tenants/tenants.js';
import { requireExecutionEvent, type Actor } from './executionLifecycle.js';
import { requireDocument } from '../resources/resourceIdentity.js';
import { StateConflictError } from '../stateConflictError.js';
import type { Execution } from '../../core/schemas/execution.js';
import { releaseParkedMessages } from './parkedMessages.js';
import { advanceExecution } from './advanceExecution.js';
import { getExecution } from './executionQueries.js';
import type { ExecutionView } from '../../core/schemas/answers/executionView.js';

export type ControlAction = 'pause' | 'resume' | 'cancel' | 'confirm';

/**
 * An operator's pause, resume, cancel, or confirmation of a bulk change. Each takes effect within one batch: handlers read the
 * status before every page and batch, park messages of a paused execution and drop those of a
 * cancelled one. Resume re-sends what was parked; cancel drops it. An action the current state
 * does not allow is a 409 with that state.
 */
export async function controlExecution(
  deps: SyncDeps,
  tenantId: string,
  executionId: string,
  action: ControlAction,
  actor: Actor = { type: 'operator' },
): Promise<ExecutionView> {
  await requireTenant(deps, tenantId);
  if (action === 'pause') {
    await requireExecutionEvent(deps, tenantId, executionId, { type: 'pause', reason: 'operator' }, actor);
  } else if (action === 'resume') {
    await resumeExecution(deps, tenantId, executionId, actor);
  } else if (action === 'confirm') {
    await confirmBulkChange(deps, tenantId, executionId, actor);
  } else {
    await requireExecutionEvent(deps, tenantId, executionId, { type: 'cancel' }, actor);
    await releaseParkedMessages(deps, tenantId, executionId, { drop: true });
  }
  return getExecution(deps, tenantId, executionId);
}

/**
 * An operator confirms the bulk change a run paused for: it resumes and is not asked again.
 * Only a run paused for confirmation can be confirmed.
 */
async function confirmBulkChange(deps: SyncDeps, tenantId: string, executionId: string, actor: Actor): Promise<void> {
  const execution = await requireDocument<Execution>(deps, 'executions', 'execution', tenantId, executionId);
  if (execution.status !== 'paused' || execution.pauseReason !== 'confirmation') {
    throw new StateConflictError(`only an execution paused for confirmation can be confirmed; this one is ${execution.status}`, {
      status: execution.status,
      ...(execution.pauseReason ? { pauseReason: execution.pauseReason } : {}),
    });
  }
  await requireExecutionEvent(deps, tenantId, executionId, { type: 'resume' }, actor, { bulkConfirmed: true });
  await releaseParkedMessages(deps, tenantId, executionId);
  await advanceExecution(deps, tenantId, executionId);
}

/** Resume (from any pause reason): back to running or queued, then re-send what was parked. */
export async function resumeExecution(deps: SyncDeps, tenantId: string, executionId: string, actor: Actor): Promise<void> {
  await requireExecutionEvent(deps, tenantId, executionId, { type: 'resume' }, actor);
  await releaseParkedMessages(deps, tenantId, executionId);
  // Every page may have finished before the pause: nothing parked would move it on.
  await advanceExecution(deps, tenantId, executionId);
}
