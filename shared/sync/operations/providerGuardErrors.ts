/**
 * A guarded provider call that was not made: the caller reschedules its message `delayMs` later
 * instead of holding a worker asleep.
 */
export abstract class ProviderCallDeferredError extends Error {
  constructor(message: string, readonly connectionId: string, readonly delayMs: number) {
    super(message);
    this.name = new.target.name;
  }
}

/** The connection's rate limit (or a provider's Retry-After) allows no call yet. */
export class ProviderThrottledError extends ProviderCallDeferredError {
  constructor(connectionId: string, readonly waitMs: number) {
    super(`calls to connection ${connectionId} are throttled for ${waitMs} ms`, connectionId, waitMs);
  }
}

/** The provider failed repeatedly; calls are refused until the cool-down ends. */
export class CircuitOpenError extends ProviderCallDeferredError {
  constructor(connectionId: string, readonly retryInMs: number) {
    super(`the circuit of connection ${connectionId} is open; next try in ${retryInMs} ms`, connectionId, retryInMs);
  }
}
