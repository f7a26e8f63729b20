import { TERMINAL_STATUSES, type ExecutionStatus } from '../../core/schemas/execution.js';
import type { ExecutionView } from '../../core/schemas/answers/executionView.js';

/** What a watcher of a run sends next. */
export type ExecutionEvent =
  | { type: 'execution'; view: ExecutionView }
  | { type: 'heartbeat'; at: string }
  | { type: 'end'; view: ExecutionView };

export interface WatchState {
  /** The last view sent, as compared (see `comparable`); undefined before the first. */
  lastSent: string | undefined;
  /** When anything was last sent (epoch ms): heartbeats fill silences longer than the interval. */
  lastSentAt: number;
}

/**
 * The view without its clock-driven fields: `eta` is now + `etaMs`, and both move with every read
 * even when the run did not, so comparing them would send an event on every poll.
 */
const comparable = (view: ExecutionView): string => JSON.stringify({ ...view, eta: undefined, etaMs: undefined });

/**
 * Pure: what to send after reading `view` at `now`: the view when it changed (the final `end`
 * when the run is over), a heartbeat after `heartbeatMs` of silence, or nothing.
 */
export function nextExecutionEvent(state: WatchState, view: ExecutionView, now: number, heartbeatMs: number): { event: ExecutionEvent | undefined; state: WatchState } {
  if (TERMINAL_STATUSES.has(view.status as ExecutionStatus)) {
    return { event: { type: 'end', view }, state: { lastSent: comparable(view), lastSentAt: now } };
  }
  const seen = comparable(view);
  if (seen !== state.lastSent) return { event: { type: 'execution', view }, state: { lastSent: seen, lastSentAt: now } };
  if (now - state.lastSentAt >= heartbeatMs) {
    return { event: { type: 'heartbeat', at: new Date(now).toISOString() }, state: { ...state, lastSentAt: now } };
  }
  return { event: undefined, state };
}
