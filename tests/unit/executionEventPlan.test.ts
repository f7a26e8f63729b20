import { describe, expect, it } from 'vitest';
import { nextExecutionEvent, type WatchState } from '../../shared/sync/executions/executionEventPlan.js';
import type { ExecutionView } from '../../shared/core/schemas/answers/executionView.js';

const view = (status: string, percent: number | null, etaMs: number | null = null) =>
  ({ id: 'exe_1', status, percent, etaMs, eta: etaMs === null ? null : new Date(etaMs).toISOString() }) as unknown as ExecutionView;

describe('what a watcher of a run sends next', () => {
  const start: WatchState = { lastSent: undefined, lastSentAt: 0 };

  it('sends the first view, then only views that changed — not the ETA moving with the clock', () => {
    const first = nextExecutionEvent(start, view('running', 10, 5_000), 100, 15_000);
    expect(first.event).toEqual({ type: 'execution', view: view('running', 10, 5_000) });
    const sameButEta = nextExecutionEvent(first.state, view('running', 10, 4_500), 600, 15_000);
    expect(sameButEta.event).toBeUndefined();
    const moved = nextExecutionEvent(sameButEta.state, view('running', 20, 4_000), 1_100, 15_000);
    expect(moved.event).toMatchObject({ type: 'execution', view: { percent: 20 } });
  });

  it('fills a silence with a heartbeat, and ends with the final view', () => {
    const first = nextExecutionEvent(start, view('running', 10), 0, 15_000);
    expect(nextExecutionEvent(first.state, view('running', 10), 14_999, 15_000).event).toBeUndefined();
    const beat = nextExecutionEvent(first.state, view('running', 10), 15_000, 15_000);
    expect(beat.event).toEqual({ type: 'heartbeat', at: new Date(15_000).toISOString() });
    expect(nextExecutionEvent(beat.state, view('running', 10), 20_000, 15_000).event).toBeUndefined();
    for (const status of ['success', 'partial', 'failed', 'cancelled']) {
      expect(nextExecutionEvent(first.state, view(status, 100), 1, 15_000).event).toEqual({ type: 'end', view: view(status, 100) });
    }
    expect(nextExecutionEvent(first.state, view('paused', 10), 1, 15_000).event?.type).toBe('execution');
  });
});
