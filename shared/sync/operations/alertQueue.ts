import { z } from 'zod';
import { ALERT_TYPES, type AlertEvent } from '../../core/operations/alertPayload.js';
import { messageIds } from '../../core/messageIds.js';
import { decideRetry, type ErrorClass } from '../../core/retry/retryDecision.js';
import type { SyncDeps } from '../syncDeps.js';
import { sendAlert } from './sendAlert.js';
import type { Tenant } from '../../core/schemas/tenant.js';

const MAX_ALERT_RETRIES = 6;
const ALERT_RETRY = { baseDelayMs: 5_000, maxDelayMs: 300_000, maxRetries: MAX_ALERT_RETRIES };

export const alertMessage = z.object({
  event: z.object({ type: z.enum(ALERT_TYPES), tenantId: z.string().min(1), occurredAt: z.string().min(1) }).passthrough(),
  attempt: z.number().int().min(0).default(0),
});
export type AlertMessage = z.infer<typeof alertMessage>;

/**
 * Queues a notification for the tenant's alert URL. Sending happens on the `alerts` queue so a
 * slow or failing receiver never holds up a sync; the message id derives from the event, so the
 * same occurrence is queued once.
 */
export async function queueAlert(deps: SyncDeps, event: AlertEvent): Promise<void> {
  const tenant = await deps.store.read<Tenant>('tenants', event.tenantId, event.tenantId);
  if (!tenant?.settings.alerts) return;
  // The reason may quote the provider's error: no credential it echoed leaves in an alert.
  await deps.bus.publish('alerts', [
    { body: { event: deps.redaction.redactValue(event), attempt: 0 }, messageId: messageIds.alert(event), applicationProperties: { tenantId: event.tenantId } },
  ]);
}

/**
 * `alerts`: one delivery attempt; a receiver that is down or asks to slow down (network error,
 * timeout, 429, 5xx) gets the alert again later by a scheduled message, with back-off — never by
 * sleeping here. A refusal (other 4xx) is final.
 */
export async function deliverAlert(deps: SyncDeps, message: AlertMessage): Promise<void> {
  const event = message.event as AlertEvent;
  const delivery = await sendAlert(deps, event, { maxAttempts: 1 });
  if (delivery.delivered || delivery.attempts === 0) return;
  const status = delivery.status;
  const error: ErrorClass =
    status === undefined || status === 429 || status >= 500 ? { kind: 'recoverable', name: `http_${status ?? 'none'}` } : { kind: 'permanent', name: `http_${status}` };
  const outcome = decideRetry(error, message.attempt, ALERT_RETRY, deps.random);
  if (outcome.kind !== 'retry') {
    deps.log.warn('alert not delivered; giving up', { tenantId: event.tenantId, type: event.type, attempts: message.attempt + 1, status });
    return;
  }
  await deps.bus.publish('alerts', [
    {
      body: { event, attempt: outcome.attempt },
      messageId: messageIds.alertRetry(event, outcome.attempt),
      scheduledEnqueueTime: new Date(deps.clock.now().getTime() + outcome.delayMs),
      applicationProperties: { tenantId: event.tenantId },
    },
  ]);
}
