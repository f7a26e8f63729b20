import { describe, expect, it } from 'vitest';
import { transition, type ExecutionEvent, type ExecutionState } from '../../../../shared/core/executions/executionStateMachine.js';

const state = (status: ExecutionState['status'], started = status !== 'queued'): ExecutionState => ({ status, started });

describe('execution state machine', () => {
  it('runs queued → running → a terminal status', () => {
    expect(transition(state('queued'), { type: 'start' })).toEqual({ ok: true, state: { status: 'running', started: true } });
    for (const outcome of ['success', 'partial', 'failed'] as const) {
      expect(transition(state('running'), { type: 'finish', outcome })).toMatchObject({ ok: true, state: { status: outcome } });
    }
  });

  it('pauses with a reason and resumes to where it was', () => {
    const paused = transition(state('running'), { type: 'pause', reason: 'auth' });
    expect(paused).toEqual({ ok: true, state: { status: 'paused', pauseReason: 'auth', started: true } });
    expect(transition(state('queued'), { type: 'pause', reason: 'operator' })).toMatchObject({ state: { status: 'paused', started: false } });
    expect(transition({ status: 'paused', started: true }, { type: 'resume' })).toMatchObject({ state: { status: 'running' } });
    expect(transition({ status: 'paused', started: false }, { type: 'resume' })).toMatchObject({ state: { status: 'queued' } });
  });

  it('cancels anything not finished', () => {
    for (const status of ['queued', 'running', 'paused'] as const) {
      expect(transition(state(status), { type: 'cancel' })).toMatchObject({ ok: true, state: { status: 'cancelled' } });
    }
  });

  it('refuses illegal transitions with a reason', () => {
    const illegal: Array<[ExecutionState, ExecutionEvent]> = [
      [state('success'), { type: 'pause', reason: 'operator' }],
      [state('running'), { type: 'resume' }],
      [state('cancelled'), { type: 'cancel' }],
      [state('running'), { type: 'start' }],
      [state('paused'), { type: 'finish', outcome: 'success' }],
      [state('failed'), { type: 'fail' }],
      [{ status: 'paused', pauseReason: 'operator', started: true }, { type: 'pause', reason: 'auth' }],
    ];
    for (const [from, event] of illegal) {
      const result = transition(from, event);
      expect(result.ok, `${from.status} + ${event.type}`).toBe(false);
      if (!result.ok) expect(result.reason).toContain(`cannot ${event.type} an execution that is ${from.status}`);
    }
  });
});
