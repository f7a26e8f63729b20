import type { Counts, Execution, ExecutionPhase, StreamProgress } from './schemas/execution.js';
import { TERMINAL_STATUSES } from './schemas/execution.js';

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
  /** 0–100, one decimal. */
  percent: number;
  processed: number;
  /** Records known to exist at the source when the run started; null until every stream's page 1 arrived. */
  total: number | null;
  /** Estimated milliseconds left at the current rate; null when unknown. */
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
 * Progress and ETA from counters and elapsed time: pure, so it can be tested with any clock.
 * With `pagesPerMs` (recentThroughput) the ETA uses the recent pace; else the run's average.
 */
export function estimateProgress(
  execution: Pick<Execution, 'status' | 'streams' | 'counts' | 'startedAt'>,
  now: Date,
  pagesPerMs?: number,
): ProgressEstimate {
  const processed = processedOf(execution.counts);
  const streams = Object.values(execution.streams);
  const totalsKnown = streams.every((s) => s.totalsKnown > 0);
  const total = totalsKnown ? streams.reduce((sum, s) => sum + s.recordsTotal, 0) : null;
  if (TERMINAL_STATUSES.has(execution.status)) return { percent: 100, processed, total, etaMs: 0 };
  const pagesTotal = streams.reduce((sum, s) => sum + s.pagesTotal, 0);
  const pagesDone = streams.reduce((sum, s) => sum + s.pagesDone, 0);
  // Pages measure progress even when records are filtered or fail; records refine it.
  const fraction = totalsKnown && pagesTotal > 0 ? Math.min(1, pagesDone / pagesTotal) : 0;
  const percent = Math.round(fraction * 1000) / 10;
  let etaMs: number | null = null;
  if (pagesPerMs && totalsKnown && fraction < 1) {
    etaMs = Math.max(0, Math.round((pagesTotal - pagesDone) / pagesPerMs));
  } else if (execution.startedAt && fraction > 0 && fraction < 1) {
    const elapsed = now.getTime() - Date.parse(execution.startedAt);
    etaMs = Math.max(0, Math.round((elapsed / fraction) * (1 - fraction)));
  }
  return { percent, processed, total, etaMs };
}
