import { describe, expect, it } from 'vitest';
import { estimateProgress, finalStatus, phaseOf, recentThroughput } from '../../../../shared/core/executions/executionProgress.js';
import { emptyCounts, type Execution, type StreamProgress } from '../../../../shared/core/schemas/execution.js';

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

/** Records a page the runs below ask for: their batch size, within what the provider serves. */
const PAGE_SIZE = 100;

const execution = (streams: StreamProgress[], counts = emptyCounts(), status: Execution['status'] = 'running') => ({
  status,
  streams: Object.fromEntries(streams.map((s) => [s.stream, s])),
  counts,
  startedAt: '2026-01-01T00:00:00.000Z',
});
/** Orders wait for customers: not started, size unknown. */
const waitingOrders = (overrides: Partial<StreamProgress> = {}) =>
  stream({ stream: 'orders', started: 0, totalsKnown: 0, pagesTotal: 0, recordsTotal: 0, pagesFetched: 0, pagesDone: 0, ...overrides });
const tenSecondsIn = new Date('2026-01-01T00:00:10.000Z');

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
    const estimate = estimateProgress(half, PAGE_SIZE, new Date('2026-01-01T00:00:10.000Z'));
    expect(estimate.percent).toBe(50);
    expect(estimate.etaMs).toBe(10_000);
    expect(estimate.total).toBe(1000);
  });

  it('has no ETA before the totals are known', () => {
    const estimate = estimateProgress(execution([stream({ totalsKnown: 0, pagesDone: 0 })]), PAGE_SIZE, new Date('2026-01-01T00:00:10.000Z'));
    expect(estimate).toMatchObject({ percent: 0, etaMs: null, total: null });
  });

  it('shows progress while a later stream waits for its totals, expecting it as large as the streams read so far', () => {
    const run = execution([stream({ pagesFetched: 5, pagesDone: 5 }), waitingOrders()]);
    expect(phaseOf(run)).toBe('fetching');
    // 5 of 10 customer pages, orders expected at 10 pages too.
    expect(estimateProgress(run, PAGE_SIZE, tenSecondsIn)).toMatchObject({ percent: 25, total: null, etaMs: 30_000 });
  });

  it('expects a stream not read yet as large as at the last successful run, or as its id list', () => {
    const customersDone = stream({});
    expect(estimateProgress(execution([customersDone, waitingOrders({ baseline: 3000 })]), PAGE_SIZE, tenSecondsIn).percent).toBe(25);
    const overIds = { ...execution([customersDone, waitingOrders({ baseline: 3000 })]), ids: { orders: Array.from({ length: 150 }, (_, i) => String(i + 1)) } };
    // 10 of 12 pages: the 150 orders asked for take 2 pages of 100.
    expect(estimateProgress(overIds, PAGE_SIZE, tenSecondsIn).percent).toBe(83.3);
  });

  it('gets to 100 only when every page is done', () => {
    const almost = execution([stream({ pagesTotal: 1000, pagesFetched: 999, pagesDone: 999 })]);
    expect(estimateProgress(almost, PAGE_SIZE, tenSecondsIn).percent).toBe(99.9);
  });

  it('keeps the percent a cancelled run reached, and gives no finished run an ETA', () => {
    const cancelled = execution([stream({ pagesFetched: 3, pagesDone: 3 })], emptyCounts(), 'cancelled');
    expect(estimateProgress(cancelled, PAGE_SIZE, tenSecondsIn)).toMatchObject({ percent: 30, etaMs: null });
    for (const status of ['success', 'partial', 'failed'] as const) {
      expect(estimateProgress(execution([stream({})], emptyCounts(), status), PAGE_SIZE, tenSecondsIn)).toMatchObject({ percent: 100, etaMs: null });
    }
  });

  it('has no ETA while the run waits (queued or paused)', () => {
    for (const status of ['queued', 'paused'] as const) {
      const waiting = execution([stream({ pagesFetched: 5, pagesDone: 5 })], emptyCounts(), status);
      expect(estimateProgress(waiting, PAGE_SIZE, tenSecondsIn)).toMatchObject({ percent: 50, etaMs: null });
    }
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
    expect(estimateProgress(half, PAGE_SIZE, new Date('2026-01-01T00:00:10.000Z'), pace).etaMs).toBe(5000);
    expect(recentThroughput(['2026-01-01T00:00:09.000Z', '2026-01-01T00:00:08.000Z'])).toBeUndefined();
  });
});
