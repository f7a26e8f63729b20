import { createHmac, randomUUID } from 'node:crypto';
import { request } from 'undici';

export interface QuickBooksWebhookEntity {
  /** The entity type, e.g. `Customer`. */
  name: string;
  id: string;
  operation: 'Create' | 'Update' | 'Delete' | 'Merge' | 'Void' | 'Emailed';
  /** ISO instant of the change; now by default. */
  lastUpdated?: string;
}

export interface SendQuickBooksWebhookOptions {
  /** The app's webhook verifier token: the HMAC key. */
  verifierToken: string;
  /** `legacy` is the `eventNotifications` envelope; `cloudevents` the newer array of CloudEvents. */
  format: 'legacy' | 'cloudevents';
  realmId: string;
  entities: QuickBooksWebhookEntity[];
}

/** base64 HMAC-SHA256 of the raw body keyed with the verifier token: the `intuit-signature` header. */
export function signQuickBooksWebhook(verifierToken: string, body: string): string {
  return createHmac('sha256', verifierToken).update(body).digest('base64');
}

/** The notification body as QuickBooks sends it: ids only, never records. */
export function webhookBody(options: SendQuickBooksWebhookOptions): string {
  const now = new Date().toISOString();
  if (options.format === 'legacy') {
    const entities = options.entities.map((entity) => ({ name: entity.name, id: entity.id, operation: entity.operation, lastUpdated: entity.lastUpdated ?? now }));
    return JSON.stringify({ eventNotifications: [{ realmId: options.realmId, dataChangeEvent: { entities } }] });
  }
  const events = options.entities.map((entity) => ({
    specversion: '1.0',
    id: randomUUID(),
    source: 'intuit.qbo',
    type: `qbo.${entity.name.toLowerCase()}.${pastTense(entity.operation)}.v1`,
    datacontenttype: 'application/json',
    time: entity.lastUpdated ?? now,
    intuitentityid: entity.id,
    intuitaccountid: options.realmId,
    data: {},
  }));
  return JSON.stringify(events);
}

/** POSTs one signed notification; answers the receiver's status. Intuit expects a 200 within 3 s. */
export async function sendWebhook(url: string, options: SendQuickBooksWebhookOptions): Promise<number> {
  const body = webhookBody(options);
  const response = await request(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'intuit-signature': signQuickBooksWebhook(options.verifierToken, body) },
    body,
    headersTimeout: 3000,
  });
  await response.body.dump();
  return response.statusCode;
}

function pastTense(operation: QuickBooksWebhookEntity['operation']): string {
  const tenses: Record<QuickBooksWebhookEntity['operation'], string> = { Create: 'created', Update: 'updated', Delete: 'deleted', Merge: 'merged', Void: 'voided', Emailed: 'emailed' };
  return tenses[operation];
}
