import type { Increments, Stored } from '../ports/store.js';
import { BatchError, ConflictError, PreconditionFailedError } from '../ports/storeErrors.js';
import type { Counts, Execution, Marker, StreamProgress } from '../core/schemas/execution.js';

type ProgressField = Exclude<keyof StreamProgress, 'stream' | 'schemaId' | 'counts'>;
import { allStreamsDone, finalStatus } from '../core/executionProgress.js';
import type { SyncDeps } from './syncDeps.js';

/**
 * Applies `increments` to an execution exactly once per `markerId`: the marker is created in the
 * same transactional batch, so a redelivered message finds it and counts nothing twice.
 * Returns false when the marker already existed.
 */
export async function countOnce(
  deps: SyncDeps,
  tenantId: string,
  executionId: string,
  markerId: string,
  increments: Increments,
): Promise<boolean> {
  const marker: Marker = { id: markerId, tenantId, kind: 'marker', executionId, createdAt: deps.clock.now().toISOString() };
  try {
    await deps.store.batch('executions', tenantId, [
      { op: 'create', doc: marker },
      { op: 'increment', id: executionId, increments },
    ]);
    return true;
  } catch (error) {
    if (error instanceof BatchError && error.operationIndex === 0 && error.cause instanceof ConflictError) return false;
    throw error;
  }
}

/**
 * Increments for one stream: `counts` move both the stream's and the execution's counters,
 * `progress` (pagesDone, pagesFetched…) only the stream's.
 */
export function streamIncrements(stream: string, counts: Partial<Counts>, progress: Partial<Record<ProgressField, number>> = {}): Increments {
  const result: Increments = {};
  for (const [name, value] of Object.entries(counts)) {
    if (!value) continue;
    result[`streams.${stream}.counts.${name}`] = value;
    result[`counts.${name}`] = value;
  }
  for (const [name, value] of Object.entries(progress)) {
    if (value) result[`streams.${stream}.${name}`] = value;
  }
  return result;
}

/**
 * Moves an execution whose streams are all done to its terminal status. Safe to call from every
 * batch and on every redelivery: it changes nothing unless the execution is running and done,
 * and the ETag makes concurrent callers agree on one final write.
 */
export async function finishIfDone(deps: SyncDeps, tenantId: string, executionId: string): Promise<Stored<Execution> | undefined> {
  for (;;) {
    const execution = await deps.store.read<Execution>('executions', tenantId, executionId);
    if (!execution || execution.status !== 'running' || !allStreamsDone(execution)) return execution;
    const finished: Execution = {
      ...execution,
      status: finalStatus(execution),
      finishedAt: deps.clock.now().toISOString(),
    };
    try {
      return await deps.store.replace('executions', finished, { ifMatch: execution._etag });
    } catch (error) {
      if (!(error instanceof PreconditionFailedError)) throw error;
    }
  }
}
