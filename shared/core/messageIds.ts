import { alertId, type AlertEvent } from './operations/alertPayload.js';

/**
 * Message ids. The bus drops a message whose id it has seen inside its duplicate-detection window,
 * so an id names the work it asks for: a redelivered handler that publishes again publishes the
 * same ids, and different work never shares one. Changing a spelling changes what is dropped
 * across a deploy: these are the spellings the messages have always had.
 *
 * Injective within each queue without the escaping of ids.ts: execution, tenant, connection,
 * shard, alert and window ids hold no `:` or `~` (generated, or resource ids), each id has at
 * most one part of free text (a stream, a shard type, a data hash), and each kind ends in its own
 * shape (`:p3`, `:a2`, `~1700000000000`…), so an id reads back to one kind and one set of parts.
 */
export const messageIds = {
  /** `sync-start`: an execution's start request. */
  start: (executionId: string) => `${executionId}:start`,
  /** `sync-start`: a waiting execution asked again because another of its tenant's ended. */
  startAfter: (executionId: string, endedExecutionId: string) => `${executionId}:start:after:${endedExecutionId}`,
  /**
   * `sync-start`: a waiting execution's next look, fresh each time (the time and a random
   * number): a derived id could fall inside the duplicate-detection window of an earlier wait
   * and be dropped, leaving the execution with no start message at all.
   */
  startWait: (executionId: string, atMs: number, nonce: number) => `${executionId}:start:w${atMs}:${nonce}`,
  /** `sync-page`: a page of a stream. */
  page: (executionId: string, stream: string, page: number) => `${executionId}:${stream}:p${page}`,
  /** `sync-page`: a page fetched again after failed attempt `attempt`. */
  pageRetry: (executionId: string, stream: string, page: number, attempt: number) => `${executionId}:${stream}:p${page}:a${attempt}`,
  /** `sync-page`: a page the provider guard turned away for the `deferrals`-th time during attempt `attempt`. */
  pageDeferral: (executionId: string, stream: string, page: number, attempt: number, deferrals: number) =>
    `${executionId}:${stream}:p${page}:a${attempt}:d${deferrals}`,
  /** `sync-page`: page 1 of a stream read again in full because the connector's incremental state expired. */
  pageFullRead: (executionId: string, stream: string, page: number) => `${executionId}:${stream}:p${page}:full`,
  /** `sync-batch`: the records of a page. */
  batch: (executionId: string, stream: string, page: number) => `${executionId}:${stream}:b${page}`,
  /** `sync-batch`: a batch back after its `waits`-th wait for parent records. */
  batchLinkWait: (executionId: string, stream: string, page: number, waits: number) => `${executionId}:${stream}:b${page}:w${waits}`,
  /** Any queue: a message parked while its execution was paused, re-sent on resume. */
  released: (parkedMessageId: string, parkedAtMs: number) => `${parkedMessageId}~${parkedAtMs}`,
  /**
   * `sync-writeback`: one record's write-back of the data with this hash. It names the tenant
   * too: shard ids derive from connection ids, which two tenants may share.
   */
  writeBack: (tenantId: string, shardId: string, connectionId: string, dataHash: string, attempt: number) =>
    `${tenantId}:${shardId}:${connectionId}:${dataHash}:${attempt}`,
  /** `dedupe-rollout`: a page of a rollout; `chain` (a time) tells a restarted rollout's pages from the first one's. */
  dedupeRolloutPage: (tenantId: string, shardType: string, version: number, chain: string, page: number) =>
    `rollout:${tenantId}:${shardType}:${version}:${chain}:${page}`,
  /** `alerts`: an alert's first delivery; the alert's own id, which receivers de-duplicate on too. */
  alert: (event: AlertEvent) => alertId(event),
  /** `alerts`: an alert's delivery after failed attempt `attempt`. */
  alertRetry: (event: AlertEvent, attempt: number) => `${alertId(event)}:a${attempt}`,
  /** `webhooks`: one flush per coalescing window. */
  webhookFlush: (windowId: string) => `webhook-flush:${windowId}`,
};
