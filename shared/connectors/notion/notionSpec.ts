import { connectorSpec, type ConnectorSpec, type ConnectorSpecInput } from '../spec/connectorSpec.js';
import { EDITED_SINCE_PARAM } from './notionHooks.js';
import type { NotionSettings } from './notionSettings.js';

/** Notion's page size ceiling, also its default. */
export const NOTION_MAX_PAGE_SIZE = 100;

/**
 * Notion's API (https://developers.notion.com/reference/intro) for one data source, as a connector
 * spec: the `pages` stream is its query (notionHooks turns it into the POST it is). Pages are kept
 * as Notion returns them (`{id, last_edited_time, in_trash, properties: {Name: {title: […]}, …}}`),
 * so a write's provider-shaped fields are `{properties: {…}}`, the body of a page update.
 */
export function notionSpec(settings: NotionSettings): ConnectorSpec {
  const spec: ConnectorSpecInput = {
    title: 'Notion',
    baseUrl: `${settings.baseUrl.replace(/\/+$/, '')}/`,
    // An internal integration's token (`ntn_…` or `secret_…`).
    auth: { kind: 'bearer' },
    headers: { 'Notion-Version': settings.notionVersion },
    maxPageSize: NOTION_MAX_PAGE_SIZE,
    // Notion sends no rate-limit headers: only a 429 with Retry-After, which the bucket must prevent.
    rateLimitHeaders: false,
    errors: {
      // {object: "error", status, code: "validation_error", message, request_id}
      codePath: 'code',
      messagePath: 'message',
      rules: [
        // A transaction that lost a race inside Notion ("please try again"), not a stale write:
        // no concurrency token exists to have gone stale.
        { status: [409], code: '^conflict_error$', kind: 'recoverable' },
        // 529 service_overload is a 5xx, recoverable by default.
      ],
    },
    connectionTest: { stream: 'pages', hint: 'is the data source shared with the integration?' },
    streams: [
      {
        name: 'pages',
        path: `v1/data_sources/${settings.dataSourceId}/query`,
        recordsPath: 'results',
        idField: 'id',
        modifiedField: 'last_edited_time',
        idPattern: '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$',
        // A webhook's few pages are read one by one; a page moved to the trash still answers 200,
        // flagged, and the query itself never returns trashed pages (full reads find them by absence).
        byIdPath: 'v1/pages/{id}',
        deletedFlagPath: 'in_trash',
        paginator: { kind: 'cursor', cursorParam: 'start_cursor', sizeParam: 'page_size', nextCursorPath: 'next_cursor' },
        incremental: { param: EDITED_SINCE_PARAM, format: 'iso8601' },
        writes: {
          update: { method: 'PATCH', path: 'v1/pages/{id}' },
          readPath: 'v1/pages/{id}',
          // Notion has no concurrency token: an update reads the page and compares
          // `last_edited_time` first. That time is kept to the minute, so an edit made in the same
          // minute as the one last read, or between that read and the PATCH, is overwritten unnoticed.
          concurrency: { kind: 'none' },
          forbiddenFields: ['id', 'object', 'parent', 'created_time', 'last_edited_time', 'created_by', 'last_edited_by', 'url', 'public_url'],
        },
      },
    ],
  };
  return connectorSpec.parse(spec);
}
