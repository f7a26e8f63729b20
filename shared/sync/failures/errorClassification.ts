import type { ErrorClass } from '../../core/retry/retryDecision.js';
import { AuthError } from '../../connectors/authError.js';
import { ProviderError } from '../../connectors/providerError.js';
import { QuotaExhaustedError } from '../../connectors/quotaExhaustedError.js';
import { ProviderCallDeferredError } from '../operations/providerCallDeferredError.js';
import { CredentialsMissingError } from '../credentialsMissingError.js';

/**
 * Sorts a provider call's error for the retry decision: recoverable (network, timeout, 429, 5xx,
 * our throttle or open circuit), auth (credentials refused or gone), quota (the provider's quota
 * for the period is spent), or permanent (other 4xx,
 * invalid responses). Anything else is not a provider error — a bug or the store failing — and
 * returns undefined: the message is then abandoned and redelivered by the bus.
 */
export function classifyProviderError(error: unknown): ErrorClass | undefined {
  if (error instanceof ProviderCallDeferredError) return { kind: 'recoverable', name: error.name, retryAfterMs: error.delayMs };
  if (error instanceof AuthError || error instanceof CredentialsMissingError) return { kind: 'auth', name: error.name };
  if (error instanceof QuotaExhaustedError) return { kind: 'quota', name: error.name };
  if (error instanceof ProviderError) {
    return error.retriable
      ? { kind: 'recoverable', name: error.name, ...(error.retryAfterMs === undefined ? {} : { retryAfterMs: error.retryAfterMs }) }
      : { kind: 'permanent', name: error.name };
  }
  return undefined;
}
