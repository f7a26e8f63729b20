import { ProviderError } from './providerError.js';

/**
 * The provider can no longer read changes from the stored incremental state (a sync token too
 * old, a change feed past its look-back): the engine reads the stream in full instead and the
 * execution view says `reason: "state_expired"`. Not retriable: the same state fails the same way.
 */
export class IncrementalStateExpiredError extends ProviderError {
  constructor(init: { status?: number; code: string; message: string }) {
    super({ ...init, retriable: false });
  }
}
