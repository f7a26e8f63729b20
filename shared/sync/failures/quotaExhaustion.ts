import type { QuotaExhaustion } from '../../core/schemas/execution.js';
import { ProviderError } from '../../connectors/providerError.js';
import { QuotaExhaustedError } from '../../connectors/quotaExhaustedError.js';
import type { SyncDeps } from '../syncDeps.js';

/**
 * The provider's answer when its quota ran out, as the execution it pauses keeps it; redacted
 * like an auth refusal (authRefusal.ts), since providers echo requests back in their messages.
 */
export function quotaExhaustionOf(deps: SyncDeps, error: unknown, stream: string): QuotaExhaustion {
  const exhaustion: QuotaExhaustion = {
    at: deps.clock.now().toISOString(),
    stream,
    ...(error instanceof ProviderError ? { code: error.code } : {}),
    message: error instanceof Error ? error.message : String(error),
    ...(error instanceof QuotaExhaustedError && error.resetAt !== undefined ? { resetAt: error.resetAt } : {}),
  };
  return deps.redaction.redactValue(exhaustion);
}
