import { createHash } from 'node:crypto';
import type { WebhookHmacVerifier } from '../../core/schemas/connection.js';
import type { HeaderReader } from '../../core/triggers/webhookSignature.js';
import type { ProviderWebhooks } from '../providerWebhooks.js';
import { notionSettingsSchema } from './notionSettings.js';

/**
 * Notion's signature (https://developers.notion.com/reference/webhooks): `X-Notion-Signature:
 * sha256=<hex HMAC-SHA256 of the raw body>`, keyed by the subscription's verification token, which
 * the connection keeps as its webhook secret. No timestamp is signed: replays are known by the body.
 */
export const NOTION_VERIFIER: WebhookHmacVerifier = {
  kind: 'hmac',
  header: 'X-Notion-Signature',
  algorithm: 'sha256',
  encoding: 'hex',
  prefix: 'sha256=',
  signedPayload: 'body',
};

/** A page event's id, in the dashed lower-case form the query answers with (the shard's external id). */
function pageId(raw: unknown): string | undefined {
  if (typeof raw !== 'string') return undefined;
  const hex = raw.replaceAll('-', '').toLowerCase();
  return /^[0-9a-f]{32}$/.test(hex) ? `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}` : undefined;
}

/**
 * The one-off, unsigned POST a new subscription makes: `{verification_token}` alone and no
 * signature header. Its token becomes the connection's key (trust on first use, receiveWebhook).
 */
export function notionVerificationToken(headers: HeaderReader, body: unknown): string | undefined {
  if (headers.get(NOTION_VERIFIER.header) !== null || typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
  const keys = Object.keys(body);
  const token = (body as { verification_token?: unknown }).verification_token;
  return keys.length === 1 && typeof token === 'string' && /^[\x21-\x7e]{8,500}$/.test(token) ? token : undefined;
}

/**
 * A delivery is one event `{id, type: "page.properties_updated" | …, entity: {id, type: "page"},
 * data}`: an id, not a record, so the run reads the page as it is now, which makes the order
 * events arrive in (Notion does not keep it) irrelevant. `page.deleted` is a delete the run
 * confirms by reading. A page under another data source the integration can see is ignored when
 * the event names its parent.
 */
export const notionWebhooks: ProviderWebhooks = {
  verifier: NOTION_VERIFIER,
  description: "`X-Notion-Signature`, `sha256=` + hex HMAC-SHA256 of the body keyed by the subscription's verification token, which Notion's first (unsigned) request brings and the connection keeps as `webhookSecret` when it has none",
  isPing: () => false,
  verificationToken: notionVerificationToken,
  parseEvent: (_config, _headers, body, signed, settings) => {
    const { id, type, entity, data } = (typeof body === 'object' && body !== null ? body : {}) as { id?: unknown; type?: unknown; entity?: { id?: unknown; type?: unknown }; data?: { parent?: { id?: unknown; type?: unknown } } };
    if (typeof type !== 'string' || !type.startsWith('page.') || entity?.type !== 'page') return { kind: 'ignored', reason: `not a page event: ${typeof type === 'string' ? type.slice(0, 100) : 'no type'}` };
    const externalId = pageId(entity.id);
    if (!externalId) return { kind: 'ignored', reason: 'the event names no page id' };
    const source = notionSettingsSchema.safeParse(settings);
    const parent = data?.parent;
    if (source.success && parent?.type === 'data_source' && pageId(parent.id) !== source.data.dataSourceId) return { kind: 'ignored', reason: 'a page of another data source' };
    const digest = createHash('sha256').update(signed).digest('base64url');
    return {
      kind: 'event',
      event: { topic: type, stream: 'pages', externalId, ...(type === 'page.deleted' ? { deleted: true } : {}), replayKey: `${digest}:${typeof id === 'string' ? id.slice(0, 100) : ''}` },
    };
  },
};
