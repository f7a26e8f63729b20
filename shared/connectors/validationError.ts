import { ProviderError, type ProviderErrorInit } from './providerError.js';
import { redactCredentials } from './redactCredentials.js';

/** The provider rejected the data (400/422): it needs a person or a mapping fix, not a retry. */
export class ValidationError extends ProviderError {
  /** The provider's own words, without our prefix, for whoever fixes the data. */
  readonly providerMessage: string;
  /** Per-parameter messages when the provider names the offending fields (WordPress `data.params`). */
  readonly fieldErrors: Readonly<Record<string, string>> | undefined;

  constructor(
    init: Omit<ProviderErrorInit, 'retriable' | 'retryAfterMs'> & { providerMessage: string; fieldErrors?: Record<string, string> },
  ) {
    super({ ...init, retriable: false });
    this.providerMessage = redactCredentials(init.providerMessage);
    this.fieldErrors = init.fieldErrors && Object.fromEntries(Object.entries(init.fieldErrors).map(([name, text]) => [name, redactCredentials(text)]));
  }
}
