import type { Failure } from '../../core/schemas/failure.js';
import { ids } from '../../core/ids.js';
import type { SyncDeps } from '../syncDeps.js';
import { storeFailure } from './storeFailure.js';
import { advanceExecution } from '../executions/advanceExecution.js';
import { countOnce, streamIncrements } from '../executions/executionCounters.js';

/**
 * A page that will never be fetched (retries exhausted, a permanent error, or its message
 * dead-lettered) becomes a failure, and the execution accounts for it as done-with-failure so the
 * run still ends. Page 1 also settles the stream's unknown totals, and so does any page of a
 * `chained` stream: no page can follow one that was not fetched. Idempotent: the caller's
 * failure id is deterministic and the counters are guarded by a per-page marker.
 */
export async function recordPageFailure(deps: SyncDeps, failure: Failure & { stream: string }, page: number, chained = false): Promise<void> {
  const { tenantId, executionId, stream } = failure;
  await storeFailure(deps, failure);
  // A page whose fetch was already recorded has its batch on the way, and an empty page counted
  // itself done when it was fetched: nothing more is lost.
  const counted = await deps.store.readMany('executions', tenantId, [ids.fetchMarker(executionId, stream, page), ids.batchMarker(executionId, stream, page)]);
  if (counted.size > 0) return;
  const progress = page === 1 || chained ? { totalsKnown: 1, pagesTotal: page, pagesDone: 1, failedPages: 1 } : { pagesDone: 1, failedPages: 1 };
  await countOnce(deps, tenantId, executionId, ids.pageFailureMarker(executionId, stream, page), streamIncrements(stream, {}, progress));
  await advanceExecution(deps, tenantId, executionId);
}
