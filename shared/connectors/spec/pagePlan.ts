import type { ResponseHeaders } from '../../core/operations/rateLimitHeaders.js';
import type { SourceRecord } from '../connector.js';
import { readPath } from '../../core/schemas/fieldPath.js';
import type { ChangeFeedSpec, IncrementalSpec, StreamSpec } from './streamSpec.js';
import { parseProviderTime } from '../../core/executions/incrementalCursor.js';
import { linkTarget } from './linkHeader.js';
import { firstHeader } from './responseErrors.js';
import { decodeWindow, stepWindow, type SearchWindow } from './searchWindow.js';

/** What a list call asks for: a page of a stream. */
export interface PageAsk {
  page: number;
  perPage: number;
  /** Chained streams: the previous page's token (a cursor, a page number, an offset or a URL). */
  next?: string;
  /** The instant records must be modified at or after, already at the stream's precision. */
  since?: number;
  ids?: readonly string[];
  filters?: Readonly<Record<string, string>>;
  /** Sync-token streams: the token kept by the last complete read. */
  syncToken?: string;
}

/** The request for one page: the stream's URL with `params`, or `url` as the previous page linked it. */
export interface PageRequest {
  url?: string;
  /** Another endpoint than the stream's list (a change feed), relative to the base URL. */
  path?: string;
  params: Record<string, string>;
  headers: Record<string, string>;
}

/** The result ceiling a read of the stream pages under, if any (a ceiling on incremental reads only leaves plain listings alone). */
const ceilingOf = (stream: StreamSpec, ask: PageAsk) => {
  const paginator = stream.paginator;
  if (!('resultCeiling' in paginator) || paginator.resultCeiling === undefined) return undefined;
  return paginator.resultCeilingReads === 'incremental' && ask.since === undefined ? undefined : paginator.resultCeiling;
};

/**
 * A windowed search's page as its paginator sees it: the window's own token, and the modified
 * filter from the later of the read's start and the window's anchor. Undefined: not a token made here.
 */
function withinWindow(ask: PageAsk): { ask: PageAsk; window: SearchWindow } | undefined {
  const window = decodeWindow(ask.next);
  if (!window) return undefined;
  const { next: _outer, ...rest } = ask;
  const since = Math.max(ask.since ?? Number.NEGATIVE_INFINITY, window.anchorMs ?? Number.NEGATIVE_INFINITY);
  return { window, ask: { ...rest, ...(window.inner !== undefined ? { next: window.inner } : {}), ...(Number.isFinite(since) ? { since } : {}) } };
}

/** Pure: the request for a page of `stream`. */
export function planPageRequest(stream: StreamSpec, given: PageAsk): PageRequest {
  if (stream.changeFeed && stream.incremental && given.since !== undefined) {
    // A later answer of the same read is asked from the latest change the previous one held.
    const from = given.next === undefined ? given.since : Number(given.next);
    const params = { ...stream.changeFeed.query, [stream.incremental.param]: formatSince(from, stream.incremental), ...stream.incremental.params };
    return { path: stream.changeFeed.path, params, headers: {} };
  }
  const windowed = ceilingOf(stream, given) === undefined ? undefined : withinWindow(given);
  const ask = windowed?.ask ?? given;
  const paginator = stream.paginator;
  const headers: Record<string, string> = {};
  if ((paginator.kind === 'nextUrl' || paginator.kind === 'linkHeader') && ask.next !== undefined) {
    // The link carries every parameter, the filters included.
    return { url: ask.next, params: {}, headers };
  }
  // The stream's fixed parameters first: paging and the modified filter below win over them.
  const params: Record<string, string> = { ...stream.query };
  const size = String(ask.perPage);
  switch (paginator.kind) {
    case 'pageNumber':
      params[paginator.pageParam] = ask.next ?? String(paginator.firstPage + ask.page - 1);
      params[paginator.sizeParam] = size;
      break;
    case 'offset':
      params[paginator.offsetParam] = ask.next ?? String((ask.page - 1) * ask.perPage);
      params[paginator.limitParam] = size;
      break;
    case 'cursor':
      if (ask.next !== undefined) params[paginator.cursorParam] = ask.next;
      if (paginator.sizeParam) params[paginator.sizeParam] = size;
      break;
    case 'nextUrl':
    case 'linkHeader':
      if (paginator.sizeParam) params[paginator.sizeParam] = size;
      break;
    case 'range': {
      const start = (ask.page - 1) * ask.perPage;
      headers.range = `${paginator.unit}=${start}-${start + ask.perPage - 1}`;
      break;
    }
  }
  if (ask.since !== undefined && stream.incremental) {
    params[stream.incremental.param] = formatSince(ask.since, stream.incremental);
    Object.assign(params, stream.incremental.params);
  }
  if (ask.ids && stream.idsParam) params[stream.idsParam] = ask.ids.join(',');
  // A sync token goes with every page of the read it continues (the provider checks they match), and
  // every read asks for the next one: Google requires the parameters of the call that issued it.
  if (stream.syncToken) Object.assign(params, stream.syncToken.requestParams, ask.syncToken !== undefined ? { [stream.syncToken.param]: ask.syncToken } : {});
  // Task filters narrow the list; they never override paging, ordering or the modified filter.
  for (const [name, value] of Object.entries(ask.filters ?? {})) params[name] ??= value;
  return { params, headers };
}

