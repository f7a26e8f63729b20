import { ProviderCallDeferredError } from './providerCallDeferredError.js';

/** The connection's rate limit (or a provider's Retry-After) allows no call yet. */
export class ProviderThrottledError extends ProviderCallDeferredError {
  constructor(connectionId: string, readonly waitMs: number) {
    super(`calls to connection ${connectionId} are throttled for ${waitMs} ms`, connectionId, waitMs);
  }
}
