import { describe, expect, it } from 'vitest';
import {
  closedCircuit,
  decide,
  defaultCircuitConfig,
  recordFailure,
  recordSuccess,
  type CircuitState,
} from '../../../../shared/core/operations/circuitBreaker.js';

const config = defaultCircuitConfig; // 5 failures, 30 s

function fail(times: number, state: CircuitState, nowMs: number): CircuitState {
  for (let i = 0; i < times; i++) state = recordFailure(state, config, nowMs);
  return state;
}

describe('circuit breaker', () => {
  it('defaults to 5 consecutive failures and a 30 s cool-down', () => {
    expect(defaultCircuitConfig).toEqual({ failureThreshold: 5, coolDownMs: 30_000 });
  });

  it('stays closed below the threshold and opens at it', () => {
    const four = fail(4, closedCircuit, 1_000);
    expect(four).toEqual({ status: 'closed', consecutiveFailures: 4 });
    expect(decide(four, config, 1_000)).toEqual({ allowed: true, state: four });
    expect(recordFailure(four, config, 2_000)).toEqual({ status: 'open', consecutiveFailures: 5, openedAtMs: 2_000, retryAtMs: 32_000 });
  });

  it('a success resets the count of consecutive failures', () => {
    expect(fail(4, closedCircuit, 0).consecutiveFailures).toBe(4);
    const reset = recordSuccess();
    expect(reset).toEqual({ status: 'closed', consecutiveFailures: 0 });
    expect(fail(4, reset, 0).status).toBe('closed');
  });

  it('refuses while open, with the time left of the cool-down', () => {
    const open = fail(5, closedCircuit, 2_000);
    expect(decide(open, config, 2_000)).toEqual({ allowed: false, retryInMs: 30_000 });
    expect(decide(open, config, 31_999)).toEqual({ allowed: false, retryInMs: 1 });
  });

  it('admits one probe after the cool-down (half-open), then refuses others', () => {
    const open = fail(5, closedCircuit, 2_000);
    const probe = decide(open, config, 32_000);
    expect(probe).toEqual({ allowed: true, state: { status: 'half_open', consecutiveFailures: 5, openedAtMs: 2_000, retryAtMs: 62_000 } });
    const halfOpen = probe.allowed ? probe.state : closedCircuit;
    expect(decide(halfOpen, config, 32_001)).toEqual({ allowed: false, retryInMs: 29_999 });
  });

  it('closes when the probe succeeds, opens again when it fails', () => {
    const halfOpen: CircuitState = { status: 'half_open', consecutiveFailures: 5, openedAtMs: 2_000, retryAtMs: 62_000 };
    expect(recordSuccess()).toEqual(closedCircuit);
    expect(recordFailure(halfOpen, config, 33_000)).toEqual({ status: 'open', consecutiveFailures: 6, openedAtMs: 2_000, retryAtMs: 63_000 });
  });

  it('admits another probe when the first never reports back', () => {
    const halfOpen: CircuitState = { status: 'half_open', consecutiveFailures: 5, openedAtMs: 2_000, retryAtMs: 62_000 };
    expect(decide(halfOpen, config, 62_000)).toMatchObject({ allowed: true, state: { status: 'half_open', retryAtMs: 92_000 } });
  });

  it('a late failure while open does not extend the cool-down', () => {
    const open = fail(5, closedCircuit, 2_000);
    expect(recordFailure(open, config, 10_000)).toEqual({ ...open, consecutiveFailures: 6 });
  });
});
