import type { Increments } from '../../ports/store.js';
import { isConflictAt } from '../../ports/lostRace.js';
import type { Counts, Marker, StreamProgress } from '../../core/schemas/execution.js';
import type { SyncDeps } from '../syncDeps.js';

type ProgressField = Exclude<keyof StreamProgress, 'stream' | 'schemaId' | 'counts'>;

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
  markerFields: Pick<Marker, 'stream' | 'maxModified' | 'seenIds' | 'connectorState'> = {},
): Promise<boolean> {
  const marker: Marker = { id: markerId, tenantId, kind: 'marker', executionId, createdAt: deps.clock.now().toISOString(), ...markerFields };
  try {
    await deps.store.batch('executions', tenantId, [
      { op: 'create', doc: marker },
      { op: 'increment', id: executionId, increments },
    ]);
    return true;
  } catch (error) {
    if (isConflictAt(error, 0)) return false;
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
