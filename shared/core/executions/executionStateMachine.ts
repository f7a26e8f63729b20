import type { ExecutionStatus, PauseReason } from '../schemas/execution.js';

/** What can happen to an execution. */
export type ExecutionEvent =
  | { type: 'start' }
  | { type: 'pause'; reason: PauseReason }
  | { type: 'resume' }
  | { type: 'cancel' }
  | { type: 'finish'; outcome: 'success' | 'partial' | 'failed' }
  | { type: 'fail' };

export interface ExecutionState {
  status: ExecutionStatus;
  pauseReason?: PauseReason;
  /** Whether it ever ran: resuming returns to `running` if so, else to `queued`. */
  started: boolean;
}

export type Transition =
  | { ok: true; state: ExecutionState }
  | { ok: false; reason: string };

const refuse = (state: ExecutionState, event: ExecutionEvent): Transition => ({
  ok: false,
  reason: `cannot ${event.type} an execution that is ${state.status}${state.pauseReason ? ` (${state.pauseReason})` : ''}`,
});

/**
 * The execution lifecycle, as data in and data out:
 * queued → running → success | partial | failed | cancelled, with paused (operator, auth,
 * confirmation, quota) reachable from queued and running. Anything else is refused with the reason,
 * which the API returns with a 409.
 */
export function transition(state: ExecutionState, event: ExecutionEvent): Transition {
  const { status } = state;
  switch (event.type) {
    case 'start':
      return status === 'queued' ? { ok: true, state: { status: 'running', started: true } } : refuse(state, event);
    case 'pause':
      return status === 'queued' || status === 'running'
        ? { ok: true, state: { status: 'paused', pauseReason: event.reason, started: state.started } }
        : refuse(state, event);
    case 'resume':
      return status === 'paused'
        ? { ok: true, state: { status: state.started ? 'running' : 'queued', started: state.started } }
        : refuse(state, event);
    case 'cancel':
      return status === 'queued' || status === 'running' || status === 'paused'
        ? { ok: true, state: { status: 'cancelled', started: state.started } }
        : refuse(state, event);
    case 'finish':
      return status === 'running' ? { ok: true, state: { status: event.outcome, started: true } } : refuse(state, event);
    case 'fail':
      return status === 'queued' || status === 'running' || status === 'paused'
        ? { ok: true, state: { status: 'failed', started: state.started } }
        : refuse(state, event);
  }
}
