import { ProviderError, type ProviderErrorInit } from './providerError.js';

/** 429: the provider wants fewer calls; retry after its Retry-After, when it sent one. */
export class RateLimitError extends ProviderError {
  constructor(init: Omit<ProviderErrorInit, 'retriable' | 'status'>) {
    super({ ...init, status: 429, retriable: true });
  }
}
