import { redactCredentials } from './redactCredentials.js';

/** What every provider error carries. */
export interface ProviderErrorInit {
  /** HTTP status; undefined when no response arrived (network, TLS, timeout). */
  status?: number;
  /** The provider's error code (e.g. `woocommerce_rest_invalid_id`) or a transport code. */
  code: string;
  message: string;
  retriable: boolean;
  /** Server-requested wait before retrying (Retry-After), when it sent one. */
  retryAfterMs?: number;
}

/**
 * Typed failures of a provider call. The sync engine decides on retries and on pausing a
 * connection from the class and `retriable`, never from message text. Messages are redacted at
 * construction so nothing downstream (logs, stored execution errors) can leak credentials.
 */
export class ProviderError extends Error {
  readonly status: number | undefined;
  readonly code: string;
  readonly retriable: boolean;
  readonly retryAfterMs: number | undefined;

  constructor(init: ProviderErrorInit) {
    super(redactCredentials(init.message));
    this.name = new.target.name;
    this.status = init.status;
    this.code = init.code;
    this.retriable = init.retriable;
    this.retryAfterMs = init.retryAfterMs;
  }
}
