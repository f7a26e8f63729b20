import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { linkTarget } from '../../../../shared/connectors/spec/linkHeader.js';
import { formatSince, planPageRequest, readPageAnswer, type PageAnswer, type PageAsk } from '../../../../shared/connectors/spec/pagePlan.js';
import { streamSpec, type StreamSpec } from '../../../../shared/connectors/spec/streamSpec.js';

type StreamInput = Parameters<typeof streamSpec.parse>[0];

/** A stream as a spec would declare it, defaults filled by the schema. */
const streamOf = (paginator: Record<string, unknown>, extra: Record<string, unknown> = {}): StreamSpec =>
  streamSpec.parse({ name: 'contacts', path: 'contacts', modifiedField: 'updated_at', paginator, ...extra } as StreamInput);

const api = 'https://api.example.test/v1/contacts?limit=3';
const answer = (body: unknown, headers: PageAnswer['headers'] = {}, url = api): PageAnswer => ({ body, headers, url });
const records = (n: number, from = 1) => Array.from({ length: n }, (_, index) => ({ id: String(from + index) }));
const page = (ask: Partial<PageAsk> = {}): PageAsk => ({ page: 1, perPage: 3, ...ask });

describe('planPageRequest: paging parameters', () => {
  it('asks page numbers from 1 by default and from 0 when firstPage is 0', () => {
    const fromOne = streamOf({ kind: 'pageNumber' });
    const fromZero = streamOf({ kind: 'pageNumber', firstPage: 0, pageParam: 'p', sizeParam: 'size' });

    expect(planPageRequest(fromOne, page({ page: 1, perPage: 50 }))).toEqual({ params: { page: '1', per_page: '50' }, headers: {} });
    expect(planPageRequest(fromOne, page({ page: 4, perPage: 50 })).params).toEqual({ page: '4', per_page: '50' });
    expect(planPageRequest(fromZero, page({ page: 1, perPage: 20 })).params).toEqual({ p: '0', size: '20' });
    expect(planPageRequest(fromZero, page({ page: 3, perPage: 20 })).params).toEqual({ p: '2', size: '20' });
  });

  it('asks the chained page number it was given', () => {
    expect(planPageRequest(streamOf({ kind: 'pageNumber', firstPage: 0 }), page({ next: '7' })).params.page).toBe('7');
  });

  it('asks offset (p-1)·perPage for page p', () => {
    const stream = streamOf({ kind: 'offset', offsetParam: 'skip', limitParam: 'take' });
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000 }), fc.integer({ min: 1, max: 1_000 }), (p, perPage) => {
        expect(planPageRequest(stream, { page: p, perPage }).params).toEqual({ skip: String((p - 1) * perPage), take: String(perPage) });
      }),
    );
  });

  it('sends no cursor on the first page and the previous page\'s cursor after it', () => {
    const stream = streamOf({ kind: 'cursor', cursorParam: 'after', sizeParam: 'limit', nextCursorPath: 'paging.next' });
    expect(planPageRequest(stream, page({ perPage: 25 })).params).toEqual({ limit: '25' });
    expect(planPageRequest(stream, page({ perPage: 25, next: 'b64:xyz==' })).params).toEqual({ after: 'b64:xyz==', limit: '25' });
    expect(planPageRequest(streamOf({ kind: 'cursor', nextCursorPath: 'next' }), page({ next: 'c2' })).params).toEqual({ cursor: 'c2' });
  });

  it('calls a next link verbatim, without adding the stream\'s or the task\'s parameters', () => {
    const next = 'https://api.example.test/v1/contacts?cursor=a%2Cb&limit=3&updated_since=2026-01-01T00%3A00%3A00.000Z';
    for (const paginator of [{ kind: 'nextUrl', sizeParam: 'limit', nextUrlPath: 'links.next' }, { kind: 'linkHeader', sizeParam: 'limit' }]) {
      const stream = streamOf(paginator, { query: { order: 'asc' }, incremental: { param: 'updated_since' }, idsParam: 'ids' });
      expect(planPageRequest(stream, page({ next, since: 0, ids: ['1'], filters: { status: 'active' } }))).toEqual({ url: next, params: {}, headers: {} });
      expect(planPageRequest(stream, page({ perPage: 3 }))).toEqual({ params: { limit: '3', order: 'asc' }, headers: {} });
    }
  });

  it('asks a range of records in the Range header', () => {
    expect(planPageRequest(streamOf({ kind: 'range' }), page({ page: 1, perPage: 100 }))).toEqual({ params: {}, headers: { range: 'items=0-99' } });
    expect(planPageRequest(streamOf({ kind: 'range', unit: 'records' }), page({ page: 3, perPage: 50 })).headers).toEqual({ range: 'records=100-149' });
  });
});

