import { ProviderError } from '../providerError.js';

/**
 * A connection to a tenant-supplied URL was not made because its destination is internal
 * (loopback, private, link-local, metadata…), decided when connecting: the URL passed the check
 * at save, so its name resolves elsewhere now (DNS rebinding) or the policy changed. Permanent:
 * retrying reaches the same address.
 */
export class DestinationRefusedError extends ProviderError {
  constructor(reason: string) {
    super({ code: 'destination_refused', retriable: false, message: `outbound connection refused: ${reason}` });
  }
}
