import { validationError } from './fakeNotionHttp.js';
import { isRecord, type NotionPage } from './fakeNotionStore.js';

export interface NotionQuery {
  filter?: (page: NotionPage) => boolean;
  compare: (a: NotionPage, b: NotionPage) => number;
  startCursor?: string;
  pageSize: number;
}

export interface NotionQueryPage {
  results: NotionPage[];
  nextCursor: string | null;
}

/** Notion's ceiling on `page_size`, also its default. */
export const maxPageSize = 100;

const timestamps = ['created_time', 'last_edited_time'] as const;
type Timestamp = (typeof timestamps)[number];
const textConditions = ['equals', 'does_not_equal', 'contains', 'does_not_contain', 'starts_with', 'ends_with', 'is_empty', 'is_not_empty'];
const dateConditions = ['equals', 'before', 'after', 'on_or_before', 'on_or_after', 'is_empty', 'is_not_empty'];

/** Reads `{filter, sorts, start_cursor, page_size}` as the data source query takes them. */
export function parseQuery(body: unknown): NotionQuery {
  if (!isRecord(body)) throw validationError('body failed validation: body should be an object.');
  const pageSize = body.page_size ?? maxPageSize;
  if (typeof pageSize !== 'number' || !Number.isInteger(pageSize) || pageSize < 1 || pageSize > maxPageSize) {
    throw validationError(`body failed validation: body.page_size should be ≤ \`${maxPageSize}\` and a positive integer, instead was \`${JSON.stringify(pageSize)}\`.`);
  }
  const cursor = body.start_cursor;
  if (cursor !== undefined && typeof cursor !== 'string') throw validationError('body failed validation: body.start_cursor should be a string.');
  return {
    ...(body.filter === undefined ? {} : { filter: parseFilter(body.filter, 'body.filter') }),
    compare: parseSorts(body.sorts),
    ...(cursor === undefined ? {} : { startCursor: cursor }),
    pageSize,
  };
}

/**
 * The matching pages in order, from the cursor on. The cursor is the id of the first page of the
 * next batch (what Notion's cursors look like), so a page edited meanwhile moves but none repeats
 * before the cursor; an unknown cursor is refused.
 */
export function runQuery(pages: NotionPage[], query: NotionQuery): NotionQueryPage {
  const matching = pages.filter((page) => !page.in_trash && (query.filter?.(page) ?? true)).sort(query.compare);
  let start = 0;
  if (query.startCursor !== undefined) {
    start = matching.findIndex((page) => page.id === query.startCursor);
    if (start < 0) throw validationError(`start_cursor provided is invalid: ${query.startCursor}`);
  }
  const results = matching.slice(start, start + query.pageSize);
  return { results, nextCursor: matching[start + query.pageSize]?.id ?? null };
}

function parseFilter(raw: unknown, at: string): (page: NotionPage) => boolean {
  if (!isRecord(raw)) throw validationError(`body failed validation: ${at} should be an object.`);
  for (const compound of ['and', 'or'] as const) {
    const parts = raw[compound];
    if (parts === undefined) continue;
    if (!Array.isArray(parts)) throw validationError(`body failed validation: ${at}.${compound} should be an array.`);
    const tests = parts.map((part: unknown, i) => parseFilter(part, `${at}.${compound}[${i}]`));
    return compound === 'and' ? (page) => tests.every((test) => test(page)) : (page) => tests.some((test) => test(page));
  }
  if (raw.timestamp !== undefined) {
    const timestamp = timestamps.find((name) => name === raw.timestamp);
    if (timestamp === undefined) throw validationError(`body failed validation: ${at}.timestamp should be \`"created_time"\` or \`"last_edited_time"\`.`);
    return dateTest(raw[timestamp], `${at}.${timestamp}`, (page) => page[timestamp]);
  }
  const property = raw.property;
  if (property === 'Name' || property === 'Email') {
    const type = property === 'Name' ? 'title' : 'email';
    const read = property === 'Name' ? (page: NotionPage) => page.properties.Name.title.map((item) => item.plain_text).join('') : (page: NotionPage) => page.properties.Email.email ?? '';
    const condition = raw[type] ?? (type === 'title' ? raw.rich_text : undefined);
    return textTest(condition, `${at}.${type}`, read);
  }
  if (property === 'Status') return textTest(raw.select, `${at}.select`, (page) => page.properties.Status.select?.name ?? '', ['equals', 'does_not_equal', 'is_empty', 'is_not_empty']);
  throw validationError(`Could not find property with name or id: ${typeof property === 'string' ? property : ''}`);
}