describe('planPageRequest: filters, modified-since and ids', () => {
  const stream = streamOf(
    { kind: 'pageNumber' },
    { query: { orderby: 'id', order: 'asc' }, incremental: { param: 'updated_since', params: { dates_are_gmt: 'true' } }, idsParam: 'include' },
  );

  it('sends the stream\'s query, the modified filter and its companion parameters', () => {
    const since = Date.UTC(2026, 0, 2, 3, 4, 5, 678);
    expect(planPageRequest(stream, page({ page: 2, perPage: 10, since })).params).toEqual({
      page: '2',
      per_page: '10',
      orderby: 'id',
      order: 'asc',
      updated_since: '2026-01-02T03:04:05.678Z',
      dates_are_gmt: 'true',
    });
  });

  it('never lets a task filter override paging, ordering or the modified filter', () => {
    const since = Date.UTC(2026, 0, 1);
    const filters = { page: '99', per_page: '1', order: 'desc', updated_since: '1970-01-01', include: '5', status: 'active' };
    expect(planPageRequest(stream, page({ page: 2, perPage: 10, since, ids: ['7', '8'], filters })).params).toEqual({
      page: '2',
      per_page: '10',
      orderby: 'id',
      order: 'asc',
      updated_since: '2026-01-01T00:00:00.000Z',
      dates_are_gmt: 'true',
      include: '7,8',
      status: 'active',
    });
  });

  it('sends ids comma-separated in idsParam, and nothing without one', () => {
    expect(planPageRequest(stream, page({ ids: ['a', 'b', 'c'] })).params.include).toBe('a,b,c');
    expect(planPageRequest(streamOf({ kind: 'pageNumber' }), page({ ids: ['a'] })).params).toEqual({ page: '1', per_page: '3' });
  });

  it('sends no modified filter when the stream has none', () => {
    expect(planPageRequest(streamOf({ kind: 'offset' }), page({ since: 1 })).params).toEqual({ offset: '0', limit: '3' });
  });
});

describe('formatSince', () => {
  const instant = Date.UTC(2026, 0, 2, 3, 4, 5, 678);
  // Second-precision formats are given the instant floored to the second, as the connector does.
  const second = Date.UTC(2026, 0, 2, 3, 4, 5);
  const cases = [
    { format: 'iso8601', since: instant, inclusive: '2026-01-02T03:04:05.678Z', exclusive: '2026-01-02T03:04:05.677Z' },
    { format: 'iso8601-seconds', since: second, inclusive: '2026-01-02T03:04:05Z', exclusive: '2026-01-02T03:04:04Z' },
    { format: 'iso8601-seconds-no-zone', since: second, inclusive: '2026-01-02T03:04:05', exclusive: '2026-01-02T03:04:04' },
    { format: 'unix-seconds', since: second, inclusive: String(second / 1000), exclusive: String(second / 1000 - 1) },
    { format: 'unix-ms', since: instant, inclusive: String(instant), exclusive: String(instant - 1) },
  ] as const;

  it.each(cases)('writes $format, one unit earlier when exclusive', ({ format, since, inclusive, exclusive }) => {
    expect(formatSince(since, { param: 'since', format, exclusive: false })).toBe(inclusive);
    expect(formatSince(since, { param: 'since', format, exclusive: true })).toBe(exclusive);
  });
});

