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
});
export type SyncPageMessage = z.infer<typeof syncPageMessage>;

/** A batch is one fetched page; its records wait in the `pages` container (messages stay small). */
export const syncBatchMessage = syncPageMessage;
export type SyncBatchMessage = SyncPageMessage;
