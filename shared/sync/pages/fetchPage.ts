import { TERMINAL_STATUSES, type Execution } from '../../core/schemas/execution.js';
import type { StoredPage, SyncBatchMessage, SyncPageMessage } from '../../core/schemas/messages.js';
import type { Failure } from '../../core/schemas/failure.js';
import { decideRetry, defaultPageRetryPolicy } from '../../core/retry/retryDecision.js';
import { ids } from '../../core/ids.js';
import { messageIds } from '../../core/messageIds.js';
import type { SourcePage, SourceRecord } from '../../connectors/connector.js';
import type { SyncDeps } from '../syncDeps.js';
import { requireConnection } from '../resources/connections.js';
import { keepableRecord } from '../../core/conversion/depthLimit.js';
import { connectorFor } from '../connectorAccess.js';
import { advanceExecution } from '../executions/advanceExecution.js';
import { countOnce, streamIncrements } from '../executions/executionCounters.js';
import { applyExecutionEvent } from '../executions/executionLifecycle.js';
import { classifyProviderError } from '../failures/errorClassification.js';
import { guardProviderCall, type ProviderGuardOptions } from '../operations/providerGuard.js';
import { ProviderCallDeferredError } from '../operations/providerCallDeferredError.js';
import type { Connection } from '../../core/schemas/connection.js';
import { recordPageFailure } from '../failures/pageFailure.js';
import { parkMessage } from '../executions/parkedMessages.js';
import { requestPageAgain, requestPages } from '../executions/pageRequests.js';
import { queueAlert } from '../operations/alertQueue.js';
import { runPageSize } from '../executions/runPageSize.js';
import { authRefusalOf } from '../failures/authRefusal.js';

/** Page payloads are kept a week: long enough to replay a dead-lettered batch. */
const PAGE_TTL_SECONDS = 7 * 24 * 3600;
/** Records up to this size ride in the batch message (Service Bus Standard allows 256 KiB in all). */
const INLINE_RECORDS_MAX_BYTES = 192 * 1024;
/** Spreads pages the guard turned away, so they do not all come back at the same instant. */
const DEFERRAL_JITTER_MS = 1_000;

/**
 * `sync-page`: fetches one page from the provider through the connection's shared rate limit and
 * circuit breaker, asks `sync-batch` to process its records (in the message, or parked in the
 * `pages` container when large), and (on page 1) requests the other pages, paced by
 * interBatchDelayMs. A failing fetch is retried by scheduling this message later (never by
 * sleeping), pauses the execution when the credentials are refused, or becomes a page failure.
 * Idempotent: message ids are deterministic, the page document is upserted, and page 1's totals
 * move once thanks to the fetch marker.
 */
export async function fetchPage(deps: SyncDeps, message: SyncPageMessage, delivery: { messageId: string }): Promise<void> {
  const { tenantId, executionId, stream, page } = message;
  const execution = await deps.store.read<Execution>('executions', tenantId, executionId);
  // Cancelled or finished: the page is dropped, so cancel stops new pages at once.
  if (!execution || TERMINAL_STATUSES.has(execution.status) || !execution.streams[stream]) return;
  if (execution.status === 'paused') return parkMessage(deps, tenantId, executionId, 'sync-page', delivery.messageId, message);

  const ids_ = execution.ids?.[stream];
  let result: SourcePage;
  let idField = 'id';
  let perPage: number;
  try {
    const connection = await requireConnection(deps, tenantId, execution.connectionId);
    perPage = runPageSize(deps, execution, connection);
    const connector = await connectorFor(deps, connection);
    idField = connector.streams().find((info) => info.name === stream)?.idField ?? idField;
    result = await guardProviderCall(
      deps,
      guardOptions(deps, execution, connection),
      () =>
        connector.listPage({
          stream,
          page,
          perPage,
          ...(ids_ ? { ids: ids_ } : {}),
          ...(execution.filters ? { filters: execution.filters } : {}),
          ...(execution.streams[stream]!.modifiedAfter ? { modifiedAfter: new Date(execution.streams[stream]!.modifiedAfter!) } : {}),
        }),
    );
  } catch (error) {
    return handleFetchError(deps, execution, message, delivery, error);
  }

  const maxRecords = execution.options.maxRecords;
  const pagesTotal = Math.max(1, maxRecords ? Math.min(result.totalPages, Math.ceil(maxRecords / perPage)) : result.totalPages);
  const records = (maxRecords ? result.records.slice(0, Math.max(0, maxRecords - (page - 1) * perPage)) : result.records).map((record) => keepableRecord(record, idField));

  if (page === 1 && pagesTotal > 1) {
    await requestPages(deps, { tenantId, executionId, stream }, { first: 2, last: pagesTotal }, execution.options.interBatchDelayMs);
  }
  if (records.length === 0) {
    // Nothing to process — typically a page of unchanged records a connector filtered out itself
    // (a provider without a modified filter): the page is done here, guarded by the marker its
    // batch would have written, with no batch message and no batch entry in the activity log.
    await countOnce(deps, tenantId, executionId, ids.batchMarker(executionId, stream, page), streamIncrements(stream, {}, { pagesFetched: 1, pagesDone: 1 }));
  } else {
    await queueBatch(deps, { tenantId, executionId, stream, page }, records);
  }

  if (page === 1) {
    // Only page 1 has news for the counters (the stream's totals); every page's records are
    // counted with its batch, so a page costs one guarded counter write, not two.
    const recordsTotal = maxRecords ? Math.min(result.totalRecords, maxRecords) : result.totalRecords;
    // Stopped by maxRecords before the stream's end: the run's read is not complete (its cursor stays).
    const truncated = maxRecords !== undefined && result.totalRecords > maxRecords ? 1 : 0;
    await countOnce(
      deps,
      tenantId,
      executionId,
      ids.fetchMarker(executionId, stream, page),
      streamIncrements(stream, {}, { totalsKnown: 1, pagesTotal, recordsTotal, truncated }),
    );
  }
  await advanceExecution(deps, tenantId, executionId);
}

