import type { Execution } from '../../core/schemas/execution.js';
import { quotaResumeAtMs } from '../../core/operations/quotaResume.js';
import type { SyncDeps } from '../syncDeps.js';
import { registeredTenantIds } from '../tenants/registeredTenants.js';
import { StateConflictError } from '../stateConflictError.js';
import { resumeExecution } from './controlExecution.js';

export interface QuotaResumeSummary {
  /** Runs resumed because their provider's quota came back. */
  resumed: number;
  /** Runs still waiting for it. */
  waiting: number;
}

/**
 * Every minute: runs paused for `quota` resume once the provider's quota is back (quotaResumeAtMs),
 * as an operator's resume would. Safe to overlap or repeat: a run another instance (or an operator)
 * resumed first is no longer paused, and resuming is refused without effect (StateConflictError).
 */
export async function resumeAfterQuota(deps: SyncDeps): Promise<QuotaResumeSummary> {
  const nowMs = deps.clock.now().getTime();
  const summary: QuotaResumeSummary = { resumed: 0, waiting: 0 };
  for await (const tenantId of registeredTenantIds(deps)) {
    let continuationToken: string | undefined;
    do {
      const page = await deps.store.query<Execution>(
        'executions',
        tenantId,
        {
          filters: [
            { path: 'kind', op: '=', value: 'execution' },
            { path: 'status', op: '=', value: 'paused' },
            { path: 'pauseReason', op: '=', value: 'quota' },
          ],
        },
        { maxItems: 100, ...(continuationToken ? { continuationToken } : {}) },
      );
      for (const execution of page.items) {
        const pausedAtMs = Date.parse(execution.pausedAt ?? execution.startedAt ?? execution.createdAt);
        if (quotaResumeAtMs(execution.quotaExhaustion, pausedAtMs) > nowMs) {
          summary.waiting += 1;
          continue;
        }
        try {
          await resumeExecution(deps, tenantId, execution.id, { type: 'system' });
          summary.resumed += 1;
        } catch (error) {
          if (!(error instanceof StateConflictError)) throw error;
        }
      }
      continuationToken = page.continuationToken;
    } while (continuationToken);
  }
  return summary;
}
