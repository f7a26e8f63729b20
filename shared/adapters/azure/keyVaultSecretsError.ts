/** What an adapter call was doing when Key Vault failed. */
export type KeyVaultOperation = 'get' | 'set' | 'delete';

/**
 * A Key Vault failure that is safe to log: it names the secret and the HTTP status and code, but
 * keeps neither the SDK error's message nor the error itself as `cause`, because those carry the
 * request (a `set`'s body is the value) or the response text (a `get`'s body is the value).
 */
export class KeyVaultSecretsError extends Error {
  override readonly name = 'KeyVaultSecretsError';

  constructor(
    readonly operation: KeyVaultOperation,
    readonly secretName: string,
    readonly statusCode: number | undefined,
    readonly code: string | undefined,
    detail: string,
  ) {
    super(`Key Vault ${operation} of secret "${secretName}" failed: ${detail}`);
  }
}

/** Azure Identity errors come from getting a token, before any secret is involved: their text helps and is safe. */
const CREDENTIAL_ERRORS = new Set([
  'CredentialUnavailableError',
  'AuthenticationError',
  'AggregateAuthenticationError',
  'AuthenticationRequiredError',
]);

/** Translates whatever the SDK threw into a KeyVaultSecretsError without any value-bearing text. */
export function toKeyVaultSecretsError(operation: KeyVaultOperation, secretName: string, error: unknown): KeyVaultSecretsError {
  const { name, statusCode, code } = (typeof error === 'object' && error !== null ? error : {}) as Record<string, unknown>;
  const status = typeof statusCode === 'number' ? statusCode : undefined;
  // Key Vault codes are identifiers (SecretNotFound, Forbidden); anything else is not one.
  const safeCode = typeof code === 'string' && /^[A-Za-z_]{1,64}$/.test(code) ? code : undefined;
  const errorName = typeof name === 'string' ? name : 'unknown error';
  const detail =
    CREDENTIAL_ERRORS.has(errorName) && error instanceof Error
      ? `${errorName}: ${error.message}`
      : [status === undefined ? 'no HTTP status' : `HTTP ${status}`, safeCode, `(${errorName})`].filter(Boolean).join(' ');
  return new KeyVaultSecretsError(operation, secretName, status, safeCode, detail);
}