/** The modified-since value as the provider takes it; an exclusive filter gets it one unit earlier. */
export function formatSince(since: number, incremental: IncrementalSpec): string {
  const seconds = incremental.format !== 'iso8601' && incremental.format !== 'unix-ms';
  const at = incremental.exclusive ? since - (seconds ? 1000 : 1) : since;
  switch (incremental.format) {
    case 'iso8601':
      return new Date(at).toISOString();
    case 'iso8601-seconds':
      return `${new Date(at).toISOString().slice(0, 19)}Z`;
    case 'iso8601-seconds-no-zone':
      return new Date(at).toISOString().slice(0, 19);
    case 'unix-seconds':
      return String(Math.floor(at / 1000));
    case 'unix-ms':
      return String(at);
  }
}

/** Whether the stream's filter has only second precision, so the instant asked is floored to the second. */
export const filtersToTheSecond = (incremental: IncrementalSpec | undefined) => incremental === undefined || !['iso8601', 'unix-ms'].includes(incremental.format);

/** What a list answer said, or the problem with its shape (the path named). */
export type PageReading =
  | { kind: 'page'; records: SourceRecord[]; totals?: { totalRecords: number; totalPages: number }; next?: string; deletedIds?: string[]; syncToken?: string }
  | { kind: 'invalid'; problem: string }
  /** A change feed that cannot serve the change since the instant asked (more changes share one instant than an answer holds): only a full read can. */
  | { kind: 'feedStuck'; problem: string };

export interface PageAnswer {
  headers: ResponseHeaders;
  body: unknown;
  /** The URL that was called, for relative next links. */
  url: string;
}

/** Pure: the records of a list answer and where the next page is (for a windowed search, the next window when this one is full). */
export function readPageAnswer(stream: StreamSpec, given: PageAsk, answer: PageAnswer): PageReading {
  if (stream.changeFeed && given.since !== undefined) return flaggedDeletes(stream, readFeedAnswer(stream, stream.changeFeed, given, answer));
  const ceiling = ceilingOf(stream, given);
  if (ceiling === undefined) return readListAnswer(stream, given, answer, false);
  const windowed = withinWindow(given);
  if (!windowed) return { kind: 'invalid', problem: 'the page token is not one this connector made' };
  const reading = readListAnswer(stream, windowed.ask, answer, true);
  if (reading.kind !== 'page') return reading;
  const step = stepWindow(windowed.window, reading, { ceiling, perPage: windowed.ask.perPage, modifiedField: stream.modifiedField });
  if (step.kind === 'stuck') return { kind: 'invalid', problem: step.problem };
  const { next: _inner, ...rest } = reading;
  return { ...rest, ...(step.next !== undefined ? { next: step.next } : {}) };
}

function readListAnswer(stream: StreamSpec, ask: PageAsk, answer: PageAnswer, chainedOnly: boolean): PageReading {
  const read = readRecordsAndNext(stream, ask, answer, chainedOnly);
  const token = stream.syncToken && read.kind === 'page' ? readPath(answer.body, stream.syncToken.nextTokenPath) : undefined;
  const withToken: PageReading = typeof token === 'string' && token !== '' && read.kind === 'page' ? { ...read, syncToken: token } : read;
  const reading = flaggedDeletes(stream, withToken);
  if (reading.kind !== 'page' || stream.deletedPath === undefined) return reading;
  const deleted = readPath(answer.body, stream.deletedPath);
  if (deleted === undefined || deleted === null) return reading;
  if (!Array.isArray(deleted)) return { kind: 'invalid', problem: `${stream.deletedPath} is not a JSON array` };
  const deletedIds = deleted.map((entry) => (typeof entry === 'object' && entry !== null ? readPath(entry, stream.idField) : entry));
  const bad = deletedIds.findIndex((id) => !((typeof id === 'string' && id !== '') || typeof id === 'number'));
  if (bad >= 0) return { kind: 'invalid', problem: `${stream.deletedPath}.${bad} names no id` };
  return deletedIds.length > 0 ? { ...reading, deletedIds: [...(reading.deletedIds ?? []), ...deletedIds.map(String)] } : reading;
}

