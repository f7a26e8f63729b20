import type { SyncDeps } from '../syncDeps.js';
import { getExecution } from './executionQueries.js';
import { nextExecutionEvent, type ExecutionEvent, type WatchState } from './executionEventPlan.js';

export interface WatchOptions {
  /** How often the store is read. */
  pollMs: number;
  /** Silence after which a heartbeat goes out (keeps proxies from closing an idle stream). */
  heartbeatMs: number;
  /**
   * The longest a watch lasts: the Functions worker cannot tell a handler that its client left, so
   * an abandoned stream must end on its own. The last event then is a `timeout` the client answers
   * by connecting again.
   */
  maxMs: number;
}

/**
 * The events of one run as it goes. The store is polled (every `pollMs`) rather than notified:
 * runs are advanced by queue functions on any instance, and a read of one document is cheap, so a
 * poll is the simplest thing that sees every change wherever it happened. Ends after the run's
 * final view, or with `timeout` after `maxMs`.
 */
export async function* watchExecution(deps: SyncDeps, tenantId: string, executionId: string, options: WatchOptions): AsyncGenerator<ExecutionEvent | { type: 'timeout'; at: string }> {
  const started = Date.now();
  let state: WatchState = { lastSent: undefined, lastSentAt: started };
  for (;;) {
    const view = await getExecution(deps, tenantId, executionId);
    const next = nextExecutionEvent(state, view, Date.now(), options.heartbeatMs);
    state = next.state;
    if (next.event) yield next.event;
    if (next.event?.type === 'end') return;
    if (Date.now() - started >= options.maxMs) {
      yield { type: 'timeout', at: new Date().toISOString() };
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, options.pollMs));
  }
}
