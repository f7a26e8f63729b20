import { ProviderCallDeferredError } from './providerCallDeferredError.js';

/** The provider failed repeatedly; calls are refused until the cool-down ends. */
export class CircuitOpenError extends ProviderCallDeferredError {
  constructor(connectionId: string, readonly retryInMs: number) {
    super(`the circuit of connection ${connectionId} is open; next try in ${retryInMs} ms`, connectionId, retryInMs);
  }
}
