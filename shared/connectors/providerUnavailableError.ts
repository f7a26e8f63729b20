import { ProviderError, type ProviderErrorInit } from './providerError.js';

/** Network failure, timeout or 5xx: the provider may well answer a little later. */
export class ProviderUnavailableError extends ProviderError {
  constructor(init: Omit<ProviderErrorInit, 'retriable'>) {
    super({ ...init, retriable: true });
  }
}
