/**
 * Circuit breaker: after `failureThreshold` consecutive failures the circuit opens and calls are
 * refused for `coolDownMs`; then one probe is let through (half-open). Its success closes the
 * circuit, its failure opens it again. Pure: the caller keeps the state and passes the time.
 */
export type CircuitStatus = 'closed' | 'open' | 'half_open';

export interface CircuitState {
  status: CircuitStatus;
  consecutiveFailures: number;
  /** When the circuit last went from closed to open. */
  openedAtMs?: number;
  /**
   * Open: when the probe may go. Half-open: when another probe may go, should the admitted one
   * never report back (its worker crashed).
   */
  retryAtMs?: number;
}

export interface CircuitConfig {
  failureThreshold: number;
  coolDownMs: number;
}

export const defaultCircuitConfig: CircuitConfig = { failureThreshold: 5, coolDownMs: 30_000 };

export const closedCircuit: CircuitState = { status: 'closed', consecutiveFailures: 0 };

export type CircuitDecision = { allowed: true; state: CircuitState } | { allowed: false; retryInMs: number };

/** Whether a call may go now; admitting the probe moves the circuit to half-open. */
export function decide(state: CircuitState, config: CircuitConfig, nowMs: number): CircuitDecision {
  if (state.status === 'closed') return { allowed: true, state };
  const retryAtMs = state.retryAtMs ?? nowMs;
  if (nowMs < retryAtMs) return { allowed: false, retryInMs: retryAtMs - nowMs };
  return { allowed: true, state: { ...state, status: 'half_open', retryAtMs: nowMs + config.coolDownMs } };
}

/** The provider answered: whatever the state, it is up again. */
export function recordSuccess(): CircuitState {
  return closedCircuit;
}

export function recordFailure(state: CircuitState, config: CircuitConfig, nowMs: number): CircuitState {
  const consecutiveFailures = state.consecutiveFailures + 1;
  switch (state.status) {
    case 'closed':
      return consecutiveFailures >= config.failureThreshold
        ? { status: 'open', consecutiveFailures, openedAtMs: nowMs, retryAtMs: nowMs + config.coolDownMs }
        : { status: 'closed', consecutiveFailures };
    case 'half_open':
      return { ...state, status: 'open', consecutiveFailures, retryAtMs: nowMs + config.coolDownMs };
    case 'open':
      // A call admitted before the circuit opened failed late: the cool-down already runs.
      return { ...state, consecutiveFailures };
  }
}
