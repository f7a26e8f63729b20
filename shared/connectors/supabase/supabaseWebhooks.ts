import { createHash } from 'node:crypto';
import type { WebhookHmacVerifier } from '../../core/schemas/connection.js';
import type { WebhookEventDecision } from '../../core/triggers/webhookEvent.js';
import type { ProviderWebhooks } from '../providerWebhooks.js';
import { supabaseSettingsSchema, type SupabaseSettings } from './supabaseSettings.js';

/** Database webhooks sign nothing: the hook is configured to send the connection's secret in a header, compared in constant time. */
export const supabaseVerifier = (header: string): WebhookHmacVerifier => ({ kind: 'hmac', header, algorithm: 'sha256', encoding: 'hex', signedPayload: 'body', construction: 'sharedSecret' });

const DEFAULT_VERIFIER = supabaseVerifier('X-Supabase-Webhook-Secret');

const isRow = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Pure: what a database-webhook payload `{type, table, schema, record, old_record}` says. INSERT
 * and UPDATE carry the whole row, which the run converts without reading it again; a DELETE (and
 * an UPDATE that sets the soft-delete column) names the row from `old_record` as deleted, which the
 * run confirms by asking for it, as for every provider (a late DELETE must not erase a row
 * inserted again since). The replay key is the body's digest: a redelivered payload is the same change.
 */
export function databaseWebhookEvent(settings: SupabaseSettings, body: unknown, signed: Uint8Array): WebhookEventDecision {
  if (!isRow(body)) return { kind: 'ignored', reason: 'not a database webhook payload' };
  const { type, table: tableName, record, old_record: oldRecord } = body;
  if (type !== 'INSERT' && type !== 'UPDATE' && type !== 'DELETE') return { kind: 'ignored', reason: `not a row change: ${typeof type === 'string' ? type.slice(0, 40) : 'no type'}` };
  const table = settings.tables.find((candidate) => candidate.table === tableName);
  if (!table) return { kind: 'ignored', reason: `table ${typeof tableName === 'string' ? tableName.slice(0, 63) : '?'} is not synced` };
  const row = type === 'DELETE' ? oldRecord : record;
  if (!isRow(row)) return { kind: 'ignored', reason: `the ${type} payload carries no ${type === 'DELETE' ? 'old_record' : 'record'}` };
  const id = row[table.idColumn];
  const externalId = typeof id === 'number' && Number.isSafeInteger(id) ? String(id) : typeof id === 'string' && /^[A-Za-z0-9_.:-]{1,200}$/.test(id) ? id : undefined;
  if (externalId === undefined) return { kind: 'ignored', reason: `the row has no usable ${table.idColumn}` };
  const softDeleted = table.deletedColumn !== undefined && row[table.deletedColumn] !== null && row[table.deletedColumn] !== undefined;
  const deleted = type === 'DELETE' || softDeleted;
  const replayKey = createHash('sha256').update(signed).digest('base64url');
  return { kind: 'event', event: { topic: `${table.table}.${type.toLowerCase()}`, stream: table.stream, externalId, ...(deleted ? { deleted: true } : { record: row }), replayKey } };
}

export const supabaseWebhooks: ProviderWebhooks = {
  verifier: DEFAULT_VERIFIER,
  description: "the connection's webhook secret, sent as is in the header the settings name (`webhookSecretHeader`, default `X-Supabase-Webhook-Secret`) and compared in constant time: database webhooks are not signed",
  schemeOf: (settings) => {
    const parsed = supabaseSettingsSchema.safeParse(settings);
    return parsed.success ? supabaseVerifier(parsed.data.webhookSecretHeader) : undefined;
  },
  isPing: () => false,
  parseEvent: (_config, _headers, body, signed, settings) => {
    const parsed = supabaseSettingsSchema.safeParse(settings);
    if (!parsed.success) return { kind: 'ignored', reason: 'the connection has no Supabase settings' };
    return databaseWebhookEvent(parsed.data, body, signed);
  },
};
