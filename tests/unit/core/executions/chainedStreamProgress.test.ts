import { describe, expect, it } from 'vitest';
import { estimateProgress, phaseOf, streamIsDone } from '../../../../shared/core/executions/executionProgress.js';
import { emptyCounts, type StreamProgress } from '../../../../shared/core/schemas/execution.js';

/** A chained stream in the middle of its read: pages done, its totals unknown until its last page. */
const midRead = (overrides: Partial<StreamProgress> = {}): StreamProgress => ({
  stream: 'items',
  schemaId: 's',
  dependsOn: [],
  started: 1,
  baseline: 0,
  totalsKnown: 0,
  pagesTotal: 0,
  recordsTotal: 0,
  pagesFetched: 3,
  pagesDone: 3,
  failedPages: 0,
  failedBatches: 0,
  counts: { ...emptyCounts(), created: 150 },
  ...overrides,
});

const running = (stream: StreamProgress) => ({
  status: 'running' as const,
  streams: { [stream.stream]: stream },
  counts: stream.counts,
  startedAt: '2026-01-01T00:00:00.000Z',
});
const now = new Date('2026-01-01T00:00:10.000Z');

describe('progress of a chained stream (totals known only at its end)', () => {
  it('has no total and a finite percent below 100 while it reads, with nothing to go on', () => {
    const progress = estimateProgress(running(midRead()), 50, now);

    expect(progress.total).toBeNull();
    expect(Number.isFinite(progress.percent)).toBe(true);
    expect(progress.percent).toBeLessThan(100);
    expect(progress.processed).toBe(150);
    expect(phaseOf(running(midRead()))).toBe('fetching');
    expect(streamIsDone(midRead())).toBe(false);
  });

  it('expects the size of the last successful run while it reads', () => {
    const progress = estimateProgress(running(midRead({ baseline: 500 })), 50, now);

    expect(progress.total).toBeNull();
    expect(progress.percent).toBe(30);
    expect(progress.etaMs).toBeGreaterThan(0);
  });

  it('is done once its last page settled the totals and every page is done', () => {
    const ended = midRead({ totalsKnown: 1, pagesTotal: 4, recordsTotal: 180, pagesFetched: 4, pagesDone: 4 });

    expect(streamIsDone(ended)).toBe(true);
    expect(estimateProgress(running(ended), 50, now)).toMatchObject({ total: 180, percent: 100 });
  });
});
