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
});
