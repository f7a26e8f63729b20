import { TERMINAL_STATUSES, type Execution, type Marker } from '../../core/schemas/execution.js';
import type { SyncPageMessage } from '../../core/schemas/messages.js';
import type { Failure } from '../../core/schemas/failure.js';
import { decideRetry, defaultPageRetryPolicy } from '../../core/retry/retryDecision.js';
import { ids } from '../../core/ids.js';
import { messageIds } from '../../core/messageIds.js';
import type { ChainedSourcePage, Connector, ListPageRequest, SourcePage } from '../../connectors/connector.js';
import { IncrementalStateExpiredError } from '../../connectors/incrementalStateExpiredError.js';
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
import { readStreamInFull } from '../executions/readStreamInFull.js';
import { handOverPageRecords } from './pageRecords.js';
import { settleChainedPage } from './chainedPage.js';
import { deliveredRecords } from './deliveredRecords.js';
import { queueAlert } from '../operations/alertQueue.js';
import { runPageSize } from '../executions/runPageSize.js';
import { authRefusalOf } from '../failures/authRefusal.js';
import { quotaExhaustionOf } from '../failures/quotaExhaustion.js';

/** Spreads pages the guard turned away, so they do not all come back at the same instant. */
const DEFERRAL_JITTER_MS = 1_000;

/**
 * `sync-page`: fetches one page from the provider through the connection's shared rate limit and
 * circuit breaker, asks `sync-batch` to process its records (in the message, or parked in the
 * `pages` container when large), and requests the pages after it, paced by interBatchDelayMs: a
 * numbered stream's pages 2..N at once from page 1, a chained stream's next page from each page
 * (settleChainedPage). A failing fetch is retried by scheduling this message later (never by
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
  const progress = execution.streams[stream]!;
  let fetched: { paging: 'numbered'; result: SourcePage } | { paging: 'chained'; result: ChainedSourcePage };
  let idField = 'id';
  let perPage: number;
  try {
    const connection = await requireConnection(deps, tenantId, execution.connectionId);
    perPage = execution.pageSize ?? runPageSize(deps, execution, connection);
    const connector = await connectorFor(deps, connection);
    const info = connector.streams().find((candidate) => candidate.name === stream);
    idField = info?.idField ?? idField;
    const request: ListPageRequest = {
      stream,
      page,
      perPage,
      ...(ids_ ? { ids: ids_ } : {}),
      ...(execution.filters ? { filters: execution.filters } : {}),
      ...(progress.modifiedAfter ? { modifiedAfter: new Date(progress.modifiedAfter) } : {}),
      ...(message.next !== undefined ? { next: message.next } : {}),
      ...(progress.state !== undefined ? { state: progress.state } : {}),
    };
    // Records a webhook delivered whole are not fetched again: one page of them, no provider call.
    const delivered = page === 1 ? await deliveredRecords(deps, execution, stream) : undefined;
    fetched = delivered
      ? { paging: 'numbered', result: { records: delivered, page: 1, totalPages: 1, totalRecords: delivered.length } }
      : await guardProviderCall(
          deps,
          guardOptions(deps, execution, connection),
          async () =>
            info?.paging === 'chained'
              ? { paging: 'chained' as const, result: await listChainedPage(connector, request) }
              : { paging: 'numbered' as const, result: await connector.listPage(request) },
          (answer) => answer.result.budget,
        );
  } catch (error) {
    return handleFetchError(deps, execution, message, delivery, error);
  }
  if (fetched.result.deletedIds?.length && !execution.dryRun) await keepFeedDeletes(deps, execution, stream, page, fetched.result.deletedIds);
  if (fetched.paging === 'chained') {
    await settleChainedPage(deps, execution, message, fetched.result, idField);
    return advanceExecution(deps, tenantId, executionId);
  }
  const { result } = fetched;

  const maxRecords = execution.options.maxRecords;
  const pagesTotal = Math.max(1, maxRecords ? Math.min(result.totalPages, Math.ceil(maxRecords / perPage)) : result.totalPages);
  const records = (maxRecords ? result.records.slice(0, Math.max(0, maxRecords - (page - 1) * perPage)) : result.records).map((record) => keepableRecord(record, idField));

  if (page === 1 && pagesTotal > 1) {
    await requestPages(deps, { tenantId, executionId, stream }, { first: 2, last: pagesTotal }, execution.options.interBatchDelayMs);
  }
  await handOverPageRecords(deps, { tenantId, executionId, stream, page }, records);

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

/**
 * The ids a page's delete feed reported, kept for the run's end (deletesByAbsence tombstones them).
 * Idempotent: one document per page, upserted, so a refetched page writes the same.
 */
async function keepFeedDeletes(deps: SyncDeps, execution: Execution, stream: string, page: number, deletedIds: string[]): Promise<void> {
  const marker: Marker = {
    id: ids.feedDeletes(execution.id, stream, page),
    tenantId: execution.tenantId,
    kind: 'marker',
    executionId: execution.id,
    createdAt: deps.clock.now().toISOString(),
    feedDeletes: { stream, ids: [...new Set(deletedIds.map(String))] },
  };
  await deps.store.upsert('executions', marker);
}

/** A connector that declares a chained stream reads it with listChainedPage. */
function listChainedPage(connector: Connector, request: ListPageRequest): Promise<ChainedSourcePage> {
  if (!connector.listChainedPage) throw new Error(`the ${connector.provider} connector declares ${request.stream} chained but cannot read chained pages`);
  return connector.listChainedPage(request);
}

/** The run's rate limit wins over the connection's; the circuit is the connection's. */
function guardOptions(deps: SyncDeps, execution: Execution, connection: Connection): ProviderGuardOptions {
  const requestsPerMinute = execution.options.rateLimit ?? connection.protection?.requestsPerMinute ?? deps.providers.definition(connection.provider).defaultRequestsPerMinute;
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
  // A read starts from the state on page 1; expired there, the stream is read in full instead.
  // Anywhere else (or on a read that is already full) it is a permanent failure of the page, below.
  if (error instanceof IncrementalStateExpiredError && page === 1 && execution.streams[stream]?.read?.kind === 'incremental') {
    return readStreamInFull(deps, tenantId, executionId, stream);
  }
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
  if (outcome.kind === 'pause-quota') {
    // Not a failure: the page is kept until an operator resumes the run (the guard then holds its
    // calls until the quota's reset, when the provider said it). Kept with the transition
    // (ETag-conditional): a redelivered or concurrent exhaustion finds the run paused and changes nothing.
    deps.log.warn("the provider's quota is spent; execution paused", { executionId, connectionId: execution.connectionId });
    await applyExecutionEvent(deps, tenantId, executionId, { type: 'pause', reason: 'quota' }, { quotaExhaustion: quotaExhaustionOf(deps, error, stream) });
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
  await recordPageFailure(deps, failure, page, message.next !== undefined);
}