describe('readPageAnswer: records', () => {
  it('reads the records at recordsPath, or the body itself', () => {
    const nested = streamOf({ kind: 'cursor', nextCursorPath: 'meta.next' }, { recordsPath: 'result.items' });
    expect(readPageAnswer(nested, page(), answer({ result: { items: records(2) }, meta: {} }))).toEqual({ kind: 'page', records: records(2) });
    expect(readPageAnswer(streamOf({ kind: 'linkHeader' }), page(), answer(records(2)))).toEqual({ kind: 'page', records: records(2) });
  });

  it('names the path when the list is not an array', () => {
    const nested = streamOf({ kind: 'linkHeader' }, { recordsPath: 'data' });
    expect(readPageAnswer(nested, page(), answer({ data: { id: 1 } }))).toEqual({ kind: 'invalid', problem: 'data is not a JSON array' });
    expect(readPageAnswer(nested, page(), answer({ items: [] }))).toEqual({ kind: 'invalid', problem: 'data is not a JSON array' });
    expect(readPageAnswer(streamOf({ kind: 'linkHeader' }), page(), answer('<html>'))).toEqual({ kind: 'invalid', problem: 'the body is not a JSON array' });
  });

  it('names the element that is not an object', () => {
    const nested = streamOf({ kind: 'linkHeader' }, { recordsPath: 'data' });
    for (const bad of [null, 7, 'x', [1]]) {
      expect(readPageAnswer(nested, page(), answer({ data: [{ id: 1 }, bad] }))).toEqual({ kind: 'invalid', problem: 'data.1 is not an object' });
    }
    expect(readPageAnswer(streamOf({ kind: 'linkHeader' }), page(), answer([null]))).toEqual({ kind: 'invalid', problem: '0 is not an object' });
  });
});

describe('readPageAnswer: deleted ids of a change feed', () => {
  it('reads deletedPath as ids or as records with the id field, and names a bad entry', () => {
    const feed = streamOf({ kind: 'cursor', nextCursorPath: 'next' }, { recordsPath: 'data', deletedPath: 'deleted', idField: 'uid' });
    expect(readPageAnswer(feed, page(), answer({ data: [], deleted: ['a', 7] }))).toMatchObject({ kind: 'page', deletedIds: ['a', '7'] });
    expect(readPageAnswer(feed, page(), answer({ data: [], deleted: [{ uid: 'b' }] }))).toMatchObject({ deletedIds: ['b'] });
    expect(readPageAnswer(feed, page(), answer({ data: [] }))).not.toHaveProperty('deletedIds');
    expect(readPageAnswer(feed, page(), answer({ data: [], deleted: [{ other: 1 }] }))).toEqual({ kind: 'invalid', problem: 'deleted.0 names no id' });
    expect(readPageAnswer(feed, page(), answer({ data: [], deleted: 'x' }))).toEqual({ kind: 'invalid', problem: 'deleted is not a JSON array' });
  });
});

