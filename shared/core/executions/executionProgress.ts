import type { Counts, Execution, ExecutionPhase, StreamProgress } from '../schemas/execution.js';
import { TERMINAL_STATUSES } from '../schemas/execution.js';

const processedOf = (counts: Counts) =>
  counts.created + counts.updated + counts.unchanged + (counts.merged ?? 0) + counts.skipped + counts.failed;

export const streamIsDone = (stream: StreamProgress) => stream.totalsKnown > 0 && stream.pagesDone >= stream.pagesTotal;

export const allStreamsDone = (execution: Pick<Execution, 'streams'>) =>
  Object.values(execution.streams).every(streamIsDone);

/** Streams not yet started whose dependencies within this execution are all done: start them now. */
export function streamsReadyToStart(execution: Pick<Execution, 'streams'>): string[] {
  const streams = execution.streams;
  return Object.values(streams)
    .filter((s) => s.started === 0 && s.dependsOn.every((dependency) => !streams[dependency] || streamIsDone(streams[dependency])))
    .map((s) => s.stream);
}

/** The terminal status an execution whose streams are all done ends in. */
export function finalStatus(execution: Pick<Execution, 'streams' | 'counts'>): 'success' | 'partial' | 'failed' {
  const failedPages = Object.values(execution.streams).reduce((sum, s) => sum + s.failedPages + s.failedBatches, 0);
  if (failedPages === 0 && execution.counts.failed === 0) return 'success';
  const succeeded = processedOf(execution.counts) - execution.counts.failed;
  return succeeded > 0 ? 'partial' : 'failed';
}

export function phaseOf(execution: Pick<Execution, 'status' | 'streams'>): ExecutionPhase {
  if (TERMINAL_STATUSES.has(execution.status)) return 'done';
  if (execution.status === 'queued' || execution.status === 'paused') return execution.status;
  const streams = Object.values(execution.streams);
  // Pages are fetched and saved in parallel; "fetching" until every stream knows its size.
  if (streams.some((s) => s.totalsKnown === 0)) return 'fetching';
  if (streams.some((s) => s.pagesDone < s.pagesTotal)) return 'saving';
  return 'completing';
}

export interface ProgressEstimate {
  /** 0–100, one decimal, rounded down: 100 only once every page is done. */
  percent: number;
  processed: number;
  /** Records known to exist at the source when the run started; null until every stream's page 1 arrived. */
  total: number | null;
  /** Estimated milliseconds left; null when unknown and whenever the run is not running (queued, paused, finished). */
  etaMs: number | null;
}

/**
 * Pages per millisecond over the most recent batches (their completion times, any order): a moving
 * window, so the ETA follows the current pace rather than the whole run's average. Undefined with
 * fewer than three samples.
 */
export function recentThroughput(completedAt: readonly string[]): number | undefined {
  if (completedAt.length < 3) return undefined;
  const times = completedAt.map((at) => Date.parse(at)).sort((a, b) => a - b);
  const span = times[times.length - 1]! - times[0]!;
  return span > 0 ? (times.length - 1) / span : undefined;
}

/**
 * Pages done and pages expected over all streams, `pageSize` records a page. A stream's page 1
 * brings the provider's totals (its page count); a stream not read that far yet is expected to be
 * as large as its id list, else as at the task's last successful run, else as the streams read so
 * far on average, so a run whose later streams wait for earlier ones shows progress from its first
 * page.
 * Undefined while nothing is known of any stream's size.
 */
function pageProgress(execution: Pick<Execution, 'streams' | 'ids'>, pageSize: number): { done: number; expected: number } | undefined {
  const streams = Object.values(execution.streams);
  const known = streams.filter((s) => s.totalsKnown > 0);
  const averageKnown = known.length > 0 ? known.reduce((sum, s) => sum + s.pagesTotal, 0) / known.length : undefined;
  let done = 0;
  let expected = 0;
  for (const stream of streams) {
    done += stream.pagesDone;
    if (stream.totalsKnown > 0) {
      expected += stream.pagesTotal;
      continue;
    }
    const ids = execution.ids?.[stream.stream]?.length;
    const guess = ids !== undefined ? Math.ceil(ids / pageSize) : stream.baseline > 0 ? Math.ceil(stream.baseline / pageSize) : averageKnown;
    if (guess === undefined) return undefined;
    // A batch can be done before page 1's totals are counted: expect at least one page more.
    expected += Math.max(guess, stream.pagesDone + 1);
  }
  return expected > 0 ? { done, expected } : undefined;
}

/**
 * Progress and ETA from counters and elapsed time: pure, so it can be tested with any clock.
 * Percent is pages done of pages expected (see pageProgress); it only falls back when a stream's
 * page 1 shows more pages than were expected of it. A finished run keeps the percent it reached
 * (a cancelled one shows how far it got) and has no ETA. While running, the ETA is the pages left
 * at `pagesPerMs` (recentThroughput) when given, else at the run's average pace so far.
 * `pageSize`: the records per page the run asks its provider for (pageSizeOf).
 */
export function estimateProgress(
  execution: Pick<Execution, 'status' | 'streams' | 'counts' | 'startedAt' | 'ids'>,
  pageSize: number,
  now: Date,
  pagesPerMs?: number,
): ProgressEstimate {
  const processed = processedOf(execution.counts);
  const streams = Object.values(execution.streams);
  const total = streams.every((s) => s.totalsKnown > 0) ? streams.reduce((sum, s) => sum + s.recordsTotal, 0) : null;
  if (execution.status === 'success') return { percent: 100, processed, total, etaMs: null };
  const pages = pageProgress(execution, pageSize);
  const fraction = pages ? Math.min(1, pages.done / pages.expected) : 0;
  const percent = Math.floor(fraction * 1000) / 10;
  let etaMs: number | null = null;
  if (execution.status === 'running' && pages && fraction > 0 && fraction < 1) {
    if (pagesPerMs) {
      etaMs = Math.round((pages.expected - pages.done) / pagesPerMs);
    } else if (execution.startedAt) {
      const elapsed = Math.max(0, now.getTime() - Date.parse(execution.startedAt));
      etaMs = Math.round((elapsed / fraction) * (1 - fraction));
    }
  }
  return { percent, processed, total, etaMs };
}
