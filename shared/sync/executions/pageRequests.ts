import type { OutgoingMessage } from '../../ports/bus.js';
import type { SyncPageMessage } from '../../core/schemas/messages.js';
import { messageIds } from '../../core/messageIds.js';
import type { SyncDeps } from '../syncDeps.js';

/** Messages per publish call: a stream of thousands of pages is asked for in a few sends, not one huge one. */
const PUBLISH_CHUNK = 500;

type StreamOfExecution = Pick<SyncPageMessage, 'tenantId' | 'executionId' | 'stream'>;

/**
 * Asks `sync-page` for pages `first`..`last` of a stream: page 1 when the stream starts, the
 * others once page 1 has told how many there are. Page p is due (p − 1)·`interBatchDelayMs`
 * from now, so page 1 goes at once; each id derives from its page, so asking twice sends once.
 */
export async function requestPages(
  deps: SyncDeps,
  at: StreamOfExecution,
  pages: { first: number; last: number },
  interBatchDelayMs = 0,
): Promise<void> {
  const { tenantId, executionId, stream } = at;
  const now = deps.clock.now().getTime();
  const requests: OutgoingMessage[] = [];
  for (let page = pages.first; page <= pages.last; page++) {
    const body: SyncPageMessage = { tenantId, executionId, stream, page };
    const delayMs = interBatchDelayMs * (page - 1);
    requests.push({
      body,
      messageId: messageIds.page(executionId, stream, page),
      applicationProperties: { tenantId, executionId, stream },
      ...(delayMs > 0 ? { scheduledEnqueueTime: new Date(now + delayMs) } : {}),
    });
  }
  for (let i = 0; i < requests.length; i += PUBLISH_CHUNK) {
    await deps.bus.publish('sync-page', requests.slice(i, i + PUBLISH_CHUNK));
  }
}

/**
 * Chained streams: asks `sync-page` for the page after `fetched`, with the provider's token for it,
 * `interBatchDelayMs` from now. Its id derives from its page, so a redelivered page that asks
 * again sends once within the bus's duplicate-detection window (and a page fetched twice after it
 * is counted once: its batch marker guards it).
 */
export async function requestNextPage(
  deps: SyncDeps,
  fetched: SyncPageMessage,
  next: { token: string; recordsBefore: number },
  interBatchDelayMs = 0,
): Promise<void> {
  const { tenantId, executionId, stream } = fetched;
  const body: SyncPageMessage = { tenantId, executionId, stream, page: fetched.page + 1, next: next.token, recordsBefore: next.recordsBefore };
  await deps.bus.publish('sync-page', [
    {
      body,
      messageId: messageIds.page(executionId, stream, body.page),
      applicationProperties: { tenantId, executionId, stream },
      ...(interBatchDelayMs > 0 ? { scheduledEnqueueTime: new Date(deps.clock.now().getTime() + interBatchDelayMs) } : {}),
    },
  ]);
}

/**
 * Asks `sync-page` for page 1 of a stream again, read in full now that the connector found its
 * incremental state expired. Its own id: page 1's first message id was spent on the expired read.
 */
export async function requestFullReadFromStart(deps: SyncDeps, at: StreamOfExecution): Promise<void> {
  const { tenantId, executionId, stream } = at;
  const body: SyncPageMessage = { tenantId, executionId, stream, page: 1 };
  await deps.bus.publish('sync-page', [{ body, messageId: messageIds.pageFullRead(executionId, stream, 1), applicationProperties: { tenantId, executionId, stream } }]);
}

/** Asks `sync-page` for a page again at `dueAt`: after a failed attempt, or when the provider guard turned it away. */
export async function requestPageAgain(deps: SyncDeps, message: SyncPageMessage, messageId: string, dueAt: Date): Promise<void> {
  const { tenantId, executionId, stream } = message;
  await deps.bus.publish('sync-page', [{ body: message, messageId, scheduledEnqueueTime: dueAt, applicationProperties: { tenantId, executionId, stream } }]);
}
