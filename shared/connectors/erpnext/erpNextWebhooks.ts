import { createHash } from 'node:crypto';
import type { WebhookHmacVerifier } from '../../core/schemas/connection.js';
import type { ProviderWebhooks } from '../providerWebhooks.js';
import { streamOfDoctype } from './erpNextDoctypes.js';
import { erpNextSettingsSchema } from './erpNextSettings.js';

/** Frappe's webhook signature: base64 HMAC-SHA256 of the raw body under the webhook's secret; no timestamp is signed. */
export const ERPNEXT_VERIFIER: WebhookHmacVerifier = {
  kind: 'hmac',
  header: 'X-Frappe-Webhook-Signature',
  algorithm: 'sha256',
  encoding: 'base64',
  signedPayload: 'body',
};

/** Doc events that mean the document is gone (Frappe's `on_trash`, or a template's own word). */
const deleteEvents = /^(on_trash|after_delete|delete|deleted)$/i;

/**
 * A Frappe webhook's body is whatever its definition says (selected fields or a JSON template), so
 * the connector asks for a JSON object naming the document: `doctype` and `name`, optionally
 * `event` (`on_update`, `on_trash`…) and better `modified`, which tells two deliveries about one
 * document apart (a body seen before is a replay). Events carry names, not records: the run reads
 * each document, and a delete is confirmed by its absence.
 */
export const erpNextWebhooks: ProviderWebhooks = {
  verifier: ERPNEXT_VERIFIER,
  description:
    '`X-Frappe-Webhook-Signature`, base64 HMAC-SHA256 of the body under the webhook secret; a JSON body naming the document: `{"doctype", "name", "event"?, "modified"?}`',
  isPing: () => false,
  parseEvent: (_config, _headers, body, signed, settings) => {
    const { doctype, name, event } = (typeof body === 'object' && body !== null && !Array.isArray(body) ? body : {}) as Record<string, unknown>;
    if (typeof doctype !== 'string' || typeof name !== 'string' || name === '' || name.length > 500) return { kind: 'ignored', reason: 'the body names no doctype and name' };
    const parsed = erpNextSettingsSchema.safeParse(settings);
    const stream = parsed.success ? streamOfDoctype(parsed.data, doctype) : undefined;
    if (stream === undefined) return { kind: 'ignored', reason: `DocType "${doctype.slice(0, 140)}" is not synced by this connection` };
    const deleted = typeof event === 'string' && deleteEvents.test(event);
    const digest = createHash('sha256').update(signed).digest('base64url');
    return {
      kind: 'event',
      event: { topic: `${doctype}.${typeof event === 'string' ? event.slice(0, 100) : 'changed'}`, stream, externalId: name, ...(deleted ? { deleted: true } : {}), replayKey: digest },
    };
  },
};
