import { z } from 'zod';
import { rootUrlSetting, timeoutMsSetting } from '../http/connectionSettings.js';

/** The API version every request names in `Notion-Version`: the one whose data source endpoints this connector speaks (`@notionhq/client` 5's default). */
export const NOTION_API_VERSION = '2025-09-03';

/**
 * Requests per minute a Notion connection allows itself unless its `protection.requestsPerMinute`
 * says otherwise: Notion averages three a second per integration, so 150 (2.5/s) stays under it
 * with room for the connection test and write-backs, which the shared bucket does not count.
 */
export const NOTION_SAFE_REQUESTS_PER_MINUTE = 150;

/** Connection settings of one Notion data source (stored in clear; the token is not). */
export const notionSettingsSchema = z.strictObject({
  baseUrl: rootUrlSetting("The API root; Notion's own unless a proxy or test double stands in.").default('https://api.notion.com'),
  notionVersion: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a Notion API version such as 2025-09-03')
    .default(NOTION_API_VERSION)
    .describe('Sent as `Notion-Version` on every request; versions before 2025-09-03 have no data sources.'),
  dataSourceId: z
    .string()
    .regex(/^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$/, 'must be a Notion id (a UUID, with or without dashes)')
    .transform((id) => {
      const hex = id.replaceAll('-', '').toLowerCase();
      return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
    })
    .describe('The data source (a database\'s table) whose pages the `pages` stream syncs; it must be shared with the integration.'),
  timeoutMs: timeoutMsSetting,
});
export type NotionSettings = z.output<typeof notionSettingsSchema>;
export type NotionSettingsInput = z.input<typeof notionSettingsSchema>;