describe('readPageAnswer: totals', () => {
  it('reads totals from headers, whatever their case, and counts the pages', () => {
    const stream = streamOf({ kind: 'pageNumber', totalRecordsHeader: 'X-Total-Count' });
    expect(readPageAnswer(stream, page({ perPage: 3 }), answer(records(3), { 'x-total-count': '10' }))).toEqual({
      kind: 'page',
      records: records(3),
      totals: { totalRecords: 10, totalPages: 4 },
    });
    const both = streamOf({ kind: 'pageNumber', totalRecordsHeader: 'X-WP-Total', totalPagesHeader: 'X-WP-TotalPages' });
    expect(readPageAnswer(both, page(), answer(records(3), { 'x-wp-total': ['7', '8'], 'x-wp-totalpages': '3' }))).toMatchObject({ totals: { totalRecords: 7, totalPages: 3 } });
  });

  it('reads totals from the body', () => {
    const stream = streamOf({ kind: 'offset', totalRecordsPath: 'meta.total' }, { recordsPath: 'data' });
    expect(readPageAnswer(stream, page({ perPage: 3 }), answer({ data: records(3), meta: { total: 5 } }))).toMatchObject({ totals: { totalRecords: 5, totalPages: 2 } });
    const pagesOnly = streamOf({ kind: 'pageNumber', totalPagesPath: 'pages' }, { recordsPath: 'data' });
    expect(readPageAnswer(pagesOnly, page({ perPage: 3 }), answer({ data: records(3), pages: '4' }))).toMatchObject({ totals: { totalRecords: 12, totalPages: 4 } });
  });

  it('is invalid, naming the source, when a declared total is missing or not a count', () => {
    const stream = streamOf({ kind: 'pageNumber', totalRecordsHeader: 'X-Total-Count', totalPagesPath: 'meta.pages' });
    const missing = readPageAnswer(stream, page(), answer(records(3), {}));
    expect(missing).toEqual({ kind: 'invalid', problem: 'X-Total-Count/meta.pages are missing or not a count (stripped by a proxy?)' });
    for (const bad of ['', 'many', '-1', '1.5']) {
      const reading = readPageAnswer(streamOf({ kind: 'offset', totalRecordsHeader: 'X-Total' }), page(), answer(records(3), { 'x-total': bad }));
      expect(reading).toEqual({ kind: 'invalid', problem: 'X-Total is missing or not a count (stripped by a proxy?)' });
    }
  });

  it('reads a range total from Content-Range and requires it', () => {
    const stream = streamOf({ kind: 'range' });
    expect(readPageAnswer(stream, page({ perPage: 50 }), answer(records(3), { 'content-range': 'items 0-49/120' }))).toMatchObject({ totals: { totalRecords: 120, totalPages: 3 } });
    expect(readPageAnswer(stream, page({ perPage: 50 }), answer([], { 'content-range': 'items */0' }))).toMatchObject({ totals: { totalRecords: 0, totalPages: 0 } });
    for (const headers of [{}, { 'content-range': 'items 0-49/*' }]) {
      expect(readPageAnswer(stream, page(), answer(records(3), headers))).toEqual({ kind: 'invalid', problem: 'the Content-Range header is missing or has no total' });
    }
  });
});

