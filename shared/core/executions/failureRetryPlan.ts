import { createHash } from 'node:crypto';
import type { Failure } from '../schemas/failure.js';
import { MAX_IDS_PER_STREAM } from '../schemas/execution.js';

/** What planning reads of a failure; `_etag` (as stored) makes a failure changed since a retry a new one. */
export type RetryCandidate = Pick<Failure, 'id' | 'taskId' | 'executionId' | 'stream' | 'payloadRef'> & { _etag?: string };

export interface FailureRetryPlan {
  taskId: string;
  /** The execution most of these failures came from (the retry records it). */
  retryOf: string;
  /** Body of the start request: streams to read, and ids where only some records failed. */
  request: { streams?: string[]; ids?: Record<string, string[]> };
  /**
   * The start request's idempotency key, derived from the failures (ids and ETags) this run takes
   * over: a retry request repeated before they are marked plans the same key, so it finds the
   * same execution instead of starting another.
   */
  idempotencyKey: string;
  failureIds: string[];
}

/**
 * Groups failures into retries per task: a failed record is retried by its external id; a failed
 * page (no record id) re-reads its whole stream; a failure with no stream (a start that failed)
 * re-runs every stream of the task. A run names at most MAX_IDS_PER_STREAM ids per stream, so a
 * task with more failed records gets as many runs as that takes (whole streams go in the first).
 * Failures without a task cannot be retried and are left out. The same failures, in any order,
 * give the same plans.
 */
export function planFailureRetry(failures: ReadonlyArray<RetryCandidate>): FailureRetryPlan[] {
  const byTask = new Map<string, RetryCandidate[]>();
  for (const failure of [...failures].sort((a, b) => compare(a.id, b.id))) {
    if (!failure.taskId) continue;
    const group = byTask.get(failure.taskId) ?? [];
    group.push(failure);
    byTask.set(failure.taskId, group);
  }
  return [...byTask.entries()].flatMap(([taskId, group]) =>
    chunksOf(group).map((chunk) => ({
      taskId,
      retryOf: mostCommonExecution(chunk.failures),
      request: chunk.request,
      idempotencyKey: idempotencyKeyOf(chunk.failures),
      failureIds: chunk.failures.map((f) => f.id),
    })),
  );
}

interface Chunk {
  request: FailureRetryPlan['request'];
  failures: RetryCandidate[];
}

/** One task's failures as runs: the first also re-reads whole streams; each names ≤ MAX_IDS_PER_STREAM ids per stream. */
function chunksOf(group: RetryCandidate[]): Chunk[] {
  if (group.some((f) => !f.stream)) return [{ request: {}, failures: group }];
  const wholeStreams = new Set(group.filter((f) => !f.payloadRef?.externalId).map((f) => f.stream!));
  // Per stream, each distinct external id with its position: two failures of one record share a run.
  const idsByStream = new Map<string, Map<string, number>>();
  for (const failure of group) {
    const stream = failure.stream!;
    const externalId = failure.payloadRef?.externalId;
    if (!externalId || wholeStreams.has(stream)) continue;
    const ids = idsByStream.get(stream) ?? new Map<string, number>();
    if (!ids.has(externalId)) ids.set(externalId, ids.size);
    idsByStream.set(stream, ids);
  }
  const chunkOf = (failure: RetryCandidate): number =>
    wholeStreams.has(failure.stream!) ? 0 : Math.floor(idsByStream.get(failure.stream!)!.get(failure.payloadRef!.externalId!)! / MAX_IDS_PER_STREAM);
  const count = Math.max(1, ...[...idsByStream.values()].map((ids) => Math.ceil(ids.size / MAX_IDS_PER_STREAM)));
  return Array.from({ length: count }, (_, index) => {
    const failures = group.filter((f) => chunkOf(f) === index);
    const ids = Object.fromEntries(
      [...idsByStream.entries()]
        .map(([stream, all]) => [stream, [...all.keys()].slice(index * MAX_IDS_PER_STREAM, (index + 1) * MAX_IDS_PER_STREAM)] as const)
        .filter(([, slice]) => slice.length > 0),
    );
    const streams = [...new Set(failures.map((f) => f.stream!))];
    return { request: { streams, ...(Object.keys(ids).length > 0 ? { ids } : {}) }, failures };
  });
}

function mostCommonExecution(failures: RetryCandidate[]): string {
  const counts = new Map<string, number>();
  for (const failure of failures) counts.set(failure.executionId, (counts.get(failure.executionId) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1])[0]![0];
}

function idempotencyKeyOf(failures: RetryCandidate[]): string {
  const hash = createHash('sha256');
  for (const failure of failures) hash.update(`${failure.id}\u0000${failure._etag ?? ''}\u0000`);
  return `retry:${hash.digest('base64url')}`;
}

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
