import { PreconditionFailedError } from '../ports/storeErrors.js';
import type { Execution } from '../core/schemas/execution.js';
import type { SyncPageMessage, SyncStartMessage } from '../core/schemas/messages.js';
import type { SyncDeps } from './syncDeps.js';

/**
 * `sync-start`: marks the execution running and asks for page 1 of each stream.
 * Idempotent: a redelivery finds it running and re-publishes the same page-1 message ids,
 * which the bus drops as duplicates (and fetchPage tolerates anyway).
 */
export async function startSync(deps: SyncDeps, message: SyncStartMessage): Promise<void> {
  const { tenantId, executionId } = message;
  for (;;) {
    const execution = await deps.store.read<Execution>('executions', tenantId, executionId);
    if (!execution) {
      deps.log.warn('sync-start for an unknown execution: dropped', { tenantId, executionId });
      return;
    }
    if (execution.status !== 'queued' && execution.status !== 'running') return;
    if (execution.status === 'queued') {
      try {
        await deps.store.replace(
          'executions',
          { ...execution, status: 'running', startedAt: deps.clock.now().toISOString() },
          { ifMatch: execution._etag },
        );
      } catch (error) {
        if (error instanceof PreconditionFailedError) continue;
        throw error;
      }
    }
    const pages = Object.keys(execution.streams).map((stream) => {
      const body: SyncPageMessage = { tenantId, executionId, stream, page: 1 };
      return { body, messageId: `${executionId}:${stream}:p1`, applicationProperties: { tenantId, executionId, stream } };
    });
    await deps.bus.publish('sync-page', pages);
    return;
  }
}
