import type { Execution } from '../../core/schemas/execution.js';
import type { SourceRecord } from '../../connectors/connector.js';
import type { SyncDeps } from '../syncDeps.js';
import { windowDeliveries } from '../triggers/webhookDeliveries.js';


/**
 * The records a webhook run's deliveries carried whole for `stream` (Execution `delivered`), the
 * last one received per id, in the order of the run's ids; undefined when the stream's records
 * are to be fetched, or when a delivery is no longer kept (a run paused past the deliveries'
 * lifetime): the run then fetches them like any other.
 */
export async function deliveredRecords(deps: SyncDeps, execution: Execution, stream: string): Promise<SourceRecord[] | undefined> {
  const wanted = execution.ids?.[stream];
  if (!execution.delivered?.streams.includes(stream) || !wanted) return undefined;
  const deliveries = await windowDeliveries(deps, execution.tenantId, execution.connectionId, execution.delivered.windowId);
  const latest = new Map<string, { receivedAt: string; record: SourceRecord }>();
  for (const { stream: of, externalId, receivedAt, record } of deliveries) {
    if (of !== stream || !record) continue;
    const kept = latest.get(externalId);
    if (!kept || kept.receivedAt <= receivedAt) latest.set(externalId, { receivedAt, record });
  }
  const records = wanted.map((id) => latest.get(id)?.record);
  return records.every((record) => record !== undefined) ? (records as SourceRecord[]) : undefined;
}
