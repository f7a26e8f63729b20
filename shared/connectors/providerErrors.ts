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

const credentialParam = /\b(oauth_[a-z_]+|consumer_key|consumer_secret)=[^&\s#"'<>]*/gi;
const authorizationValue = /\b(authorization"?\s*[:=]\s*"?)(basic|bearer|oauth)\s+[^\s",]+/gi;
// A token must contain a non-lowercase character so prose such as "Basic authentication" survives.
const bareAuthScheme = /\b([Bb]asic|[Bb]earer)\s+(?=[\w+/=.~-]*[A-Z0-9+/=])[\w+/=.~-]{8,}/g;

/**
 * Removes credential query parameters, Authorization values and any `knownSecrets` (exact
 * values, e.g. the consumer secret echoed back in a provider message).
 */
export function redactCredentials(text: string, knownSecrets: readonly string[] = []): string {
  let redacted = text
    .replace(credentialParam, '$1=[redacted]')
    .replace(authorizationValue, '$1$2 [redacted]')
    .replace(bareAuthScheme, '$1 [redacted]');
  for (const secret of knownSecrets) {
    if (secret.length > 0) redacted = redacted.split(secret).join('[redacted]');
  }
  return redacted;
}
