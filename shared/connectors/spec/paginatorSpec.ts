import { z } from 'zod';
import { fieldPath } from '../../core/schemas/fieldPath.js';

const param = z.string().regex(/^[\w.[\]-]{1,100}$/, 'must be a query parameter name');
const header = z.string().regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,100}$/, 'must be an HTTP header name');

/**
 * A search API that serves at most this many results per query (HubSpot's stops at 10,000): the
 * stream is read in windows, each a new query from the last modified time seen, so nothing past
 * the ceiling is lost. Needs the stream's `incremental` filter and a list sorted by modified time.
 */
const resultCeiling = z
  .number()
  .int()
  .min(2)
  .max(1_000_000)
  .optional()
  .describe('The most results one query pages through (e.g. 10000): past it the read starts a new query from the last modified time seen. The list must be sorted by modified time, oldest first.');

/** Which reads the ceiling caps: every read, or only those filtered by modified time (a provider whose plain listing has no ceiling but whose search does). */
const resultCeilingReads = z.enum(['all', 'incremental']).default('all').describe('`incremental`: only reads filtered by modified time hit the ceiling (the plain listing pages freely).');

const totals = {
  totalRecordsHeader: header.optional().describe('Header with the number of records, e.g. `X-Total-Count`.'),
  totalRecordsPath: fieldPath.optional().describe('Where the body says how many records there are, e.g. `meta.total`.'),
};

/**
 * How a stream's pages follow each other. With a total (header or body) the pages are
 * `numbered`: page 1 tells how many there are and the others are read at once. Without one they
 * are `chained`: each page says where the next one is, so they are read one after the other.
 */
export const paginatorSpec = z
  .discriminatedUnion('kind', [
    z
      .strictObject({
        kind: z.literal('pageNumber'),
        pageParam: param.default('page'),
        sizeParam: param.default('per_page'),
        firstPage: z.union([z.literal(0), z.literal(1)]).default(1),
        resultCeiling,
        resultCeilingReads,
        totalPagesHeader: header.optional().describe('Header with the number of pages, e.g. `X-WP-TotalPages`.'),
        totalPagesPath: fieldPath.optional(),
        ...totals,
      })
      .describe('`?page=N&per_page=M`. Without a total, pages follow until one comes back short.'),
    z
      .strictObject({ kind: z.literal('offset'), offsetParam: param.default('offset'), limitParam: param.default('limit'), resultCeiling, resultCeilingReads, ...totals })
      .describe('`?offset=K&limit=M`. Without a total, pages follow until one comes back short.'),
    z
      .strictObject({
        kind: z.literal('cursor'),
        cursorParam: param.default('cursor'),
        sizeParam: param.optional(),
        nextCursorPath: fieldPath.describe('Where the body carries the next cursor, e.g. `paging.next.after`; absent, null or empty on the last page.'),
        resultCeiling,
        resultCeilingReads,
      })
      .describe('An opaque cursor from the body, sent back as a query parameter.'),
    z
      .strictObject({
        kind: z.literal('nextUrl'),
        sizeParam: param.optional(),
        nextUrlPath: fieldPath.describe('Where the body carries the next page\'s URL, e.g. `links.next` (relative URLs resolve against the request\'s).'),
      })
      .describe('The body links the next page; it must stay on the API\'s origin.'),
    z
      .strictObject({ kind: z.literal('linkHeader'), sizeParam: param.optional(), rel: z.string().regex(/^[a-z][a-z0-9.-]{0,40}$/).default('next') })
      .describe('An RFC 8288 `Link: <…>; rel="next"` header; it must stay on the API\'s origin.'),
    z
      .strictObject({ kind: z.literal('range'), unit: z.string().regex(/^[a-z][a-z0-9-]{0,40}$/).default('items') })
      .describe('`Range: items=0-99` asked, `Content-Range: items 0-99/5000` answered (the total is required).'),
  ])
  .meta({ id: 'ConnectorPaginator' });
export type PaginatorSpec = z.output<typeof paginatorSpec>;

/** Whether the stream's total is known after page 1 (numbered) or each page names the next (chained). */
export function pagingOf(paginator: PaginatorSpec): 'numbered' | 'chained' {
  if ('resultCeiling' in paginator && paginator.resultCeiling !== undefined && paginator.resultCeilingReads === 'all') return 'chained';
  switch (paginator.kind) {
    case 'pageNumber':
      return paginator.totalPagesHeader || paginator.totalPagesPath || paginator.totalRecordsHeader || paginator.totalRecordsPath ? 'numbered' : 'chained';
    case 'offset':
      return paginator.totalRecordsHeader || paginator.totalRecordsPath ? 'numbered' : 'chained';
    case 'range':
      return 'numbered';
    default:
      return 'chained';
  }
}
