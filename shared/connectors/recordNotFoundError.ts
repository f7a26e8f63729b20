import { ProviderError, type ProviderErrorInit } from './providerError.js';

/** The record does not exist at the provider (deleted there, or never made). */
export class RecordNotFoundError extends ProviderError {
  constructor(init: Omit<ProviderErrorInit, 'retriable' | 'retryAfterMs'>) {
    super({ ...init, retriable: false });
  }
}
