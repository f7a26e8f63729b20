import type { ErrorClass, RetryPolicy } from '../core/retry/retryDecision.js';
import { ProviderError } from './providerError.js';

/**
 * How a connector retries one call before the error reaches its caller: four tries in all, and a
 * Retry-After over a minute is not slept through inside the call, so the caller can reschedule
 * instead of holding a worker.
 */
export const defaultRetryPolicy: RetryPolicy = {
  maxRetries: 3,
  baseDelayMs: 250,
  maxDelayMs: 5_000,
  maxRetryAfterMs: 60_000,
};

/** A call's error as the retry decision sees it: only a retriable provider error is worth another try. */
export function retryClassOf(error: unknown): ErrorClass {
  if (!(error instanceof ProviderError)) return { kind: 'permanent', name: error instanceof Error ? error.name : 'unknown' };
  if (!error.retriable) return { kind: 'permanent', name: error.name };
  return { kind: 'recoverable', name: error.name, ...(error.retryAfterMs === undefined ? {} : { retryAfterMs: error.retryAfterMs }) };
}
