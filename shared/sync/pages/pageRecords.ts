import type { StoredPage, SyncBatchMessage, SyncPageMessage } from '../../core/schemas/messages.js';
import { ids } from '../../core/ids.js';
import { messageIds } from '../../core/messageIds.js';
import type { SourceRecord } from '../../connectors/connector.js';
import type { SyncDeps } from '../syncDeps.js';
import { countOnce, streamIncrements } from '../executions/executionCounters.js';

/** Page payloads are kept a week: long enough to replay a dead-lettered batch. */
const PAGE_TTL_SECONDS = 7 * 24 * 3600;
/** Records up to this size ride in the batch message (Service Bus Standard allows 256 KiB in all). */
const INLINE_RECORDS_MAX_BYTES = 192 * 1024;

type PageOfExecution = Pick<SyncPageMessage, 'tenantId' | 'executionId' | 'stream' | 'page'>;

/**
 * Hands a fetched page's records on to `sync-batch`, or counts an empty page done where it was
 * fetched. Idempotent: the batch message id and the parked page's id derive from the page, and an
 * empty page's counters are guarded by the marker its batch would have written.
 */
export async function handOverPageRecords(deps: SyncDeps, at: PageOfExecution, records: SourceRecord[]): Promise<void> {
  const { tenantId, executionId, stream, page } = at;
  if (records.length === 0) {
    // Nothing to process — typically a page of unchanged records a connector filtered out itself
    // (a provider without a modified filter): the page is done here, guarded by the marker its
    // batch would have written, with no batch message and no batch entry in the activity log.
    await countOnce(deps, tenantId, executionId, ids.batchMarker(executionId, stream, page), streamIncrements(stream, {}, { pagesFetched: 1, pagesDone: 1 }));
    return;
  }
  await queueBatch(deps, at, records);
}

/** Asks `sync-batch` to process a page's records: in the message, or parked in `pages` when large. */
async function queueBatch(deps: SyncDeps, at: PageOfExecution, records: SourceRecord[]): Promise<void> {
  const { tenantId, executionId, stream, page } = at;
  const inline = Buffer.byteLength(JSON.stringify(records)) <= INLINE_RECORDS_MAX_BYTES;
  if (!inline) {
    const stored: StoredPage = { id: ids.page(executionId, stream, page), tenantId, executionId, stream, page, records, ttl: PAGE_TTL_SECONDS };
    await deps.store.upsert('pages', stored);
  }
  const batch: SyncBatchMessage = { tenantId, executionId, stream, page, ...(inline ? { records } : {}) };
  await deps.bus.publish('sync-batch', [
    { body: batch, messageId: messageIds.batch(executionId, stream, page), applicationProperties: { tenantId, executionId, stream } },
  ]);
}