/** Whether a record is flagged deleted: `deletedFlagPath` holds `deletedFlagValue` (or, `deletedWhenSet`, anything but null). */
export function flaggedDeleted(stream: StreamSpec, record: unknown): boolean {
  if (stream.deletedFlagPath === undefined) return false;
  const value = readPath(record, stream.deletedFlagPath);
  return stream.deletedWhenSet ? value !== undefined && value !== null : value === (stream.deletedFlagValue ?? true);
}

/** Records a change feed lists as deleted (`deletedFlagPath` holding `deletedFlagValue`) leave the page as deleted ids. */
function flaggedDeletes(stream: StreamSpec, reading: PageReading): PageReading {
  const flag = stream.deletedFlagPath;
  if (reading.kind !== 'page' || flag === undefined) return reading;
  const isDeleted = (record: SourceRecord) => flaggedDeleted(stream, record);
  const flagged = reading.records.filter(isDeleted);
  if (flagged.length === 0) return reading;
  const ids = flagged.map((record) => readPath(record, stream.idField)).filter((id) => typeof id === 'string' || typeof id === 'number').map(String);
  return { ...reading, records: reading.records.filter((record) => !isDeleted(record)), deletedIds: [...(reading.deletedIds ?? []), ...ids] };
}

/** The records at `path` (the body itself when absent), each an object; a list the provider leaves out of an empty answer is empty. */
function listAt(stream: StreamSpec, body: unknown, path: string | undefined): { records: SourceRecord[] } | { kind: 'invalid'; problem: string } {
  const list = path === undefined ? body : readPath(body, path);
  const where = path ?? 'the body';
  if (list === undefined && path !== undefined && stream.emptyListOmitted === true) {
    const parent = path.includes('.') ? readPath(body, path.slice(0, path.lastIndexOf('.'))) : body;
    if (typeof parent === 'object' && parent !== null) return { records: [] };
  }
  if (!Array.isArray(list)) return { kind: 'invalid', problem: `${where} is not a JSON array` };
  const notObject = list.findIndex((record) => typeof record !== 'object' || record === null || Array.isArray(record));
  if (notObject >= 0) return { kind: 'invalid', problem: `${path ? `${path}.` : ''}${notObject} is not an object` };
  return { records: list as SourceRecord[] };
}

/**
 * Pure: a change feed's answer. Under its ceiling it is the whole change since the instant asked;
 * a full one is followed by another from its latest change (asked one unit earlier when the
 * filter is exclusive, so changes sharing that instant are read again rather than lost). An answer
 * whose changes all share the instant it was asked from cannot move on and is refused.
 */
function readFeedAnswer(stream: StreamSpec, feed: ChangeFeedSpec, ask: PageAsk, answer: PageAnswer): PageReading {
  const listed = listAt(stream, answer.body, feed.recordsPath);
  if ('kind' in listed) return listed;
  const { records } = listed;
  if (feed.ceiling === undefined || records.length < feed.ceiling) return { kind: 'page', records };
  const latest = Math.max(...records.map((record) => parseProviderTime(readPath(record, stream.modifiedField)) ?? Number.NaN));
  const from = ask.next === undefined ? ask.since : Number(ask.next);
  if (!Number.isFinite(latest) || (from !== undefined && latest <= from)) {
    return { kind: 'feedStuck', problem: `${feed.ceiling} changes share one ${stream.modifiedField} (or it is missing): the feed cannot go past its ceiling` };
  }
  return { kind: 'page', records, next: String(latest) };
}

