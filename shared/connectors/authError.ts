import { ProviderError, type ProviderErrorInit } from './providerError.js';

/** 401/403: retrying cannot help until someone fixes the credentials. */
export class AuthError extends ProviderError {
  constructor(init: Omit<ProviderErrorInit, 'retriable' | 'retryAfterMs'>) {
    super({ ...init, retriable: false });
  }
}
