import { z } from 'zod';
import type { Stored } from '../../ports/store.js';
import { ConflictError } from '../../ports/conflictError.js';
import { ids } from '../../core/ids.js';
import { messageIds } from '../../core/messageIds.js';
import type { WebhookEvent } from '../../core/triggers/webhookEvent.js';
import { webhookDeliveryKind, webhookDeliveryKinds, type WebhookDeliveryDoc } from '../../core/schemas/coordination/webhookDelivery.js';
import type { SyncDeps } from '../syncDeps.js';
import { isWindowOpen, joinOrOpenWindow, type OpenWindow } from './webhookWindows.js';

/**
 * How long a delivery is remembered at least: a provider re-sending it within this time is a
 * replay. One whose signature stays acceptable longer is remembered as long as that.
 */
const DELIVERY_TTL_SECONDS = 24 * 3600;

export const webhookFlushMessage = z.object({
  tenantId: z.string().min(1),
  connectionId: z.string().min(1),
  windowId: z.string().min(1),
});
export type WebhookFlushMessage = z.infer<typeof webhookFlushMessage>;

export type RecordedDelivery = { outcome: 'accepted'; windowId: string; flushAt: string } | { outcome: 'replay' };

/**
 * Records a verified delivery in its coalescing window and asks for the window's flush.
 *
 * Idempotency: the delivery document's id derives from the delivery's replay key, the digest of
 * what its signature covers (create → 409 = replay), and the flush message's id from the
 * window, so the bus keeps one flush per window however many deliveries (or retries of this
 * request) publish it. A replay re-publishes its window's flush —
 * a duplicate the bus drops — so a crash between the create and the publish loses nothing when
 * the provider retries.
 */
export async function recordDelivery(
  deps: SyncDeps,
  tenantId: string,
  connectionId: string,
  event: WebhookEvent,
  windowMs: number,
  signatureLifetimeSeconds: number | undefined,
): Promise<RecordedDelivery> {
  const now = deps.clock.now();
  let window: OpenWindow =
    windowMs === 0
      ? { windowId: ids.immediateWebhookWindow(tenantId, connectionId, event.replayKey), closesAtMs: now.getTime() }
      : await joinOrOpenWindow(deps, tenantId, connectionId, windowMs);
  const doc: WebhookDeliveryDoc = {
    id: ids.webhookDelivery(connectionId, event.replayKey),
    tenantId,
    kind: webhookDeliveryKind,
    connectionId,
    windowId: window.windowId,
    flushAtMs: window.closesAtMs,
    topic: event.topic,
    stream: event.stream,
    externalId: event.externalId,
    ...(event.deleted ? { deleted: true } : {}),
    ...(event.record ? { record: event.record } : {}),
    receivedAt: now.toISOString(),
    ttl: Math.max(DELIVERY_TTL_SECONDS, signatureLifetimeSeconds ?? 0),
  };
  try {
    await deps.store.create('coordination', doc);
  } catch (error) {
    if (!(error instanceof ConflictError)) throw error;
    const seen = await deps.store.read<WebhookDeliveryDoc>('coordination', tenantId, doc.id);
    if (seen) await publishFlush(deps, tenantId, connectionId, { windowId: seen.windowId, closesAtMs: seen.flushAtMs });
    return { outcome: 'replay' };
  }
  // The window's flush may have closed it between our read and our write, and then perhaps not
  // seen this delivery: move it to a new window. At worst the record is synced twice, which
  // changes nothing the second time.
  while (windowMs > 0 && !(await isWindowOpen(deps, tenantId, connectionId, window.windowId))) {
    window = await joinOrOpenWindow(deps, tenantId, connectionId, windowMs);
    await deps.store.upsert('coordination', { ...doc, windowId: window.windowId, flushAtMs: window.closesAtMs });
  }
  await publishFlush(deps, tenantId, connectionId, window);
  return { outcome: 'accepted', windowId: window.windowId, flushAt: new Date(window.closesAtMs).toISOString() };
}

/** One flush message per window (the message id), due when the window closes. */
function publishFlush(deps: SyncDeps, tenantId: string, connectionId: string, window: OpenWindow): Promise<void> {
  const body: WebhookFlushMessage = { tenantId, connectionId, windowId: window.windowId };
  return deps.bus.publish('webhooks', [
    {
      body,
      messageId: messageIds.webhookFlush(window.windowId),
      scheduledEnqueueTime: new Date(window.closesAtMs),
      applicationProperties: { tenantId, connectionId },
    },
  ]);
}

/** Every delivery recorded in a window (usually one page). */
export async function windowDeliveries(deps: SyncDeps, tenantId: string, connectionId: string, windowId: string): Promise<Stored<WebhookDeliveryDoc>[]> {
  const all: Stored<WebhookDeliveryDoc>[] = [];
  let continuationToken: string | undefined;
  do {
    const page = await deps.store.query<WebhookDeliveryDoc>(
      'coordination',
      tenantId,
      {
        filters: [
          { path: 'kind', op: 'in', values: webhookDeliveryKinds },
          { path: 'connectionId', op: '=', value: connectionId },
          { path: 'windowId', op: '=', value: windowId },
        ],
      },
      { maxItems: 1000, ...(continuationToken ? { continuationToken } : {}) },
    );
    all.push(...page.items);
    continuationToken = page.continuationToken;
  } while (continuationToken);
  return all;
}
