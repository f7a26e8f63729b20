import { z } from 'zod';
import { fieldPath } from '../../core/schemas/fieldPath.js';
import { paginatorSpec } from './paginatorSpec.js';
import { regexSource } from './regexSource.js';

const param = z.string().regex(/^[\w.[\]-]{1,100}$/, 'must be a query parameter name');
/**
 * Resolved as the connector resolves it: a scheme (`https://other.test/x`) would send the
 * connection's credentials to another origin, and `%2e%2e` is a `..` to URL parsers.
 */
function staysUnderBase(path: string): boolean {
  const base = 'https://base.invalid/root/';
  try {
    return new URL(path, base).href.startsWith(base);
  } catch {
    return false;
  }
}
const relativePath = z
  .string()
  .max(500)
  .regex(/^[\w\-.~%!$&'()*+,;=:@/{}]*$/, 'must be a path relative to baseUrl, e.g. `contacts` or `contacts/{id}`')
  .refine((path) => !path.startsWith('/') && staysUnderBase(path), 'must be relative to baseUrl (no leading `/`, no `..`, no scheme)');
const queryValues = z.record(param, z.string().max(500));

/**
 * A change feed's deletes at an endpoint of their own, asked once per incremental read: from the
 * read's start to now (Salesforce's `sobjects/{T}/deleted/`), or an archive listed in pages and
 * kept from the read's start by its deletion time (HubSpot's `?archived=true`).
 */
export const deletesSpec = z.strictObject({
  path: relativePath.describe('Where the deleted records are listed, e.g. `sobjects/Account/deleted/`.'),
  query: queryValues.optional().describe('Sent with every request, e.g. `{"archived": "true", "limit": "100"}`.'),
  startParam: param.optional().describe("Takes the read's start; absent: the listing is filtered by `deletedAtField` instead."),
  endParam: param.optional().describe('Sent as now; absent: the feed runs to now by itself.'),
  next: z
    .strictObject({ cursorParam: param, nextCursorPath: fieldPath })
    .optional()
    .describe('A paged listing: the next page\'s cursor in the answer, sent back as a parameter.'),
  deletedAtField: fieldPath.optional().describe("Each entry's deletion time, e.g. `archivedAt`: entries deleted before the read's start are left out."),
  format: z.enum(['iso8601', 'iso8601-seconds', 'iso8601-seconds-no-zone', 'unix-seconds', 'unix-ms']).default('iso8601-seconds'),
  idsPath: fieldPath.describe('Where the answer lists them, e.g. `deletedRecords`: ids, or objects with `idField`.'),
  idField: fieldPath.default('id'),
});
export type DeletesSpec = z.output<typeof deletesSpec>;

/** How the provider takes "modified since" on a list. */
export const incrementalSpec = z
  .strictObject({
    param,
    format: z
      .enum(['iso8601', 'iso8601-seconds', 'iso8601-seconds-no-zone', 'unix-seconds', 'unix-ms'])
      .default('iso8601')
      .describe('`iso8601`: `2026-01-02T03:04:05.678Z`; `-seconds` drops milliseconds; `-no-zone` drops the `Z` as well (the provider reads it as UTC); `unix-*`: epoch numbers.'),
    exclusive: z.boolean().default(false).describe('The provider keeps records modified strictly after the value: it is sent one unit earlier, so none is missed.'),
    params: queryValues.optional().describe('Sent with it, e.g. `{"dates_are_gmt": "true"}`.'),
  })
  .describe('Absent: every incremental read reads the whole stream and keeps the changed records (the execution view says so).');
export type IncrementalSpec = z.output<typeof incrementalSpec>;

/**
 * An incremental read served by a change feed instead of the list (QuickBooks' `cdc`): one answer
 * per request with every record changed after the instant, deleted ones among them, and no paging.
 * The instant goes in the stream's `incremental.param`, formatted as it says.
 */
export const changeFeedSpec = z.strictObject({
  path: relativePath.describe('The feed, e.g. `cdc`.'),
  query: queryValues.optional().describe('Sent with every request, e.g. `{"entities": "Customer"}`.'),
  recordsPath: fieldPath.describe('Where the answer holds the changed records, e.g. `CDCResponse.0.QueryResponse.0.Customer`.'),
  ceiling: z
    .number()
    .int()
    .min(2)
    .max(100_000)
    .optional()
    .describe('The most records one answer holds (QuickBooks: 1,000): a full answer is followed by another asked from the latest modified time in it. The feed must keep the oldest changes when it cuts.'),
  maxAgeDays: z
    .number()
    .int()
    .min(1)
    .max(3650)
    .optional()
    .describe('How far back the feed reaches (QuickBooks: 30 days): an incremental read from further back reads the stream in full, the reason shown as `state_expired`.'),
});
export type ChangeFeedSpec = z.output<typeof changeFeedSpec>;

export const writeSpec = z.strictObject({
  create: z.strictObject({ method: z.enum(['POST', 'PUT']).default('POST'), path: relativePath }).optional(),
  update: z
    .strictObject({
      method: z.enum(['PUT', 'PATCH', 'POST']).default('PATCH'),
      path: relativePath.describe('With `{id}`, e.g. `contacts/{id}`, unless `idInBody` names the record.'),
      idInBody: fieldPath.optional().describe('The update names the record in its body at this field (QuickBooks: `Id`), not in its path.'),
      body: z
        .record(z.string().max(100), z.union([z.string().max(500), z.number(), z.boolean()]))
        .optional()
        .describe('Sent in every update body, e.g. `{"sparse": true}` (QuickBooks: change only the fields sent).'),
    })
    .optional(),
  readPath: relativePath.optional().describe('Where one record is read (a conflict shows it, a check-then-write compares it); default the update path.'),
  readQuery: queryValues.optional().describe('Sent with a read of one record, e.g. `{"personFields": "names,metadata"}` (Google People requires it).'),
  recordPath: fieldPath.optional().describe('Where a single-record answer holds the record, e.g. `data`; absent: the body is the record.'),
  answer: z
    .enum(['record', 'id'])
    .default('record')
    .describe('What a write answers: the record, or only its id (an empty 204 to an update, `{id}` to a create, as Salesforce does); with `id` the record is read after the write.'),
  createdIdPath: fieldPath.default('id').describe("With `answer: \"id\"`: where a create's answer holds the new record's id."),
  listAnswer: z
    .boolean()
    .optional()
    .describe(
      "Reads and writes of one record answer a JSON array of the rows they matched (PostgREST's `return=representation`): one row is the record; none means a read found no record (not found) or an update's filters, its precondition among them, matched nothing (a conflict).",
    ),
  concurrency: z
    .discriminatedUnion('kind', [
      z.strictObject({ kind: z.literal('header'), header: z.enum(['If-Unmodified-Since', 'If-Match']) }),
      z.strictObject({ kind: z.literal('bodyField'), field: fieldPath.describe('Sent in the update body with the value last read, e.g. `SyncToken`.') }),
      z.strictObject({ kind: z.literal('none') }),
    ])
    .default({ kind: 'none' })
    .describe(
      'How an update proves it saw the latest version. `header`: `If-Unmodified-Since` (the modified time as last read) or `If-Match` (the `versionField` value as last read); `bodyField`: the `versionField` value sent in the body; `none`: the record is read first and its version compared (check-then-write: an edit between that read and the write is not noticed).',
    ),
  versionField: fieldPath.optional().describe("The record's concurrency token, e.g. `etag` or `SyncToken`; default the stream's `modifiedField`."),
  idempotencyKeyHeader: z
    .string()
    .regex(/^[A-Za-z0-9-]{1,100}$/)
    .optional()
    .describe('A header that makes a create idempotent (e.g. `Idempotency-Key`): creates are then retried after timeouts too.'),
  forbiddenFields: z.array(z.string().max(100)).max(20).default([]).describe('Fields a write must not carry (e.g. `id`, which belongs in the URL).'),
});
export type WriteSpec = z.output<typeof writeSpec>;

export const streamSpec = z
  .strictObject({
    name: z.string().regex(/^[a-z][a-z0-9_]{0,62}$/, 'must be lower-case letters, digits and `_`, starting with a letter'),
    path: relativePath.describe('Where the list is, relative to baseUrl, e.g. `contacts`.'),
    query: queryValues.optional().describe('Sent with every list request, e.g. `{"orderby": "id", "order": "asc"}`.'),
    recordsPath: fieldPath.optional().describe('Where the list body holds the records, e.g. `data`; absent: the body is the array.'),
    deletedFlagPath: fieldPath
      .optional()
      .describe('A field that marks a listed record deleted, e.g. `metadata.deleted` (a change feed listing deletes among the records): such records are tombstoned, not synced.'),
    deletedFlagValue: z
      .union([z.string().max(100), z.boolean(), z.number()])
      .optional()
      .describe('The `deletedFlagPath` value that means deleted, e.g. `"Deleted"` for QuickBooks\' `status`; default `true`.'),
    deletedWhenSet: z
      .boolean()
      .optional()
      .describe('Any `deletedFlagPath` value but null means deleted (a soft-delete time such as `deleted_at`); `deletedFlagValue` is then not used.'),
    emptyListOmitted: z
      .boolean()
      .optional()
      .describe('An empty answer leaves the list out (QuickBooks answers `{"QueryResponse": {}}`): a missing list is read as empty when the object holding it is there.'),
    deletedPath: fieldPath
      .optional()
      .describe("Where a list answer names records deleted since the filter's instant (a change feed): ids, or objects with the stream's `idField`. Their shards become tombstones."),
    idField: fieldPath.default('id'),
    modifiedField: fieldPath.describe('The record\'s last-modified time (UTC; a date-time without a zone is read as UTC).'),
    idPattern: regexSource
      .optional()
      .describe('What an id looks like, e.g. `^[1-9][0-9]*$`: other ids are refused before any call.'),
    idsParam: param.optional().describe('A list parameter taking comma-separated ids (e.g. `include`); absent: an ids-restricted read reads the stream and keeps those ids.'),
    byIdPath: relativePath
      .refine((path) => path.includes('{id}'), 'must contain `{id}`')
      .optional()
      .describe('Where one record is read, e.g. `pages/{id}`: without `idsParam`, an ids-restricted read (a webhook\'s records) reads them here one per call instead of the whole stream; a 404 is a record gone.'),
    dependsOn: z.array(z.string()).max(20).default([]).describe('Streams this one refers to: a run reads those first.'),
    paginator: paginatorSpec,
    incremental: incrementalSpec.optional(),
    syncToken: z
      .strictObject({
        param: param.describe('Takes the token on every page of an incremental read, e.g. `syncToken`.'),
        requestParams: queryValues.optional().describe('Sent by every read so the last page carries the next token, e.g. `{"requestSyncToken": "true"}`.'),
        nextTokenPath: fieldPath.describe('Where the last page carries the token for the next read, e.g. `nextSyncToken`.'),
      })
      .optional()
      .describe(
        "A sync token the connector keeps as the stream's incremental state (Google's People API): a full read asks for one, an incremental read sends it and gets only what changed since. An expired token (an error rule of kind `stateExpired`) makes the stream read in full, the reason shown.",
      ),
    changeFeed: changeFeedSpec.optional().describe('Incremental reads go to this feed instead of the list; needs `incremental` (the feed\'s since parameter).'),
    deletes: deletesSpec.optional().describe("Incremental reads also ask this feed for the records deleted since: their shards become tombstones."),
    writes: writeSpec.optional(),
  })
  .meta({ id: 'ConnectorStream' });
export type StreamSpec = z.output<typeof streamSpec>;
