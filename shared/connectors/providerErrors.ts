import type { SourceRecord } from './connector.js';
import { createRedactor } from '../core/security/redaction.js';

/**
 * Typed failures of a provider call. The sync engine decides on retries and on pausing a
 * connection from the class and `retriable`, never from message text. Messages are redacted at
 * construction so nothing downstream (logs, stored execution errors) can leak credentials.
 */
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

/** 401/403: retrying cannot help until someone fixes the credentials. */
export class AuthError extends ProviderError {
  constructor(init: Omit<ProviderErrorInit, 'retriable' | 'retryAfterMs'>) {
    super({ ...init, retriable: false });
  }
}

export class RateLimitError extends ProviderError {
  constructor(init: Omit<ProviderErrorInit, 'retriable' | 'status'>) {
    super({ ...init, status: 429, retriable: true });
  }
}

/** Network failure, timeout or 5xx: the provider may well answer a little later. */
export class ProviderUnavailableError extends ProviderError {
  constructor(init: Omit<ProviderErrorInit, 'retriable'>) {
    super({ ...init, retriable: true });
  }
}

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

/** The record does not exist at the provider (deleted there, or never made). */
export class RecordNotFoundError extends ProviderError {
  constructor(init: Omit<ProviderErrorInit, 'retriable' | 'retryAfterMs'>) {
    super({ ...init, retriable: false });
  }
}

/**
 * A create failed after it may have reached the provider (timeout, 5xx, a cut-off answer), so the
 * record may exist now. Still recoverable, but re-sending blindly can make a duplicate.
 */
export class WriteOutcomeUnknownError extends ProviderUnavailableError {}

const credentialParam = /\b(oauth_[a-z_]+|consumer_key|consumer_secret)=[^&\s#"'<>]*/gi;
const authorizationValue = /\b(authorization"?\s*[:=]\s*"?)(basic|bearer|oauth)\s+[^\s",]+/gi;
// A token must contain a non-lowercase character so prose such as "Basic authentication" survives.
const bareAuthScheme = /\b([Bb]asic|[Bb]earer)\s+(?=[\w+/=.~-]*[A-Z0-9+/=])[\w+/=.~-]{8,}/g;

/**
 * Removes credential query parameters, Authorization values and any `knownSecrets` in every form
 * they may be echoed in (raw, URL-encoded, JSON-escaped, base64, case-changed: see
 * core/security/redaction.ts), e.g. the consumer secret echoed back in a provider message.
 */
export function redactCredentials(text: string, knownSecrets: readonly string[] = []): string {
  return createRedactor(knownSecrets).redact(
    text
      .replace(credentialParam, '$1=[redacted]')
      .replace(authorizationValue, '$1$2 [redacted]')
      .replace(bareAuthScheme, '$1 [redacted]'),
  );
}
