import type { OutgoingMessage } from '../ports/bus.js';
import { TERMINAL_STATUSES, type Execution } from '../core/schemas/execution.js';
import type { SyncBatchMessage, SyncPageMessage } from '../core/schemas/messages.js';
import { ids } from '../core/ids.js';
import type { SyncDeps } from './syncDeps.js';
import { requireConnection } from './connections.js';
import { connectorFor } from './connectorAccess.js';
import { countOnce, advanceExecution, streamIncrements } from './executionCounters.js';
import type { StoredPage } from './storedPage.js';
import { parkMessage } from './parkedMessages.js';

/** Page payloads are kept a week: long enough to replay a dead-lettered batch. */
const PAGE_TTL_SECONDS = 7 * 24 * 3600;
const PUBLISH_CHUNK = 500;
/** Records up to this size ride in the batch message (Service Bus Standard allows 256 KiB in all). */
const INLINE_RECORDS_MAX_BYTES = 192 * 1024;

/**
 * `sync-page`: fetches one page from the provider, asks `sync-batch` to process its records
 * (in the message, or parked in the `pages` container when large), and (on page 1) fans out
 * requests for the other pages. Idempotent: the page document is upserted, message ids are
 * deterministic, and the fetched counters move once thanks to the fetch marker.
 */
export async function fetchPage(deps: SyncDeps, message: SyncPageMessage, delivery: { messageId: string }): Promise<void> {
  const { tenantId, executionId, stream, page } = message;
  const execution = await deps.store.read<Execution>('executions', tenantId, executionId);
  // Cancelled or finished: the page is dropped, so cancel stops new pages at once.
  if (!execution || TERMINAL_STATUSES.has(execution.status) || !execution.streams[stream]) return;
  if (execution.status === 'paused') return parkMessage(deps, tenantId, executionId, 'sync-page', delivery.messageId, message);

  const connection = await requireConnection(deps, tenantId, execution.connectionId);
  const connector = await connectorFor(deps, connection);
  const result = await connector.listPage({ stream, page, perPage: execution.batchSize });

  const inline = Buffer.byteLength(JSON.stringify(result.records)) <= INLINE_RECORDS_MAX_BYTES;
  if (!inline) {
    const stored: StoredPage = {
      id: ids.page(executionId, stream, page),
      tenantId,
      executionId,
      stream,
      page,
      records: result.records,
      ttl: PAGE_TTL_SECONDS,
    };
    await deps.store.upsert('pages', stored);
  }

  const pagesTotal = Math.max(1, result.totalPages);
  if (page === 1 && pagesTotal > 1) {
    const requests: OutgoingMessage[] = [];
    for (let next = 2; next <= pagesTotal; next++) {
      const body: SyncPageMessage = { tenantId, executionId, stream, page: next };
      requests.push({ body, messageId: `${executionId}:${stream}:p${next}`, applicationProperties: { tenantId, executionId, stream } });
    }
    for (let i = 0; i < requests.length; i += PUBLISH_CHUNK) {
      await deps.bus.publish('sync-page', requests.slice(i, i + PUBLISH_CHUNK));
    }
  }
  const batch: SyncBatchMessage = { tenantId, executionId, stream, page, ...(inline ? { records: result.records } : {}) };
  await deps.bus.publish('sync-batch', [
    { body: batch, messageId: `${executionId}:${stream}:b${page}`, applicationProperties: { tenantId, executionId, stream } },
  ]);

  await countOnce(
    deps,
    tenantId,
    executionId,
    ids.fetchMarker(executionId, stream, page),
    streamIncrements(
      stream,
      { fetched: result.records.length },
      page === 1
        ? { pagesFetched: 1, totalsKnown: 1, pagesTotal, recordsTotal: result.totalRecords }
        : { pagesFetched: 1 },
    ),
  );
  await advanceExecution(deps, tenantId, executionId);
}
