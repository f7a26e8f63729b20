import { z } from 'zod';

/** Bodies of the messages on the sync queues; validated when a function receives them. */
export const syncStartMessage = z.object({
  tenantId: z.string().min(1),
  executionId: z.string().min(1),
});
export type SyncStartMessage = z.infer<typeof syncStartMessage>;

export const syncPageMessage = z.object({
  tenantId: z.string().min(1),
  executionId: z.string().min(1),
  stream: z.string().min(1),
  page: z.number().int().min(1),
  /** Failed attempts so far; a retry is the same request scheduled later with attempt + 1. */
  attempt: z.number().int().min(0).max(100).optional(),
  /** Times our own rate limit or open circuit turned it away; these do not use up attempts. */
  deferrals: z.number().int().min(0).optional(),
  /**
   * Chained streams: the provider's token for this page (the previous page's `next`; absent for
   * page 1). It rides in the message, so a redelivered page fetches the same page again.
   */
  next: z.string().min(1).max(4096).optional(),
  /** Chained streams: records the pages before this one brought, so the last page can tell the stream's total. */
  recordsBefore: z.number().int().min(0).optional(),
});
export type SyncPageMessage = z.infer<typeof syncPageMessage>;

/**
 * A batch is one fetched page. Its records travel in the message when they fit comfortably in a
 * Service Bus message; larger pages wait in the `pages` container and the message carries only
 * their address (claim check).
 */
export const syncBatchMessage = syncPageMessage.extend({
  records: z.array(z.record(z.string(), z.unknown())).optional(),
  /** Times this batch waited for parent records that had not arrived (see decideLinkWait). */
  linkWaits: z.number().int().min(0).max(10).optional(),
});
export type SyncBatchMessage = z.infer<typeof syncBatchMessage>;

/** A fetched page waiting in `pages` for its batch, whose message carries only its id (claim check). */
export interface StoredPage {
  id: string;
  tenantId: string;
  executionId: string;
  stream: string;
  page: number;
  records: NonNullable<SyncBatchMessage['records']>;
  ttl: number;
}

/** `sync-writeback`: bring one record of a provider up to its shard's local changes, or create it there. */
export const syncWriteBackMessage = z.object({
  tenantId: z.string().min(1),
  taskId: z.string().min(1),
  shardId: z.string().min(1),
  connectionId: z.string().min(1),
  stream: z.string().min(1),
  /** Absent: the shard has no record at this connection yet, and an outbound task creates one. */
  externalId: z.string().min(1).optional(),
  /** Failed attempts so far (retries are scheduled copies with attempt + 1). */
  attempt: z.number().int().min(0).max(100).optional(),
});
export type SyncWriteBackMessage = z.infer<typeof syncWriteBackMessage>;

/**
 * `dedupe-rollout`: one page of a shard type's stored shards resolved under a version of its rule
 * set; the page after it follows as the next message.
 */
export const dedupeRolloutMessage = z.object({
  tenantId: z.string().min(1),
  shardType: z.string().min(1),
  version: z.number().int().min(1),
  /** Which start of the rollout the page belongs to: a start after one that broke off is a chain of its own. */
  chain: z.string().min(1),
  page: z.number().int().min(1),
  continuationToken: z.string().min(1).optional(),
});
export type DedupeRolloutMessage = z.infer<typeof dedupeRolloutMessage>;
