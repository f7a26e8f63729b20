import type { SourceRecord } from './connector.js';
import { ProviderError, type ProviderErrorInit } from './providerError.js';

/**
 * A write was refused because the record changed at the provider since it was read: a 409/412,
 * or a failed modified-since check. Sending the same write again fails again; read, resolve and
 * write anew.
 */
export class WriteConflictError extends ProviderError {
  /** The provider's record as it is now, when it sent it or it could be fetched. */
  readonly current: SourceRecord | undefined;

  constructor(init: Omit<ProviderErrorInit, 'retriable' | 'retryAfterMs'> & { current?: SourceRecord }) {
    super({ ...init, retriable: false });
    this.current = init.current;
  }
}
