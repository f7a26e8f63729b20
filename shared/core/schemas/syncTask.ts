import { z } from 'zod';
import { resourceId } from './resourceId.js';
import { EXECUTION_STATUSES, runOptions } from './execution.js';
import { counts } from './answers/executionView.js';
import { conflictResolution } from '../conflicts/resolutionStrategy.js';
import { predicate } from '../conversion/schema.js';

const streamName = z.string().regex(/^[a-z][a-z0-9_]{0,63}$/, 'must be a stream name such as "customers"');

/** A shard field holding a linked record's id at its own connection; `[*]` steps into each element of a list. */
export const referencePath = z
  .string()
  .regex(/^[A-Za-z_]\w*(\[\*\])?(\.[A-Za-z_]\w*(\[\*\])?)*$/, 'must be a field path such as "customerExternalId" or "lines[*].productExternalId"');

export const outboundReference = z
  .strictObject({
    rel: z.string().min(1).max(100).describe("The link's `rel` on the shard (a relationship of its conversion schema, e.g. `customer`)."),
    path: referencePath.describe('The shard field naming the linked record by its id at the source connection; `[*]` for each element of a list, e.g. `lines[*].productExternalId`.'),
    stream: streamName.describe("The task's stream the linked shard is written to; its id there replaces the value."),
    none: z
      .array(z.union([z.string(), z.number()]))
      .max(20)
      .optional()
      .describe('Values that name no record (e.g. product id 0 for a line whose product was deleted): replaced by null, not resolved.'),
  })
  .meta({
    id: 'OutboundReference',
    description:
      "Outbound tasks: before the write mapping runs, the value at `path` is replaced by the linked shard's id at this task's connection on `stream` — the linked shard is created there first when it has no record there yet (once, however many write-backs need it). A link whose parent has not synced yet makes the write-back wait and retry.",
  });
export type OutboundReference = z.infer<typeof outboundReference>;

export const taskStream = z.strictObject({
  stream: streamName.describe("One of the provider's streams."),
  schemaId: resourceId.describe('The conversion schema its records go through.'),
  writeSchemaId: resourceId
    .optional()
    .describe(
      "Outbound tasks: a conversion schema run forward on the shard's data (references substituted) to make the provider record to create or update, e.g. an invoice with a `Line` list built by an `expression`. Absent: the fields `schemaId` copies are written back to where they were read from. Checked at save.",
    ),
  when: predicate
    .optional()
    .describe(
      'Outbound tasks: only shards whose data matches are written on this stream, e.g. `{"path": "customerExternalId", "exists": true}` for invoices and `exists: false` (guest orders) for sales receipts on another stream of the same shard type.',
    ),
  references: z.array(outboundReference).max(20).optional().describe('Outbound tasks with a `writeSchemaId`: shard fields naming linked records, replaced by those records\' ids at this connection.'),
});
export type TaskStream = z.infer<typeof taskStream>;

const direction = z
  .enum(['inbound', 'bidirectional', 'outbound'])
  .describe(
    '`inbound`: provider → shards. `bidirectional`: also local shard edits written back, both sides meeting field by field. `outbound`: the shards of the streams\' shard types are written to this connection as they change (all of them with POST …/push), created there when they came from another one; no runs or schedules.',
  );

