import { z } from 'zod';
import type { StreamRead } from '../executions/streamRead.js';

/** Options of one run; absent ones come from the task's defaults. Out-of-range values are a 422 naming the field. */
export const runOptions = z.strictObject({
  /** Records per page and batch (a provider may serve fewer per page: at most its `maxPageSize`, e.g. 100). */
  batchSize: z.number().int().min(1).max(200).optional(),
  /** Pause between requesting consecutive pages, to spare a fragile provider. */
  interBatchDelayMs: z.number().int().min(0).max(60_000).optional(),
  /** Scheduled re-tries of a failing page before it counts as failed. */
  maxRetries: z.number().int().min(0).max(10).optional(),
  /** Provider requests per minute for this run (shared by every worker). */
  rateLimit: z.number().int().min(1).max(100_000).optional(),
  conflictStrategy: z.enum(['source_wins', 'target_wins', 'newest_wins', 'merge', 'manual']).optional(),
  /** Stop reading a stream after this many records. */
  maxRecords: z.number().int().min(1).max(10_000_000).optional(),
  /** Share (0–1) of a stream's records one run may update before it pauses for confirmation; 1 = no limit. */
  maxChangeShare: z.number().min(0).max(1).optional(),
});
export type RunOptions = z.infer<typeof runOptions>;

/** External ids one run may name per stream; retries over more split into several runs (failureRetryPlan). */
export const MAX_IDS_PER_STREAM = 1000;

export const startExecutionInput = z.strictObject({
  /** `incremental` reads only what changed since each stream's cursor (minus an overlap): the latest change the last complete read of the stream saw. */
  mode: z.enum(['full', 'incremental']).default('full'),
  /** Subset of the task's streams; all when absent. */
  streams: z.array(z.string().min(1)).min(1).optional(),
  /** Only these records, by external id, per stream. */
  ids: z.record(z.string(), z.array(z.string().min(1).max(200)).min(1).max(MAX_IDS_PER_STREAM)).optional(),
  /**
   * Of `ids`, those the provider reported deleted (webhook deliveries): each is tombstoned if the
   * run confirms the provider no longer has it, and counted `deleted`.
   */
  deletedIds: z.record(z.string(), z.array(z.string().min(1).max(200)).min(1).max(MAX_IDS_PER_STREAM)).optional(),
  /** Passed to the connector as provider-side filters. */
  filters: z.record(z.string().regex(/^[a-z_]{1,40}$/), z.string().max(200)).optional(),
  /** Fetch and transform, report what would change, write no shards. */
  dryRun: z.boolean().default(false),
  /** Makes the request idempotent: the same key returns the same execution. */
  idempotencyKey: z.string().min(1).max(200).optional(),
  ...runOptions.shape,
});
export type StartExecutionInput = z.infer<typeof startExecutionInput>;

/** `deleted`: shards a complete full read no longer found at the provider, kept as tombstones (deletesByAbsence). */
export const COUNT_NAMES = ['fetched', 'created', 'updated', 'unchanged', 'merged', 'skipped', 'failed', 'conflicts', 'deleted'] as const;
export type CountName = (typeof COUNT_NAMES)[number];
export type Counts = Record<CountName, number>;

export const emptyCounts = (): Counts => ({
  fetched: 0,
  created: 0,
  updated: 0,
  unchanged: 0,
  merged: 0,
  skipped: 0,
  failed: 0,
  conflicts: 0,
  deleted: 0,
});

export type ExecutionStatus = 'queued' | 'running' | 'paused' | 'success' | 'partial' | 'failed' | 'cancelled';
export const EXECUTION_STATUSES = ['queued', 'running', 'paused', 'success', 'partial', 'failed', 'cancelled'] as const;
/**
 * Why an execution waits: an operator asked, the provider refused the credentials, a bulk change
 * needs confirming, or the provider's quota for the period (a day) is spent.
 */
export type PauseReason = 'operator' | 'auth' | 'confirmation' | 'quota';
export const PAUSE_REASONS = ['operator', 'auth', 'confirmation', 'quota'] as const satisfies readonly PauseReason[];

/** The provider's answer when its quota ran out: what a run paused for `quota` shows. */
export interface QuotaExhaustion {
  at: string;
  stream?: string;
  /** The provider's own error code, as it sent it. */
  code?: string;
  message: string;
  /** When the provider said the quota comes back, if it said. */
  resetAt?: string;
}

/** The provider's answer when it refused the credentials, redacted: what a run paused for `auth` shows. */
export interface AuthRefusal {
  at: string;
  /** Where it was refused: reading a page, or writing a change back. */
  stage: 'fetch' | 'writeback';
  stream?: string;
  /** `AuthError` (the provider said no) or `CredentialsMissingError` (nothing stored to send). */
  errorClass: string;
  /** The provider's HTTP status (401, 403); absent when there were no credentials to send. */
  httpStatus?: number;
  /** The provider's own error code, as it sent it. */
  code?: string;
  message: string;
}

export const TERMINAL_STATUSES: ReadonlySet<ExecutionStatus> = new Set(['success', 'partial', 'failed', 'cancelled']);
export type ExecutionPhase = 'queued' | 'paused' | 'fetching' | 'saving' | 'completing' | 'done';