describe('readPageAnswer: the next page of chained streams', () => {
  it('chains page numbers from firstPage while pages come back full', () => {
    const fromZero = streamOf({ kind: 'pageNumber', firstPage: 0 });
    expect(readPageAnswer(fromZero, page(), answer(records(3)))).toMatchObject({ next: '1' });
    expect(readPageAnswer(fromZero, page({ next: '1' }), answer(records(3)))).toMatchObject({ next: '2' });
    expect(readPageAnswer(streamOf({ kind: 'pageNumber' }), page(), answer(records(3)))).toMatchObject({ next: '2' });
    expect(readPageAnswer(fromZero, page({ next: '2' }), answer(records(2)))).toEqual({ kind: 'page', records: records(2) });
  });

  it('chains offsets by the records served', () => {
    const stream = streamOf({ kind: 'offset' });
    expect(readPageAnswer(stream, page(), answer(records(3)))).toMatchObject({ next: '3' });
    expect(readPageAnswer(stream, page({ next: '3' }), answer(records(3, 4)))).toMatchObject({ next: '6' });
    expect(readPageAnswer(stream, page({ next: '6' }), answer(records(1, 7)))).toEqual({ kind: 'page', records: records(1, 7) });
  });

  it('chains the body\'s cursor until it is absent, null or empty', () => {
    const stream = streamOf({ kind: 'cursor', nextCursorPath: 'paging.next.after' }, { recordsPath: 'data' });
    expect(readPageAnswer(stream, page(), answer({ data: records(3), paging: { next: { after: 'c1' } } }))).toMatchObject({ next: 'c1' });
    expect(readPageAnswer(stream, page({ next: 'c1' }), answer({ data: records(3), paging: { next: { after: 42 } } }))).toMatchObject({ next: '42' });
    for (const paging of [undefined, { next: null }, { next: { after: null } }, { next: { after: '' } }]) {
      expect(readPageAnswer(stream, page({ next: 'c1' }), answer({ data: records(1), paging }))).toEqual({ kind: 'page', records: records(1) });
    }
  });

  it('ends a cursor stream on an empty page, even with a cursor', () => {
    const stream = streamOf({ kind: 'cursor', nextCursorPath: 'next' }, { recordsPath: 'data' });
    expect(readPageAnswer(stream, page({ next: 'c1' }), answer({ data: [], next: 'c2' }))).toEqual({ kind: 'page', records: [] });
  });

  it('is invalid when the cursor repeats the one just used', () => {
    const stream = streamOf({ kind: 'cursor', nextCursorPath: 'next' }, { recordsPath: 'data' });
    expect(readPageAnswer(stream, page({ next: 'c1' }), answer({ data: records(3), next: 'c1' }))).toEqual({ kind: 'invalid', problem: 'next repeats the cursor just used' });
  });

  it('follows a body link, resolving a relative one against the page\'s URL', () => {
    const stream = streamOf({ kind: 'nextUrl', nextUrlPath: 'links.next' }, { recordsPath: 'data' });
    expect(readPageAnswer(stream, page(), answer({ data: records(3), links: { next: '?cursor=2' } }))).toMatchObject({ next: 'https://api.example.test/v1/contacts?cursor=2' });
    expect(readPageAnswer(stream, page(), answer({ data: records(3), links: { next: '/v1/contacts?page=2' } }))).toMatchObject({ next: 'https://api.example.test/v1/contacts?page=2' });
    expect(readPageAnswer(stream, page(), answer({ data: records(3), links: { next: null } }))).toEqual({ kind: 'page', records: records(3) });
    expect(readPageAnswer(stream, page(), answer({ data: records(3), links: { next: 5 } }))).toEqual({ kind: 'invalid', problem: 'links.next is not a URL' });
  });

  it('follows the Link header\'s next', () => {
    const stream = streamOf({ kind: 'linkHeader' });
    const link = '<https://api.example.test/v1/contacts?cursor=Y29udGFjdHM&limit=3>; rel="next", <https://api.example.test/v1/contacts?limit=3>; rel="first"';
    expect(readPageAnswer(stream, page(), answer(records(3), { link }))).toMatchObject({ next: 'https://api.example.test/v1/contacts?cursor=Y29udGFjdHM&limit=3' });
    expect(readPageAnswer(streamOf({ kind: 'linkHeader', rel: 'following' }), page(), answer(records(3), { link }))).toEqual({ kind: 'page', records: records(3) });
  });

  it('ends on the last page: no next link, or none with the stream\'s rel', () => {
    const stream = streamOf({ kind: 'linkHeader' });
    expect(readPageAnswer(stream, page(), answer(records(2)))).toEqual({ kind: 'page', records: records(2) });
    expect(readPageAnswer(stream, page(), answer(records(2), { link: '<https://api.example.test/v1/contacts>; rel="first"' }))).toEqual({ kind: 'page', records: records(2) });
  });

  it('refuses a next link to another origin, where the credentials would follow', () => {
    const body = streamOf({ kind: 'nextUrl', nextUrlPath: 'next' }, { recordsPath: 'data' });
    for (const next of ['https://evil.example.test/v1/contacts?page=2', 'http://api.example.test/v1/contacts?page=2', 'https://api.example.test:8443/v1/contacts', '//evil.example.test/x']) {
      const reading = readPageAnswer(body, page(), answer({ data: records(3), next }));
      expect(reading).toMatchObject({ kind: 'invalid', problem: expect.stringMatching(/^next leads to another origin/) });
    }
    const header = readPageAnswer(streamOf({ kind: 'linkHeader' }), page(), answer(records(3), { link: '<https://evil.example.test/p2>; rel="next"' }));
    expect(header).toEqual({ kind: 'invalid', problem: 'the Link header leads to another origin (https://evil.example.test)' });
  });

  it('refuses a next link to the page just read', () => {
    const reading = readPageAnswer(streamOf({ kind: 'linkHeader' }), page(), answer(records(3), { link: `<${api}>; rel="next"` }));
    expect(reading).toEqual({ kind: 'invalid', problem: 'the Link header links the page just read' });
  });
});

