import type { QueueName } from '../../ports/bus.js';
import type { Execution, ParkedMessage } from '../../core/schemas/execution.js';
import { ids } from '../../core/ids.js';
import { messageIds } from '../../core/messageIds.js';
import type { SyncDeps } from '../syncDeps.js';

/**
 * Pause without losing work: a message of a paused execution is parked as a document and its
 * delivery completed; resume re-sends what was parked. Idempotent: the parked id derives from the
 * message id, and the re-sent message id from the parked one, so a re-send that happens twice is
 * dropped by duplicate detection.
 */
export async function parkMessage(deps: SyncDeps, tenantId: string, executionId: string, queue: QueueName, messageId: string, body: unknown): Promise<void> {
  const parked: ParkedMessage = {
    id: ids.parked(executionId, messageId),
    tenantId,
    kind: 'parked',
    executionId,
    queue,
    messageId,
    body,
    parkedAt: deps.clock.now().toISOString(),
  };
  await deps.store.upsert('executions', parked);
  // Resume may have run between our status read and this write: then nobody else will release it.
  const execution = await deps.store.read<Execution>('executions', tenantId, executionId);
  if (execution && execution.status !== 'paused') await releaseParkedMessages(deps, tenantId, executionId);
}

/** Re-sends every parked message of an execution (resume), or drops them (cancel). */
export async function releaseParkedMessages(deps: SyncDeps, tenantId: string, executionId: string, options: { drop?: boolean } = {}): Promise<number> {
  let released = 0;
  for (;;) {
    const page = await deps.store.query<ParkedMessage>(
      'executions',
      tenantId,
      { filters: [{ path: 'kind', op: '=', value: 'parked' }, { path: 'executionId', op: '=', value: executionId }] },
      { maxItems: 100 },
    );
    if (page.items.length === 0) return released;
    for (const parked of page.items) {
      if (!options.drop) {
        await deps.bus.publish(parked.queue as QueueName, [
          { body: parked.body, messageId: messageIds.released(parked.messageId, Date.parse(parked.parkedAt)), applicationProperties: { tenantId, executionId } },
        ]);
      }
      // Deleted after the re-send: a crash in between re-sends it again, never loses it.
      if (await deps.store.delete('executions', tenantId, parked.id).catch(() => false)) released += 1;
    }
  }
}
