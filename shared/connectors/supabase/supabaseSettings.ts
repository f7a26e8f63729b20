import { z } from 'zod';
import { rootUrlSetting, timeoutMsSetting } from '../http/connectionSettings.js';

/** A PostgreSQL identifier as PostgREST takes it unquoted in a URL: letters, digits and `_`. */
const identifier = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,62}$/, 'must be a PostgreSQL identifier: letters, digits and `_`, not starting with a digit');
const headerName = z.string().regex(/^[A-Za-z0-9-]{1,100}$/, 'must be an HTTP header name');

/** One table synced as a stream. */
export const supabaseTable = z.strictObject({
  stream: z.string().regex(/^[a-z][a-z0-9_]{0,62}$/, 'must be lower-case letters, digits and `_`, starting with a letter').describe('The stream name tasks use, e.g. `customers`.'),
  table: identifier.describe('The table (or view) in the exposed schema, e.g. `customers`.'),
  idColumn: identifier.default('id').describe('The primary key column; its value is the record\'s external id.'),
  updatedColumn: identifier
    .default('updated_at')
    .describe('A `timestamptz` column every write sets (a trigger, e.g. `moddatetime`): incremental reads filter on it and updates name it as their precondition.'),
  deletedColumn: identifier.optional().describe('A soft-delete column (e.g. `deleted_at`): a row where it is set is tombstoned. Without one, deletes are seen by full reads and DELETE webhooks.'),
  conflictColumns: z
    .array(identifier)
    .min(1)
    .max(8)
    .optional()
    .describe('Columns of a unique constraint (e.g. `["source_key"]`): creates become upserts on them (`on_conflict`), so a create sent twice writes one row. Absent: creates are plain inserts.'),
  readOnlyColumns: z.array(identifier).max(50).default([]).describe('Columns writes must not carry besides the id, updated and deleted columns (generated columns).'),
});
export type SupabaseTable = z.output<typeof supabaseTable>;

/** Connection settings of one Supabase project (stored in clear; the key is not). */
export const supabaseSettingsSchema = z
  .strictObject({
    url: rootUrlSetting('The project URL, e.g. `https://abcdefgh.supabase.co` (the REST API is under `/rest/v1/`).'),
    tables: z.array(supabaseTable).min(1).max(50).describe('The tables synced, one stream each.'),
    maxPageSize: z
      .number()
      .int()
      .min(1)
      .max(10_000)
      .default(1000)
      .describe("The project's `max-rows` (Supabase's default 1,000): a page never asks for more."),
    webhookSecretHeader: headerName
      .default('X-Supabase-Webhook-Secret')
      .describe('The header a database webhook is configured to send with the connection\'s webhook secret (database webhooks are not signed).'),
    timeoutMs: timeoutMsSetting,
  })
  .superRefine((settings, context) => {
    const streams = settings.tables.map((table) => table.stream);
    streams.forEach((stream, index) => {
      if (streams.indexOf(stream) !== index) context.addIssue({ code: 'custom', path: ['tables', index, 'stream'], message: `"${stream}" is named twice` });
    });
  });
export type SupabaseSettings = z.output<typeof supabaseSettingsSchema>;
export type SupabaseSettingsInput = z.input<typeof supabaseSettingsSchema>;
