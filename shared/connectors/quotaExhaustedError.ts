import { ProviderError, type ProviderErrorInit } from './providerError.js';

/**
 * The provider's quota for a period (a day) is spent: retrying before it resets cannot help, and
 * nothing is wrong with the run, so the engine pauses it (reason `quota`) instead of failing it.
 */
export class QuotaExhaustedError extends ProviderError {
  /** When the provider said the quota comes back (ISO), if it said. */
  readonly resetAt: string | undefined;

  constructor(init: Omit<ProviderErrorInit, 'retriable' | 'retryAfterMs'> & { resetAt?: string }) {
    const { resetAt, ...rest } = init;
    super({ ...rest, retriable: false });
    this.resetAt = resetAt;
  }
}
