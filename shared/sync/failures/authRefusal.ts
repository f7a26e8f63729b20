import type { AuthRefusal } from '../../core/schemas/execution.js';
import { ProviderError } from '../../connectors/providerError.js';
import type { SyncDeps } from '../syncDeps.js';

/**
 * The provider's answer to refused credentials, as the execution it pauses keeps it. The connector
 * boundary has redacted the connection's credentials already (redactingConnector); every other
 * secret the process knows is redacted here, as for stored failures.
 */
export function authRefusalOf(deps: SyncDeps, error: unknown, where: Pick<AuthRefusal, 'stage' | 'stream'>): AuthRefusal {
  const provider = error instanceof ProviderError ? error : undefined;
  const refusal: AuthRefusal = {
    at: deps.clock.now().toISOString(),
    ...where,
    errorClass: error instanceof Error ? error.name : 'Error',
    ...(provider?.status !== undefined ? { httpStatus: provider.status } : {}),
    ...(provider ? { code: provider.code } : {}),
    message: error instanceof Error ? error.message : String(error),
  };
  return deps.redaction.redactValue(refusal);
}