/** Asks `sync-batch` to process a page's records: in the message, or parked in `pages` when large. */
async function queueBatch(deps: SyncDeps, at: Pick<SyncPageMessage, 'tenantId' | 'executionId' | 'stream' | 'page'>, records: SourceRecord[]): Promise<void> {
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

/** The run's rate limit wins over the connection's; the circuit is the connection's. */
function guardOptions(deps: SyncDeps, execution: Execution, connection: Connection): ProviderGuardOptions {
  const requestsPerMinute = execution.options.rateLimit ?? connection.protection?.requestsPerMinute;
  return {
    tenantId: execution.tenantId,
    connectionId: connection.id,
    onCircuitOpened: () =>
      queueAlert(deps, {
        type: 'circuit.opened',
        tenantId: execution.tenantId,
        occurredAt: deps.clock.now().toISOString(),
        connectionId: connection.id,
        executionId: execution.id,
        taskId: execution.taskId,
      }),
    ...(requestsPerMinute ? { rateLimit: { requestsPerMinute } } : {}),
    ...(connection.protection?.circuit ? { circuit: connection.protection.circuit } : {}),
  };
}

async function handleFetchError(
  deps: SyncDeps,
  execution: Execution,
  message: SyncPageMessage,
  delivery: { messageId: string },
  error: unknown,
): Promise<void> {
  const { tenantId, executionId, stream, page } = message;
  if (error instanceof ProviderCallDeferredError) {
    // Our own guard turned the call away (rate limit, open circuit): the provider was not asked,
    // so this is no failed attempt. Come back when the guard says, spread out a little.
    const deferrals = (message.deferrals ?? 0) + 1;
    deps.log.info('page deferred by the provider guard', { executionId, stream, page, delayMs: error.delayMs, reason: error.name });
    await requestPageAgain(
      deps,
      { ...message, deferrals },
      messageIds.pageDeferral(executionId, stream, page, message.attempt ?? 0, deferrals),
      new Date(deps.clock.now().getTime() + error.delayMs + Math.floor(deps.random() * DEFERRAL_JITTER_MS)),
    );
    return;
  }
  const errorClass = classifyProviderError(error);
  if (!errorClass) throw error;
  const attempt = message.attempt ?? 0;
  const outcome = decideRetry(errorClass, attempt, { ...defaultPageRetryPolicy, maxRetries: execution.options.maxRetries }, deps.random);
  const detail = error instanceof Error ? error.message : String(error);
  if (outcome.kind === 'retry') {
    deps.log.warn('page fetch failed; retrying later', { executionId, stream, page, attempt: outcome.attempt, delayMs: outcome.delayMs, error: errorClass.name });
    await requestPageAgain(
      deps,
      { ...message, attempt: outcome.attempt },
      messageIds.pageRetry(executionId, stream, page, outcome.attempt),
      new Date(deps.clock.now().getTime() + outcome.delayMs),
    );
    return;
  }
  if (outcome.kind === 'pause-auth') {
    deps.log.warn('the provider refused the credentials; execution paused', { executionId, connectionId: execution.connectionId });
    // Kept with the transition itself (ETag-conditional): a redelivered or concurrent refusal finds the run paused and changes nothing.
    const authRefusal = authRefusalOf(deps, error, { stage: 'fetch', stream });
    const paused = await applyExecutionEvent(deps, tenantId, executionId, { type: 'pause', reason: 'auth' }, { authRefusal });
    if (paused.applied) {
      await queueAlert(deps, {
        type: 'execution.paused_auth',
        tenantId,
        occurredAt: paused.execution.pausedAt ?? deps.clock.now().toISOString(),
        executionId,
        taskId: execution.taskId,
        connectionId: execution.connectionId,
        reason: detail,
        statusUrl: `/api/tenants/${tenantId}/executions/${executionId}`,
      });
    }
    await parkMessage(deps, tenantId, executionId, 'sync-page', delivery.messageId, { ...message, attempt: 0 });
    return;
  }
  const failure: Failure & { stream: string } = {
    id: ids.failure(executionId, 'fetch', stream, String(page)),
    tenantId,
    executionId,
    taskId: execution.taskId,
    stream,
    stage: 'fetch',
    errorClass: outcome.errorClass,
    message: `page ${page} of ${stream}: ${detail}`,
    payloadRef: { queue: 'sync-page' },
    attempts: outcome.attempts,
    status: 'open',
    originalMessage: message,
    createdAt: deps.clock.now().toISOString(),
  };
  await recordPageFailure(deps, failure, page);
}