export const syncTaskInput = z
  .strictObject({
    id: resourceId.optional().describe('POST only: the id to create or update; absent, the server picks one (`tsk_…`).'),
    name: z.string().min(1).max(200).optional().describe('Absent: the stored name is kept (the id on creation).'),
    connectionId: resourceId.describe('A connection of the tenant; checked at save (422 naming it).'),
    streams: z.array(taskStream).min(1).max(20).describe('Each stream once; the provider must offer it and the schema must exist (checked at save).'),
    direction: direction.default('inbound'),
    conflictResolution: conflictResolution
      .default({ strategy: 'merge', fallback: 'manual', safeSide: 'source', fields: {} })
      .describe('How fields both sides changed are settled (bidirectional tasks).'),
    defaults: runOptions
      .extend({
        batchSize: z.number().int().min(1).max(200).default(100),
        maxRetries: z.number().int().min(0).max(10).default(5),
        interBatchDelayMs: z.number().int().min(0).max(60_000).default(0),
        maxChangeShare: z.number().min(0).max(1).default(0.5),
        incrementalOverlapMs: z
          .number()
          .int()
          .min(0)
          .max(3_600_000)
          .default(5_000)
          .describe('Milliseconds incremental reads start before the cursor: covers clock skew and equal timestamps.'),
      })
      .default({ batchSize: 100, maxRetries: 5, interBatchDelayMs: 0, maxChangeShare: 0.5, incrementalOverlapMs: 5_000 })
      .describe('Run options every execution of the task starts from; a start request may override each.'),
  })
  .superRefine((task, ctx) => {
    const seen = new Set<string>();
    task.streams.forEach((entry, index) => {
      if (seen.has(entry.stream)) {
        ctx.addIssue({ code: 'custom', path: ['streams', index, 'stream'], message: `stream "${entry.stream}" is listed twice` });
      }
      seen.add(entry.stream);
      // Write mappings and references only make sense where the shards are the source of truth.
      if (entry.writeSchemaId !== undefined && task.direction !== 'outbound') {
        ctx.addIssue({ code: 'custom', path: ['streams', index, 'writeSchemaId'], message: 'a write schema needs direction "outbound"' });
      }
      if (entry.when !== undefined && task.direction !== 'outbound') {
        ctx.addIssue({ code: 'custom', path: ['streams', index, 'when'], message: 'a write condition needs direction "outbound"' });
      }
      if (entry.references !== undefined && entry.writeSchemaId === undefined) {
        ctx.addIssue({ code: 'custom', path: ['streams', index, 'references'], message: 'references need a writeSchemaId: the substituted ids reach the provider through it' });
      }
    });
    const listed = new Set(task.streams.map((entry) => entry.stream));
    task.streams.forEach((entry, index) => {
      entry.references?.forEach((reference, at) => {
        if (!listed.has(reference.stream)) {
          ctx.addIssue({ code: 'custom', path: ['streams', index, 'references', at, 'stream'], message: `stream "${reference.stream}" is not one of the task's streams` });
        }
      });
    });
  })
  .meta({ id: 'SyncTaskInput', description: 'A sync task as a save sets it: what to sync, which way, and the defaults of its runs.' });
export type SyncTaskInput = z.infer<typeof syncTaskInput>;

/** A sync task as stored. */
export const syncTask = z.object({
  id: z.string(),
  tenantId: z.string(),
  name: z.string(),
  connectionId: z.string(),
  streams: z.array(taskStream),
  direction,
  conflictResolution: conflictResolution.optional().describe('Absent on tasks saved before bidirectional sync: the defaults apply.'),
  defaults: runOptions.extend({
    batchSize: z.number().int(),
    maxRetries: z.number().int(),
    interBatchDelayMs: z.number().int(),
    maxChangeShare: z.number().optional().describe('Absent on tasks saved before it existed: 0.5.'),
    incrementalOverlapMs: z.number().int().optional().describe('Absent on tasks saved before it existed: 5000.'),
  }),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type SyncTask = z.infer<typeof syncTask>;

/** A task as the API answers with it; reads add how its runs went. */
export const syncTaskView = syncTask
  .extend({
    lastExecution: z
      .object({
        id: z.string(),
        status: z.enum(EXECUTION_STATUSES),
        createdAt: z.iso.datetime(),
        finishedAt: z.iso.datetime().nullable(),
        counts,
      })
      .nullable()
      .optional()
      .describe('Reads only (absent from save answers): the newest run, null before the first.'),
    lastSuccessfulSyncAt: z.iso.datetime().nullable().optional().describe('Reads only: when a run last ended in `success`; null before that.'),
    lastSuccessfulCounts: counts.nullable().optional().describe('Reads only: what that run counted.'),
  })
  .meta({ id: 'SyncTask', description: 'What to sync: a connection, its streams each with a conversion schema, the direction, and run defaults.' });