function textTest(raw: unknown, at: string, read: (page: NotionPage) => string, allowed: string[] = textConditions): (page: NotionPage) => boolean {
  const [condition, value] = onlyCondition(raw, at, allowed);
  if (condition === 'is_empty') return (page) => read(page) === '';
  if (condition === 'is_not_empty') return (page) => read(page) !== '';
  if (typeof value !== 'string') throw validationError(`body failed validation: ${at}.${condition} should be a string.`);
  // Notion's text filters ignore case (unverified for every condition; true of contains).
  const wanted = value.toLowerCase();
  const tests: Record<string, (text: string) => boolean> = {
    equals: (text) => text === wanted,
    does_not_equal: (text) => text !== wanted,
    contains: (text) => text.includes(wanted),
    does_not_contain: (text) => !text.includes(wanted),
    starts_with: (text) => text.startsWith(wanted),
    ends_with: (text) => text.endsWith(wanted),
  };
  const test = tests[condition] as (text: string) => boolean;
  return (page) => test(read(page).toLowerCase());
}

/**
 * A date condition. A full date-time compares instants; a bare date (`2024-05-01`) compares whole
 * UTC days, as Notion compares dates without a time.
 */
function dateTest(raw: unknown, at: string, read: (page: NotionPage) => string): (page: NotionPage) => boolean {
  const [condition, value] = onlyCondition(raw, at, dateConditions);
  if (condition === 'is_empty') return () => false;
  if (condition === 'is_not_empty') return () => true;
  if (typeof value !== 'string' || Number.isNaN(Date.parse(value))) throw validationError(`body failed validation: ${at}.${condition} should be a valid ISO 8601 date string, instead was \`${JSON.stringify(value)}\`.`);
  const dayOnly = /^\d{4}-\d{2}-\d{2}$/.test(value);
  const key = (iso: string) => (dayOnly ? Date.parse(iso.slice(0, 10)) : Date.parse(iso));
  const bound = Date.parse(value);
  const tests: Record<string, (at: number) => boolean> = {
    equals: (ms) => ms === bound,
    before: (ms) => ms < bound,
    after: (ms) => ms > bound,
    on_or_before: (ms) => ms <= bound,
    on_or_after: (ms) => ms >= bound,
  };
  const test = tests[condition] as (ms: number) => boolean;
  return (page) => test(key(read(page)));
}

function onlyCondition(raw: unknown, at: string, allowed: string[]): [string, unknown] {
  if (!isRecord(raw)) throw validationError(`body failed validation: ${at} should be an object.`);
  const entries = Object.entries(raw);
  const [entry] = entries;
  if (entries.length !== 1 || entry === undefined || !allowed.includes(entry[0])) {
    throw validationError(`body failed validation: ${at} should have exactly one of ${allowed.map((name) => `\`${name}\``).join(', ')}.`);
  }
  return entry;
}

/**
 * `[{timestamp | property, direction}]`, earlier entries first; ties fall back to creation time
 * then id. Without sorts the order is newest-created first (Notion's default order is unverified).
 */
function parseSorts(raw: unknown): (a: NotionPage, b: NotionPage) => number {
  const byCreation = (a: NotionPage, b: NotionPage) => b.created_time.localeCompare(a.created_time) || a.id.localeCompare(b.id);
  if (raw === undefined) return byCreation;
  if (!Array.isArray(raw)) throw validationError('body failed validation: body.sorts should be an array.');
  const keys = raw.map((sort: unknown, i) => {
    const at = `body.sorts[${i}]`;
    if (!isRecord(sort) || (sort.direction !== 'ascending' && sort.direction !== 'descending')) {
      throw validationError(`body failed validation: ${at}.direction should be \`"ascending"\` or \`"descending"\`.`);
    }
    const sign = sort.direction === 'ascending' ? 1 : -1;
    const read = sortKey(sort, at);
    return (a: NotionPage, b: NotionPage) => sign * read(a).localeCompare(read(b));
  });
  return (a, b) => {
    for (const key of keys) {
      const order = key(a, b);
      if (order !== 0) return order;
    }
    return a.created_time.localeCompare(b.created_time) || a.id.localeCompare(b.id);
  };
}

function sortKey(sort: Record<string, unknown>, at: string): (page: NotionPage) => string {
  if (sort.timestamp !== undefined) {
    const timestamp = timestamps.find((name) => name === sort.timestamp) as Timestamp | undefined;
    if (timestamp === undefined) throw validationError(`body failed validation: ${at}.timestamp should be \`"created_time"\` or \`"last_edited_time"\`.`);
    return (page) => page[timestamp];
  }
  if (sort.property === 'Name') return (page) => page.properties.Name.title.map((item) => item.plain_text).join('');
  if (sort.property === 'Email') return (page) => page.properties.Email.email ?? '';
  if (sort.property === 'Status') return (page) => page.properties.Status.select?.name ?? '';
  throw validationError(`Could not find sort property with name or id: ${typeof sort.property === 'string' ? sort.property : ''}`);
}
