import { ProviderError } from '../providerError.js';
import type { ListCall, SpecHooks } from '../spec/specHooks.js';

/** The planned parameter that carries the modified filter; it never reaches Notion as such. */
export const EDITED_SINCE_PARAM = 'notion_last_edited_since';

const MINUTE_MS = 60_000;

/**
 * Notion rounds `last_edited_time` to the minute (edits at 10:00:59 read 10:00:00), so an
 * instant asked for is floored to its minute: a page edited earlier in that minute carries the
 * minute itself and `on_or_after` keeps it. Re-reading a minute's pages is harmless; missing one is not.
 */
export function editedSinceFilter(since: string): Record<string, unknown> {
  const ms = Date.parse(since);
  const floored = new Date(ms - (((ms % MINUTE_MS) + MINUTE_MS) % MINUTE_MS)).toISOString();
  return { timestamp: 'last_edited_time', last_edited_time: { on_or_after: floored } };
}

/**
 * A data source query is a POST taking paging, filter and sorts in a JSON body
 * (`{page_size, start_cursor, filter, sorts}`): the planned parameters move there. An incremental
 * read is sorted by edit time, oldest first, as the engine's windows expect; a full read by
 * creation time, which edits during the read do not reorder.
 */
function queryCall(call: ListCall): ListCall {
  const { [EDITED_SINCE_PARAM]: since, page_size: pageSize, start_cursor: cursor, ...others } = call.params;
  const unknown = Object.keys(others);
  // Notion filters are JSON in the body, not parameters: dropping a task's filter would read more than asked, silently.
  if (unknown.length > 0) throw new ProviderError({ code: 'unsupported_filter', retriable: false, message: `Notion queries take no filter ${unknown.join(', ')}` });
  return {
    method: 'POST',
    path: call.path,
    params: {},
    headers: call.headers,
    body: {
      ...(since !== undefined ? { filter: editedSinceFilter(since) } : {}),
      sorts: [{ timestamp: since !== undefined ? 'last_edited_time' : 'created_time', direction: 'ascending' }],
      ...(pageSize !== undefined ? { page_size: Number(pageSize) } : {}),
      ...(cursor !== undefined ? { start_cursor: cursor } : {}),
    },
  };
}

export const notionHooks: SpecHooks = {
  shapeList: (_stream, call) => queryCall(call),
};
