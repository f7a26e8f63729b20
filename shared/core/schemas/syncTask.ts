import { z } from 'zod';
import { resourceId } from './resourceId.js';

export const taskStream = z.strictObject({
  stream: z.string().regex(/^[a-z][a-z0-9_]{0,63}$/, 'must be a stream name such as "customers"'),
  schemaId: resourceId,
});

export const syncTaskInput = z
  .strictObject({
    id: resourceId.optional(),
    name: z.string().min(1).max(200).optional(),
    connectionId: resourceId,
    streams: z.array(taskStream).min(1).max(20),
    direction: z.enum(['inbound']).default('inbound'),
    defaults: z
      .strictObject({
        /** Records per page and per batch; WooCommerce serves at most 100 per page. */
        batchSize: z.number().int().min(1).max(100).default(100),
      })
      .default({ batchSize: 100 }),
  })
  .superRefine((task, ctx) => {
    const seen = new Set<string>();
    task.streams.forEach((entry, index) => {
      if (seen.has(entry.stream)) {
        ctx.addIssue({ code: 'custom', path: ['streams', index, 'stream'], message: `stream "${entry.stream}" is listed twice` });
      }
      seen.add(entry.stream);
    });
  });
export type SyncTaskInput = z.infer<typeof syncTaskInput>;

export interface SyncTask {
  id: string;
  tenantId: string;
  name: string;
  connectionId: string;
  streams: Array<{ stream: string; schemaId: string }>;
  direction: 'inbound';
  defaults: { batchSize: number };
  createdAt: string;
  updatedAt: string;
}
