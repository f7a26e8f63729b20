import { describe, expect, it } from 'vitest';
import { estimateProgress, finalStatus, phaseOf, recentThroughput } from '../../../shared/core/executionProgress.js';
import { emptyCounts, type Execution, type StreamProgress } from '../../../shared/core/schemas/execution.js';

const stream = (overrides: Partial<StreamProgress>): StreamProgress => ({
  stream: 'customers',
  schemaId: 's',
  dependsOn: [],
  started: 1,
  baseline: 0,
  totalsKnown: 1,
  pagesTotal: 10,
  recordsTotal: 1000,
  pagesFetched: 10,
  pagesDone: 10,
  failedPages: 0,
  failedBatches: 0,
  counts: emptyCounts(),
  ...overrides,
});

const execution = (streams: StreamProgress[], counts = emptyCounts(), status: Execution['status'] = 'running') => ({
  status,
  streams: Object.fromEntries(streams.map((s) => [s.stream, s])),
  counts,
  startedAt: '2026-01-01T00:00:00.000Z',
});

describe('execution progress', () => {
  it('is fetching until every stream knows its totals, then saving until every page is done', () => {
    expect(phaseOf(execution([stream({ totalsKnown: 0, pagesTotal: 0 })]))).toBe('fetching');
    expect(phaseOf(execution([stream({}), stream({ stream: 'orders', totalsKnown: 0, pagesTotal: 0 })]))).toBe('fetching');
    expect(phaseOf(execution([stream({ pagesFetched: 4, pagesDone: 2 })]))).toBe('saving');
    expect(phaseOf(execution([stream({})]))).toBe('completing');
    expect(phaseOf(execution([stream({})], emptyCounts(), 'success'))).toBe('done');
  });

  it('estimates percent and ETA from pages done and elapsed time', () => {
    const half = execution([stream({ pagesFetched: 10, pagesDone: 5 })]);
    const estimate = estimateProgress(half, new Date('2026-01-01T00:00:10.000Z'));
    expect(estimate.percent).toBe(50);
    expect(estimate.etaMs).toBe(10_000);
    expect(estimate.total).toBe(1000);
  });

  it('has no ETA before the totals are known', () => {
    const estimate = estimateProgress(execution([stream({ totalsKnown: 0, pagesDone: 0 })]), new Date('2026-01-01T00:00:10.000Z'));
    expect(estimate).toMatchObject({ percent: 0, etaMs: null, total: null });
  });

  it('ends in success, partial or failed depending on what failed', () => {
    const ok = { ...emptyCounts(), created: 10 };
    expect(finalStatus(execution([stream({})], ok))).toBe('success');
    expect(finalStatus(execution([stream({})], { ...ok, failed: 1 }))).toBe('partial');
    expect(finalStatus(execution([stream({ failedPages: 1 })], ok))).toBe('partial');
    expect(finalStatus(execution([stream({ failedPages: 1 })], emptyCounts()))).toBe('failed');
    expect(finalStatus(execution([stream({})], { ...emptyCounts(), failed: 3 }))).toBe('failed');
  });

  it('estimates the ETA from the recent pace when batch times are known', () => {
    const half = execution([stream({ pagesFetched: 10, pagesDone: 5 })]);
    const pace = recentThroughput(['2026-01-01T00:00:09.000Z', '2026-01-01T00:00:07.000Z', '2026-01-01T00:00:08.000Z']);
    expect(pace).toBe(2 / 2000);
    // 5 pages left at 1 page per second, although the run's average was 2 s per page.
    expect(estimateProgress(half, new Date('2026-01-01T00:00:10.000Z'), pace).etaMs).toBe(5000);
    expect(recentThroughput(['2026-01-01T00:00:09.000Z', '2026-01-01T00:00:08.000Z'])).toBeUndefined();
  });
});
