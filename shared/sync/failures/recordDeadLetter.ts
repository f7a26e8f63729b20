import type { Execution } from '../../core/schemas/execution.js';
import type { Failure } from '../../core/schemas/failure.js';
import { syncBatchMessage, syncPageMessage, syncStartMessage, type StoredPage } from '../../core/schemas/messages.js';
import { ids } from '../../core/ids.js';
import type { SyncDeps } from '../syncDeps.js';
import { countOnce, streamIncrements } from '../executions/executionCounters.js';
import { advanceExecution } from '../executions/advanceExecution.js';
import { applyExecutionEvent } from '../executions/executionLifecycle.js';
import { recordActivity } from '../operations/activityLog.js';
import { recordPageFailure } from './pageFailure.js';
import { storeFailure } from './storeFailure.js';

export interface DeadLetteredMessage {
  /** The queue the message was dead-lettered from (`sync-page`, not `sync-page/$DeadLetterQueue`). */
  queue: string;
  messageId: string;
  body: unknown;
  deliveryCount: number;
  reason?: string;
  description?: string;
}

/**
 * A poison message becomes a failure of its execution, and the execution accounts for the work
 * it will never do (a page or batch counted done-with-failure, or the whole run failed), so the
 * run still ends. Idempotent: the failure id derives from the message id and the counters are
 * guarded by a dead-letter marker.
 */
export async function recordDeadLetter(deps: SyncDeps, message: DeadLetteredMessage): Promise<void> {
  const start = syncStartMessage.safeParse(message.body);
  if (!start.success) return recordWithoutExecution(deps, message);
  const { tenantId, executionId } = start.data;
  const execution = await deps.store.read<Execution>('executions', tenantId, executionId);
  if (!execution) {
    deps.log.error('dead-lettered message of an unknown execution: dropped', { queue: message.queue, messageId: message.messageId });
    return;
  }
  const page = syncPageMessage.safeParse(message.body);
  const stream = page.success ? page.data.stream : undefined;
  const failure: Failure = {
    id: ids.failure(executionId, 'dead-letter', message.messageId),
    tenantId,
    executionId,
    taskId: execution.taskId,
    ...(stream ? { stream } : {}),
    stage: 'dead-letter',
    errorClass: message.reason ?? 'DeadLettered',
    message: `${message.queue} message ${message.messageId} was dead-lettered after ${message.deliveryCount} deliveries${message.description ? `: ${message.description}` : ''}`,
    payloadRef: {
      queue: message.queue,
      messageId: message.messageId,
      // A batch whose records were parked (claim check) points at them; inline records are in originalMessage.
      ...(page.success && message.queue === 'sync-batch' && !(message.body as { records?: unknown }).records
        ? { container: 'pages', id: ids.page(executionId, page.data.stream, page.data.page) }
        : {}),
    },
    attempts: message.deliveryCount,
    status: 'open',
    originalMessage: message.body,
    createdAt: deps.clock.now().toISOString(),
  };
  await storeFailure(deps, failure);

  if (message.queue === 'sync-start') {
    await applyExecutionEvent(deps, tenantId, executionId, { type: 'fail' });
    return;
  }
  if (!page.success || !execution.streams[page.data.stream]) return;
  const { page: pageNumber } = page.data;
  const markerId = ids.deadLetterMarker(executionId, message.messageId);
  if (message.queue === 'sync-page') {
    // A page message with a provider token is a chained stream's: its failure ends the stream.
    await recordPageFailure(deps, { ...failure, stream: page.data.stream }, pageNumber, page.data.next !== undefined);
    return;
  }
  if (message.queue === 'sync-batch') {
    if (await deps.store.read('executions', tenantId, ids.batchMarker(executionId, page.data.stream, pageNumber))) return;
    const inline = syncBatchMessage.safeParse(message.body);
    const records =
      (inline.success ? inline.data.records : undefined) ??
      (await deps.store.read<StoredPage>('pages', tenantId, ids.page(executionId, page.data.stream, pageNumber)))?.records;
    await countOnce(
      deps,
      tenantId,
      executionId,
      markerId,
      streamIncrements(page.data.stream, { fetched: records?.length ?? 0, failed: records?.length ?? 0 }, { pagesFetched: 1, pagesDone: 1, failedBatches: 1 }),
    );
  }
  await advanceExecution(deps, tenantId, executionId);
}

/**
 * A dead-lettered message that belongs to no execution (an alert, a webhook flush, a write-back):
 * the tenant's activity log says so, so an operator can see what was lost; otherwise only the log
 * can. (A write-back's also becomes a conflict: see recordWriteBackDeadLetter.)
 */
async function recordWithoutExecution(deps: SyncDeps, message: DeadLetteredMessage): Promise<void> {
  const body = message.body as { tenantId?: unknown; event?: { tenantId?: unknown } } | null;
  const tenantId = typeof body?.tenantId === 'string' ? body.tenantId : typeof body?.event?.tenantId === 'string' ? body.event.tenantId : undefined;
  const tenant = tenantId ? await deps.store.read('tenants', tenantId, tenantId) : undefined;
  if (!tenantId || !tenant) {
    deps.log.error('dead-lettered message of no known tenant: dropped', { queue: message.queue, messageId: message.messageId });
    return;
  }
  await recordActivity(deps, {
    tenantId,
    key: `dead-letter:${message.queue}:${message.messageId}`,
    actor: { type: 'system' },
    action: 'message.dead_lettered',
    subject: { kind: 'message', id: message.messageId },
    details: { queue: message.queue, reason: message.reason ?? 'DeadLettered', deliveries: message.deliveryCount },
  });
}
