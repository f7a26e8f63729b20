import { describe, expect, it } from 'vitest';
import { coalescedRuns, decideWindow, MAX_IDS_PER_RUN } from '../../../../shared/core/triggers/webhookCoalescing.js';

describe('decideWindow', () => {
  it('joins an open window until it closes, then opens one starting at the delivery', () => {
    const open = { windowId: 'w1', closesAtMs: 2_000 };
    expect(decideWindow(undefined, 1_000, 500)).toEqual({ kind: 'open', closesAtMs: 1_500 });
    expect(decideWindow(open, 1_999, 500)).toEqual({ kind: 'join', windowId: 'w1', closesAtMs: 2_000 });
    expect(decideWindow(open, 2_000, 500)).toEqual({ kind: 'open', closesAtMs: 2_500 });
    expect(decideWindow({ ...open, closed: true }, 1_000, 500)).toEqual({ kind: 'open', closesAtMs: 1_500 });
  });
});

describe('coalescedRuns', () => {
  it('one run with the task\'s streams\' ids, de-duplicated and sorted', () => {
    const deliveries = [
      { stream: 'customers', externalId: '10' },
      { stream: 'customers', externalId: '2' },
      { stream: 'customers', externalId: '10' },
      { stream: 'orders', externalId: '5' },
      { stream: 'coupons', externalId: '1' },
    ];
    expect(coalescedRuns(deliveries, ['customers', 'orders'])).toEqual([{ streams: ['customers', 'orders'], ids: { customers: ['2', '10'], orders: ['5'] } }]);
    expect(coalescedRuns(deliveries, ['products'])).toEqual([]);
  });

  it('splits more ids than one execution takes into several runs', () => {
    const deliveries = Array.from({ length: MAX_IDS_PER_RUN + 1 }, (_, i) => ({ stream: 'customers', externalId: String(i + 1) }));
    const runs = coalescedRuns([...deliveries, { stream: 'orders', externalId: '1' }], ['customers', 'orders']);
    expect(runs.map((run) => Object.fromEntries(Object.entries(run.ids).map(([s, ids]) => [s, ids.length])))).toEqual([
      { customers: MAX_IDS_PER_RUN, orders: 1 },
      { customers: 1 },
    ]);
    expect(runs[1]).toMatchObject({ streams: ['customers'], ids: { customers: [String(MAX_IDS_PER_RUN + 1)] } });
  });

  it('names reported deletes in deletedIds, sorted, and keeps them in ids so the run reads them', () => {
    const deliveries = [
      { stream: 'customers', externalId: '10', deleted: true },
      { stream: 'customers', externalId: '3' },
      { stream: 'customers', externalId: '2', deleted: true },
      { stream: 'orders', externalId: '5' },
    ];
    expect(coalescedRuns(deliveries, ['customers', 'orders'])).toEqual([
      { streams: ['customers', 'orders'], ids: { customers: ['2', '3', '10'], orders: ['5'] }, deletedIds: { customers: ['2', '10'] } },
    ]);
  });

  it('names as delivered the streams whose every delivery carried its record, and no stream with a delete or a bare id', () => {
    const runs = coalescedRuns(
      [
        { stream: 'customers', externalId: '1', carriesRecord: true },
        { stream: 'customers', externalId: '2', carriesRecord: true },
        { stream: 'orders', externalId: '5', carriesRecord: true },
        { stream: 'orders', externalId: '6' },
        { stream: 'products', externalId: '8', carriesRecord: true },
        { stream: 'products', externalId: '9', deleted: true },
      ],
      ['customers', 'orders', 'products'],
    );
    expect(runs).toHaveLength(1);
    expect(runs[0]!.delivered).toEqual(['customers']);
    expect(coalescedRuns([{ stream: 'orders', externalId: '6' }], ['orders'])[0]).not.toHaveProperty('delivered');
  });

  it('a record both updated and deleted within the window is a reported delete, once', () => {
    const runs = coalescedRuns(
      [
        { stream: 'customers', externalId: '4' },
        { stream: 'customers', externalId: '4', deleted: true },
      ],
      ['customers'],
    );
    expect(runs).toEqual([{ streams: ['customers'], ids: { customers: ['4'] }, deletedIds: { customers: ['4'] } }]);
  });

  it('no deletedIds when nothing was reported deleted, or only in streams the task does not sync', () => {
    const runs = coalescedRuns(
      [
        { stream: 'customers', externalId: '1' },
        { stream: 'orders', externalId: '9', deleted: true },
      ],
      ['customers'],
    );
    expect(runs).toHaveLength(1);
    expect(runs[0]).toEqual({ streams: ['customers'], ids: { customers: ['1'] } });
    expect(runs[0]).not.toHaveProperty('deletedIds');
  });

  it('splits reported deletes across runs with their ids: each run names only deletes among its own ids', () => {
    const last = MAX_IDS_PER_RUN + 1;
    const deliveries = Array.from({ length: last }, (_, i) => ({ stream: 'customers', externalId: String(i + 1), deleted: i === 0 || i + 1 === last }));
    const runs = coalescedRuns([...deliveries, { stream: 'orders', externalId: '1', deleted: true }], ['customers', 'orders']);
    expect(runs).toHaveLength(2);
    expect(runs[0]!.deletedIds).toEqual({ customers: ['1'], orders: ['1'] });
    expect(runs[1]).toEqual({ streams: ['customers'], ids: { customers: [String(last)] }, deletedIds: { customers: [String(last)] } });
    for (const run of runs) {
      const entries = Object.entries(run.deletedIds ?? {});
      expect(entries.length).toBeGreaterThan(0);
      for (const [stream, deleted] of entries) for (const id of deleted) expect(run.ids[stream]).toContain(id);
    }
  });
});
