import { createHash } from 'node:crypto';
import type { WebhookHmacVerifier } from '../../core/schemas/connection.js';
import type { WebhookEvent } from '../../core/triggers/webhookEvent.js';
import type { ProviderWebhooks } from '../providerWebhooks.js';
import { streamOfEntity } from './quickBooksEntities.js';
import { quickBooksSettingsSchema } from './quickBooksSettings.js';

/** `intuit-signature` = base64 HMAC-SHA256 of the raw body under the app's verifier token; nothing else is signed. */
export const QUICKBOOKS_VERIFIER: WebhookHmacVerifier = {
  kind: 'hmac',
  header: 'intuit-signature',
  algorithm: 'sha256',
  encoding: 'base64',
  signedPayload: 'body',
};

/** One entity change a delivery names, in either payload format. */
interface Change {
  realmId: unknown;
  name: unknown;
  id: unknown;
  /** `Create`, `Update`, `Delete`, `Merge`, `Void` (legacy) or `created`, `deleted`… (CloudEvents). */
  operation: unknown;
  eventId?: unknown;
}

/** Legacy: `{eventNotifications: [{realmId, dataChangeEvent: {entities: [{name, id, operation, lastUpdated}]}}]}`. */
function legacyChanges(body: Record<string, unknown>): Change[] {
  const notifications = Array.isArray(body.eventNotifications) ? body.eventNotifications : [];
  return notifications.flatMap((notification: unknown) => {
    const { realmId, dataChangeEvent } = (notification ?? {}) as { realmId?: unknown; dataChangeEvent?: { entities?: unknown } };
    const entities = Array.isArray(dataChangeEvent?.entities) ? dataChangeEvent.entities : [];
    return entities.map((entity: unknown) => {
      const { name, id, operation } = (entity ?? {}) as { name?: unknown; id?: unknown; operation?: unknown };
      return { realmId, name, id, operation };
    });
  });
}

/** CloudEvents: `[{id, type: "qbo.customer.created.v1", intuitentityid, intuitaccountid, …}]`. */
function cloudEventChanges(body: unknown[]): Change[] {
  return body.map((event) => {
    const { id, type, intuitentityid, intuitaccountid } = (event ?? {}) as Record<string, unknown>;
    const [, name, operation] = typeof type === 'string' ? type.split('.') : [];
    return { realmId: intuitaccountid, name, id: intuitentityid, operation, eventId: id };
  });
}

/**
 * QuickBooks notifies ids, never records, in two formats (the legacy envelope and the CloudEvents
 * array an app may opt into); both are read. Each change of a synced entity in this connection's
 * company is a record event the run confirms by reading (a `Delete` included); other companies'
 * changes (an app's webhook serves all its companies) are left out.
 */
export const quickBooksWebhooks: ProviderWebhooks = {
  verifier: QUICKBOOKS_VERIFIER,
  description: "`intuit-signature`, base64 HMAC-SHA256 of the body with the app's webhook verifier token as `webhookSecret`; legacy and CloudEvents payloads",
  isPing: () => false,
  parseEvent: (_config, _headers, body, signed, settings) => {
    const changes = Array.isArray(body) ? cloudEventChanges(body) : typeof body === 'object' && body !== null ? legacyChanges(body as Record<string, unknown>) : [];
    const parsed = quickBooksSettingsSchema.safeParse(settings);
    const realmId = parsed.success ? parsed.data.realmId : undefined;
    const digest = createHash('sha256').update(signed).digest('base64url');
    const events: WebhookEvent[] = [];
    for (const [index, change] of changes.entries()) {
      if (String(change.realmId) !== realmId || typeof change.name !== 'string' || typeof change.operation !== 'string') continue;
      const stream = streamOfEntity(change.name);
      const externalId = typeof change.id === 'string' && /^[1-9]\d{0,19}$/.test(change.id) ? change.id : undefined;
      if (!stream || !externalId) continue;
      const deleted = /^delete/i.test(change.operation);
      events.push({
        topic: `${change.name}.${change.operation}`,
        stream,
        externalId,
        ...(deleted ? { deleted: true } : {}),
        replayKey: `${digest}:${typeof change.eventId === 'string' ? change.eventId : index}`,
      });
    }
    return events.length > 0 ? { kind: 'events', events } : { kind: 'ignored', reason: 'no changes of synced entities in this company' };
  },
};
