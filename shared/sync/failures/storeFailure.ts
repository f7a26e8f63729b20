import type { Failure } from '../../core/schemas/failure.js';
import type { SyncDeps } from '../syncDeps.js';

/**
 * Writes a failure (upsert: its id is deterministic, so a redelivery rewrites the same one). Its
 * message and details may quote a provider's or a handler's error: every credential the process
 * knows is redacted from them first.
 */
export async function storeFailure(deps: SyncDeps, failure: Failure): Promise<void> {
  await deps.store.upsert('failures', deps.redaction.redactValue(failure));
}