function readRecordsAndNext(stream: StreamSpec, ask: PageAsk, answer: PageAnswer, chainedOnly: boolean): PageReading {
  const listed = listAt(stream, answer.body, stream.recordsPath);
  if ('kind' in listed) return listed;
  const { records } = listed;
  const paginator = stream.paginator;
  const full = records.length >= ask.perPage;
  switch (paginator.kind) {
    case 'pageNumber':
    case 'offset': {
      // A windowed search is chained whatever totals it reports: they count one query, not the read.
      const totals = chainedOnly ? ({ kind: 'none' } as const) : readTotals(paginator, answer, ask.perPage);
      if (totals.kind === 'invalid') return totals;
      if (totals.kind === 'page') return { kind: 'page', records, totals: totals.totals };
      const current = Number(ask.next ?? (paginator.kind === 'pageNumber' ? paginator.firstPage : 0));
      const next = paginator.kind === 'pageNumber' ? current + 1 : current + records.length;
      return { kind: 'page', records, ...(full ? { next: String(next) } : {}) };
    }
    case 'cursor': {
      const cursor = readPath(answer.body, paginator.nextCursorPath);
      const next = typeof cursor === 'string' || typeof cursor === 'number' ? String(cursor) : undefined;
      if (next !== undefined && next !== '' && next === ask.next) return { kind: 'invalid', problem: `${paginator.nextCursorPath} repeats the cursor just used` };
      return { kind: 'page', records, ...(next && records.length > 0 ? { next } : {}) };
    }
    case 'nextUrl': {
      const link = readPath(answer.body, paginator.nextUrlPath);
      if (link !== undefined && link !== null && typeof link !== 'string') return { kind: 'invalid', problem: `${paginator.nextUrlPath} is not a URL` };
      return nextLink(link || undefined, answer.url, records, paginator.nextUrlPath);
    }
    case 'linkHeader':
      return nextLink(linkTarget(firstHeader(answer.headers.link), paginator.rel), answer.url, records, 'the Link header');
    case 'range': {
      // The unit is optional: PostgREST answers `0-999/12345`, its unit named in the request's `Range-Unit`.
      const range = /^\s*(?:[a-z][a-z0-9-]*\s+)?(?:\d+-\d+|\*)\/(\d+)\s*$/i.exec(firstHeader(answer.headers['content-range']) ?? '');
      if (!range) return { kind: 'invalid', problem: 'the Content-Range header is missing or has no total' };
      const totalRecords = Number(range[1]);
      return { kind: 'page', records, totals: { totalRecords, totalPages: Math.ceil(totalRecords / ask.perPage) } };
    }
  }
}

function nextLink(link: string | undefined, from: string, records: SourceRecord[], where: string): PageReading {
  if (link === undefined || records.length === 0) return { kind: 'page', records };
  let url: URL;
  try {
    url = new URL(link, from);
  } catch {
    return { kind: 'invalid', problem: `${where} is not a URL` };
  }
  // The connection's credentials go with the next request: only to the API they belong to.
  if (url.origin !== new URL(from).origin) return { kind: 'invalid', problem: `${where} leads to another origin (${url.origin})` };
  if (url.href === from) return { kind: 'invalid', problem: `${where} links the page just read` };
  return { kind: 'page', records, next: url.href };
}

type Totals = { kind: 'page'; totals: { totalRecords: number; totalPages: number } } | { kind: 'none' } | { kind: 'invalid'; problem: string };

function readTotals(
  paginator: Extract<StreamSpec['paginator'], { kind: 'pageNumber' | 'offset' }>,
  answer: PageAnswer,
  perPage: number,
): Totals {
  const pageSources = paginator.kind === 'pageNumber' ? { header: paginator.totalPagesHeader, path: paginator.totalPagesPath } : {};
  const recordSources = { header: paginator.totalRecordsHeader, path: paginator.totalRecordsPath };
  const declared = [pageSources.header, pageSources.path, recordSources.header, recordSources.path].filter((name) => name !== undefined);
  if (declared.length === 0) return { kind: 'none' };
  const count = (source: { header?: string | undefined; path?: string | undefined }) => {
    const raw = source.header ? firstHeader(answer.headers[source.header.toLowerCase()]) : source.path ? readPath(answer.body, source.path) : undefined;
    const value = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
    return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : undefined;
  };
  const records = count(recordSources);
  const pages = count(pageSources);
  const missing = (source: { header?: string | undefined; path?: string | undefined }, value: number | undefined) =>
    (source.header || source.path) && value === undefined ? [source.header ?? source.path] : [];
  const problems = [...missing(recordSources, records), ...missing(pageSources, pages)];
  if (problems.length > 0) return { kind: 'invalid', problem: `${problems.join('/')} ${problems.length > 1 ? 'are' : 'is'} missing or not a count (stripped by a proxy?)` };
  // Only pages said: every page but the last is full, so the count is at most this.
  const totalRecords = records ?? (pages ?? 0) * perPage;
  return { kind: 'page', totals: { totalRecords, totalPages: pages ?? Math.ceil(totalRecords / perPage) } };
}