/**
 * Per-stream progress. Every number here only ever grows by `increment`, each increment guarded
 * by a marker document written in the same transaction, so redelivered messages count nothing twice.
 */
export interface StreamProgress {
  stream: string;
  schemaId: string;
  /** Streams of this execution that must be done before this one starts. */
  dependsOn: string[];
  /** 1 once its first page was requested. */
  started: number;
  /** Records the stream had at the task's last successful run (bulk safety compares with it). */
  baseline: number;
  /** Incremental runs: only records modified at or after this instant (the cursor minus the overlap). */
  modifiedAfter?: string;
  /** Incremental reads of a stream whose connector owns its state: the state stored at start, passed to every page. */
  state?: unknown;
  /** How the stream is read and, for a full read, why (decided at start; absent on runs queued before it was recorded). */
  read?: StreamRead;
  /** 1 once page 1 was fetched and the totals below are known. */
  totalsKnown: number;
  pagesTotal: number;
  recordsTotal: number;
  pagesFetched: number;
  /** Pages whose batch was processed or given up on (dead-lettered). */
  pagesDone: number;
  /** Pages that could not be fetched (their message was dead-lettered). */
  failedPages: number;
  /** Batches that could not be processed (their message was dead-lettered). */
  failedBatches: number;
  /** 1 once page 1 showed the stream has more records than `maxRecords`: the read stops before its end. */
  truncated?: number;
  counts: Counts;
}

/** Documents in the executions container: the execution itself and its markers. */
export interface Execution {
  id: string;
  tenantId: string;
  kind: 'execution';
  taskId: string;
  connectionId: string;
  mode: 'full' | 'incremental';
  status: ExecutionStatus;
  pauseReason?: PauseReason;
  pausedAt?: string;
  /** The latest refusal of the credentials; kept after a resume, as one of the run's errors. */
  authRefusal?: AuthRefusal;
  /** The latest exhaustion of the provider's quota; shown while the run is paused for `quota`. */
  quotaExhaustion?: QuotaExhaustion;
  idempotencyKey?: string;
  batchSize: number;
  /** Records per page it asks the provider for (its batch size, within what the provider serves); absent on runs started before it was recorded. */
  pageSize?: number;
  dryRun: boolean;
  /** Effective run options (request over task defaults). */
  options: Required<Pick<RunOptions, 'maxRetries' | 'interBatchDelayMs'>> & Omit<RunOptions, 'maxRetries' | 'interBatchDelayMs' | 'batchSize'>;
  ids?: Record<string, string[]>;
  /** Of `ids`, those reported deleted: tombstoned when the run confirms they are gone (deletesByAbsence). */
  deletedIds?: Record<string, string[]>;
  /** Webhook runs: the streams whose records the window's deliveries carried whole, read from them instead of the provider. */
  delivered?: { windowId: string; streams: string[] };
  filters?: Record<string, string>;
  /** Set when this run re-tries the failures of another. */
  retryOf?: string;
  /** The tenant concurrency slot it holds while it runs (see executionLeases). */
  slot?: number;
  /** An operator confirmed the bulk change this run was paused for. */
  bulkConfirmed?: boolean;
  streams: Record<string, StreamProgress>;
  counts: Counts;
  createdAt: string;
  startedAt?: string;
  finishedAt?: string;
}

export interface Marker {
  id: string;
  tenantId: string;
  kind: 'marker';
  executionId: string;
  createdAt: string;
  /** Batch markers: the stream and the latest modification time among the batch's records. */
  stream?: string;
  maxModified?: string;
  /**
   * Batch markers of full reads: the external ids of every record the batch fetched (valid or
   * not), so a complete read finds deletes by absence without a write per unchanged record.
   */
  seenIds?: string[];
  /**
   * Fetch markers of a chained stream's last page: the connector's incremental state after it.
   * Its stream rides inside, not in `stream`, which marks the batch markers a read saw ids on.
   */
  connectorState?: { stream: string; state: unknown };
  /** A page's delete feed: the ids the provider reported gone (stream inside, as for connectorState). */
  feedDeletes?: { stream: string; ids: string[] };
}

/** The incremental cursor of one connection + stream (in `executions`, so completing a run and moving it is one transaction). */
export interface StreamCursor {
  id: string;
  tenantId: string;
  kind: 'cursor';
  connectionId: string;
  stream: string;
  /** Latest modification time a complete read has seen (ISO). */
  value: string;
  /** The execution that moved it there. */
  executionId: string;
  updatedAt: string;
}

/**
 * The incremental state a connector owns for one connection + stream (StreamInfo
 * `connectorState`), JSON it alone reads. In `executions` beside the cursors, so completing a run
 * and moving it is one transaction.
 */
export interface ConnectorState {
  id: string;
  tenantId: string;
  kind: 'connector_state';
  connectionId: string;
  stream: string;
  state: unknown;
  /** The execution that stored it. */
  executionId: string;
  updatedAt: string;
}

/** A message that arrived while its execution was paused: kept until resume re-sends it. */
export interface ParkedMessage {
  id: string;
  tenantId: string;
  kind: 'parked';
  executionId: string;
  queue: string;
  messageId: string;
  body: unknown;
  parkedAt: string;
}
