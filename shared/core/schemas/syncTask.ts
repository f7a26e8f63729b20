import { z } from 'zod';
import { resourceId } from './resourceId.js';
import { runOptions, type RunOptions } from './execution.js';
import { conflictResolution, type ConflictResolution } from '../conflicts/resolutionStrategy.js';

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
    /**
     * `bidirectional`: local shard edits are written back to the provider, and both sides' changes
     * meet field by field. `outbound`: the shards of the streams' shard types are written to this
     * connection, created there when they came from another one.
     */
    direction: z.enum(['inbound', 'bidirectional', 'outbound']).default('inbound'),
    /** How fields both sides changed are settled (bidirectional tasks). */
    conflictResolution: conflictResolution.default({ strategy: 'merge', fallback: 'manual', safeSide: 'source', fields: {} }),
    /** Run options every execution of the task starts from. */
    defaults: runOptions
      .extend({
        batchSize: z.number().int().min(1).max(200).default(100),
        maxRetries: z.number().int().min(0).max(10).default(5),
        interBatchDelayMs: z.number().int().min(0).max(60_000).default(0),
        maxChangeShare: z.number().min(0).max(1).default(0.5),
        /** Incremental reads start this long before the cursor: covers clock skew and equal timestamps. */
        incrementalOverlapMs: z.number().int().min(0).max(3_600_000).default(5_000),
      })
      .default({ batchSize: 100, maxRetries: 5, interBatchDelayMs: 0, maxChangeShare: 0.5, incrementalOverlapMs: 5_000 }),
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
  direction: 'inbound' | 'bidirectional' | 'outbound';
  /** Absent on tasks saved before bidirectional sync: the defaults apply. */
  conflictResolution?: ConflictResolution;
  defaults: RunOptions & { batchSize: number; maxRetries: number; interBatchDelayMs: number; maxChangeShare?: number; incrementalOverlapMs?: number };
  createdAt: string;
  updatedAt: string;
}