describe('linkTarget', () => {
  it('picks the link with the relation among several', () => {
    const header = '<https://a.test/1>; rel="prev", <https://a.test/3>; rel="next", <https://a.test/9>; rel="last"';
    expect(linkTarget(header, 'next')).toBe('https://a.test/3');
    expect(linkTarget(header, 'prev')).toBe('https://a.test/1');
    expect(linkTarget(header, 'last')).toBe('https://a.test/9');
    expect(linkTarget(header, 'first')).toBeUndefined();
    expect(linkTarget(undefined, 'next')).toBeUndefined();
  });

  it('reads quoted and unquoted rel, in any case and with other parameters around it', () => {
    expect(linkTarget('<https://a.test/2>; rel=next', 'next')).toBe('https://a.test/2');
    expect(linkTarget('<https://a.test/2>;rel=NEXT', 'next')).toBe('https://a.test/2');
    expect(linkTarget('<https://a.test/2> ; type="application/json" ; REL = "next"', 'next')).toBe('https://a.test/2');
    expect(linkTarget('<https://a.test/1>; rel=prev, <https://a.test/2>; rel=next', 'next')).toBe('https://a.test/2');
  });

  it('reads a space-separated list of relations', () => {
    const header = '<https://a.test/1>; rel="first prev", <https://a.test/2>; rel="next last"';
    expect(linkTarget(header, 'prev')).toBe('https://a.test/1');
    expect(linkTarget(header, 'next')).toBe('https://a.test/2');
    expect(linkTarget(header, 'last')).toBe('https://a.test/2');
  });

  it('reads past quoted parameters holding commas and semicolons', () => {
    expect(linkTarget('<https://a.test/2>; title="Page 2, of 9"; rel="next"', 'next')).toBe('https://a.test/2');
    expect(linkTarget('<https://a.test/1>; title="x; rel=next", <https://a.test/3>; rel="next"', 'next')).toBe('https://a.test/3');
    expect(linkTarget('<https://a.test/2>; crossorigin; rel=next', 'next')).toBe('https://a.test/2');
  });

  it('does not take a relation that only contains the one asked', () => {
    expect(linkTarget('<https://a.test/2>; rel="nextpage"', 'next')).toBeUndefined();
    expect(linkTarget('<https://a.test/2>; anchor="next"', 'next')).toBeUndefined();
  });

  it('round-trips any URLs written as a Link header', () => {
    fc.assert(
      fc.property(fc.webUrl({ withQueryParameters: true, withFragments: true }), fc.webUrl({ withQueryParameters: true }), fc.boolean(), (next, prev, quoted) => {
        const rel = (name: string) => (quoted ? `"${name}"` : name);
        const header = `<${prev}>; rel=${rel('prev')}, <${next}>; rel=${rel('next')}`;
        expect(linkTarget(header, 'next')).toBe(next);
        expect(linkTarget(header, 'prev')).toBe(prev);
      }),
    );
  });
});
