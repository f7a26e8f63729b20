import type { Stored } from '../../ports/store.js';
import { isLostRace } from '../../ports/lostRace.js';
import type { Failure } from '../../core/schemas/failure.js';
import type { RecordFailures } from '../../core/schemas/coordination/recordFailures.js';
import { resolvedBySync } from '../../core/executions/failureResolution.js';
import { retentionTtlSeconds } from '../../core/operations/retentionPlan.js';
import { ids } from '../../core/ids.js';
import type { SyncDeps } from '../syncDeps.js';
import { updateDocument } from '../documentUpdate.js';
import { getTenant } from '../tenants/tenants.js';

export interface RecordFailureRef {
  connectionId: string;
  stream: string;
  externalId: string;
  failureId: string;
}

/**
 * Notes the failures of records in their records' index documents. Idempotent: a failure noted
 * already is left alone, so a redelivered batch notes nothing twice.
 */
export async function indexRecordFailures(deps: SyncDeps, tenantId: string, refs: readonly RecordFailureRef[]): Promise<void> {
  if (refs.length === 0) return;
  const ttl = retentionTtlSeconds((await getTenant(deps, tenantId)).settings.retention, 'failures');
  for (const { connectionId, stream, externalId, failureId } of refs) {
    const id = ids.recordFailures(connectionId, stream, externalId);
    await updateDocument<RecordFailures, void>(deps, 'coordination', tenantId, id, (current) => {
      if (current?.failureIds.includes(failureId)) return { result: undefined };
      const updatedAt = deps.clock.now().toISOString();
      const failureIds = [...(current?.failureIds ?? []), failureId];
      return { result: undefined, next: { id, tenantId, kind: 'record_failures', connectionId, stream, externalId, failureIds, updatedAt, ttl } };
    });
  }
}

/**
 * A run synced these records of a connection's stream: their open failures become `resolved`,
 * naming the run. One multi-read per batch finds the few records that had failures; only those
 * cost more. Idempotent: a failure closed already is left alone (resolvedBySync), and an index
 * document is removed only as it was read (ETag), so a failure noted meanwhile stays listed.
 */
export async function closeRecordFailures(
  deps: SyncDeps,
  tenantId: string,
  synced: { connectionId: string; stream: string; externalIds: readonly string[] },
  executionId: string,
): Promise<void> {
  const { connectionId, stream, externalIds } = synced;
  if (externalIds.length === 0) return;
  const found = await deps.store.readMany<RecordFailures>('coordination', tenantId, externalIds.map((externalId) => ids.recordFailures(connectionId, stream, externalId)));
  for (const index of found.values()) await closeListed(deps, tenantId, index, executionId);
}

async function closeListed(deps: SyncDeps, tenantId: string, index: Stored<RecordFailures>, executionId: string): Promise<void> {
  const closed = new Set<string>();
  for (const failureId of index.failureIds) {
    await updateDocument<Failure, void>(deps, 'failures', tenantId, failureId, (failure) => {
      const resolved = failure && resolvedBySync(failure, executionId, deps.clock.now().toISOString());
      return resolved ? { result: undefined, next: resolved } : { result: undefined };
    });
    closed.add(failureId);
  }
  let current: Stored<RecordFailures> | undefined = index;
  while (current) {
    const remaining = current.failureIds.filter((failureId) => !closed.has(failureId));
    try {
      if (remaining.length === 0) await deps.store.delete('coordination', tenantId, current.id, { ifMatch: current._etag });
      else await deps.store.replace('coordination', { ...current, failureIds: remaining }, { ifMatch: current._etag });
      return;
    } catch (error) {
      if (!isLostRace(error)) throw error;
      current = await deps.store.read<RecordFailures>('coordination', tenantId, index.id);
    }
  }
}
