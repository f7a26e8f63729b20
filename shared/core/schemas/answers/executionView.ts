import { z } from 'zod';
import { COUNT_NAMES, EXECUTION_STATUSES, PAUSE_REASONS } from '../execution.js';
import { FULL_READ_REASONS } from '../../executions/streamRead.js';

export const counts = z
  .object(Object.fromEntries(COUNT_NAMES.map((name) => [name, z.number().int()])) as Record<(typeof COUNT_NAMES)[number], z.ZodNumber>)
  .meta({
    id: 'Counts',
    description:
      'Records by outcome: fetched, created, updated, unchanged, merged (joined another shard by entity resolution), skipped (filtered out locally), failed, conflicts, deleted (no longer at the provider after a complete full read: kept as tombstones)',
  });

const authRefusal = z
  .object({
    at: z.string(),
    stage: z.enum(['fetch', 'writeback']).describe('Where it was refused: reading a page, or writing a change back'),
    stream: z.string().optional(),
    errorClass: z.string().describe('`AuthError` (the provider said no) or `CredentialsMissingError` (nothing stored to send)'),
    httpStatus: z.number().int().optional().describe("The provider's HTTP status (401, 403)"),
    code: z.string().optional().describe("The provider's own error code, as it sent it"),
    message: z.string().describe("The provider's message, credentials redacted"),
  })
  .meta({ id: 'AuthRefusal', description: "The provider's answer when it refused the credentials" });

const streamView = z.object({
  counts,
  recordsTotal: z.number().int().nullable().describe("The provider's total, as its page 1 reports it; null until page 1 is read"),
  pagesTotal: z.number().int().nullable(),
  pagesDone: z.number().int(),
  failedPages: z.number().int(),
  failedBatches: z.number().int(),
  modifiedAfter: z.string().nullable().describe('Incremental runs: what changed since this instant was read; null = everything'),
  read: z
    .object({
      kind: z.enum(['incremental', 'full', 'ids']),
      reason: z.enum(FULL_READ_REASONS).nullable().describe('Why a full read: `requested`, `no_cursor` (no complete read set a cursor yet), `provider_has_no_modified_filter` (read in full, filtered locally), `state_expired` (the connector found its incremental state too old)'),
    })
    .nullable()
    .describe('How the stream is read; null for runs queued before this was recorded'),
});

const executionError = z.object({
  at: z.string(),
  stage: z.string(),
  errorClass: z.string(),
  message: z.string(),
  stream: z.string().optional(),
  externalId: z.string().optional(),
  httpStatus: z.number().int().optional().describe("An auth refusal: the provider's HTTP status"),
});
export type ExecutionError = z.infer<typeof executionError>;

/** What the API shows of an execution: status, progress, counts and the last errors. */
export const executionView = z
  .object({
    id: z.string(),
    taskId: z.string(),
    connectionId: z.string(),
    mode: z.enum(['full', 'incremental']),
    dryRun: z.boolean().describe('Counts say what would have happened; no shard was written'),
    retryOf: z.string().nullable().describe('The execution whose failures this run retries'),
    status: z.enum(EXECUTION_STATUSES),
    pauseReason: z
      .enum(PAUSE_REASONS)
      .nullable()
      .describe("Why a paused execution waits: `operator`, `auth` (credentials refused), `confirmation` (a bulk change), `quota` (the provider's quota for the period is spent); null otherwise"),
    pauseDetail: authRefusal.nullable().describe("Paused for `auth`: the provider's answer; null otherwise"),
    quotaResetAt: z
      .string()
      .nullable()
      .describe('Paused for `quota`: when the provider said its quota comes back (calls wait until then even after a resume); null otherwise or when it did not say'),
    phase: z.enum(['queued', 'paused', 'fetching', 'saving', 'completing', 'done']),
    counts,
    streams: z.record(z.string(), streamView),
    percent: z.number().min(0).max(100).describe('How far the run got: 100 only for a run that read everything'),
    total: z.number().int().nullable().describe("Records expected in all, from the provider's totals; null until known"),
    etaMs: z.number().nullable().describe('Estimated time left; null when unknown, while the run waits (queued, paused) and once it ended'),
    eta: z.string().nullable(),
    createdAt: z.string(),
    startedAt: z.string().nullable(),
    finishedAt: z.string().nullable(),
    durationMs: z.number().nullable(),
    lastErrors: z
      .array(executionError)
      .describe("Newest first: the run's failures and the provider's refusal of the credentials, if any"),
  })
  .meta({
    id: 'Execution',
    description: 'A run of a sync task',
    examples: [
      {
        id: 'exe_3f0c2a9e',
        taskId: 'shop-customers',
        connectionId: 'shop',
        mode: 'incremental',
        dryRun: false,
        retryOf: null,
        status: 'partial',
        pauseReason: null,
        pauseDetail: null,
        quotaResetAt: null,
        phase: 'done',
        counts: { fetched: 250, created: 180, updated: 40, unchanged: 27, merged: 2, skipped: 0, failed: 1, conflicts: 0, deleted: 0 },
        streams: {
          customers: {
            counts: { fetched: 250, created: 180, updated: 40, unchanged: 27, merged: 2, skipped: 0, failed: 1, conflicts: 0, deleted: 0 },
            recordsTotal: 250,
            pagesTotal: 3,
            pagesDone: 3,
            failedPages: 0,
            failedBatches: 0,
            modifiedAfter: '2026-12-06T02:29:55.000Z',
            read: { kind: 'incremental', reason: null },
          },
        },
        percent: 100,
        total: 250,
        etaMs: null,
        eta: null,
        createdAt: '2026-12-07T02:30:00.000Z',
        startedAt: '2026-12-07T02:30:00.120Z',
        finishedAt: '2026-12-07T02:30:04.870Z',
        durationMs: 4750,
        lastErrors: [{ at: '2026-12-07T02:30:02.410Z', stage: 'transform', errorClass: 'ValidationError', message: '"email" is required', stream: 'customers', externalId: '1042' }],
      },
    ],
  });
export type ExecutionView = z.infer<typeof executionView>;
