import { parseError, PostgrestError } from './postgrestError.js';

/** One `column=op.value` filter of a request. */
export interface Filter {
  column: string;
  op: 'eq' | 'neq' | 'gt' | 'gte' | 'lt' | 'lte' | 'in' | 'is';
  negated: boolean;
  /** `in`: the listed values; `is`: `null`, `true` or `false`. */
  value: string | string[];
}

export interface Order {
  column: string;
  descending: boolean;
  nulls?: 'first' | 'last';
}

/** What a PostgREST URL and headers ask for, before any column is checked against the table. */
export interface PostgrestRequest {
  table: string;
  select: string[] | '*';
  filters: Filter[];
  order: Order[];
  limit?: number;
  offset: number;
  onConflict?: string[];
  prefer: Preferences;
  /** `Accept: application/vnd.pgrst.object+json`: one row as an object, or 406. */
  singular: boolean;
}

export interface Preferences {
  count?: 'exact';
  return: 'representation' | 'minimal' | 'headers-only';
  resolution?: 'merge-duplicates' | 'ignore-duplicates';
  missing: 'null' | 'default';
}

const reserved = new Set(['select', 'order', 'limit', 'offset', 'on_conflict', 'columns']);
const ops = new Set(['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'in', 'is']);

/** Pure: the request a PostgREST URL (path `/rest/v1/<table>`) and its headers make. */
export function parsePostgrestRequest(table: string, query: URLSearchParams, headers: Record<string, string | string[] | undefined>): PostgrestRequest {
  const header = (name: string) => {
    const value = headers[name];
    return Array.isArray(value) ? value.join(',') : value;
  };
  const filters: Filter[] = [];
  for (const [name, raw] of query) {
    if (reserved.has(name)) continue;
    filters.push(parseFilter(name, raw));
  }
  const select = query.get('select');
  const range = rangeOf(header('range'), header('range-unit'));
  const limit = query.has('limit') ? nonNegative(query.get('limit')!, 'limit') : range?.limit;
  const offset = query.has('offset') ? nonNegative(query.get('offset')!, 'offset') : (range?.offset ?? 0);
  const onConflict = query.get('on_conflict');
  return {
    table,
    select: select === null || select.trim() === '*' ? '*' : select.split(',').map((column) => column.trim()),
    filters,
    order: query.has('order') ? parseOrder(query.get('order')!) : [],
    ...(limit !== undefined ? { limit } : {}),
    offset,
    ...(onConflict ? { onConflict: onConflict.split(',').map((column) => column.trim()) } : {}),
    prefer: parsePrefer(header('prefer')),
    singular: /application\/vnd\.pgrst\.object\+json/.test(header('accept') ?? ''),
  };
}

function parseFilter(column: string, raw: string): Filter {
  const match = /^(not\.)?([a-z]+)\.(.*)$/s.exec(raw);
  if (!match || !ops.has(match[2]!)) throw parseError(`"failed to parse filter (${raw.slice(0, 100)})" (line 1, column 1)`, 'unexpected operator');
  const op = match[2] as Filter['op'];
  const text = match[3]!;
  if (op === 'in') {
    const list = /^\((.*)\)$/s.exec(text);
    if (!list) throw parseError(`"failed to parse filter (${raw.slice(0, 100)})" (line 1, column 4)`, 'expected "("');
    return { column, op, negated: match[1] !== undefined, value: splitList(list[1]!) };
  }
  if (op === 'is' && !['null', 'true', 'false'].includes(text.toLowerCase())) throw parseError(`"failed to parse filter (${raw.slice(0, 100)})"`, 'is takes null, true or false');
  return { column, op, negated: match[1] !== undefined, value: op === 'is' ? text.toLowerCase() : text };
}

/** `a,"b,c",d` → `["a", "b,c", "d"]`: PostgREST's quoting of list values with reserved characters. */
function splitList(text: string): string[] {
  if (text === '') return [];
  const values: string[] = [];
  const pattern = /\s*(?:"((?:[^"\\]|\\.)*)"|([^,]*))\s*(?:,|$)/gy;
  let match: RegExpExecArray | null;
  while (pattern.lastIndex < text.length && (match = pattern.exec(text)) !== null) {
    values.push(match[1] !== undefined ? match[1].replace(/\\(.)/g, '$1') : match[2]!);
  }
  return values;
}

function parseOrder(text: string): Order[] {
  return text.split(',').map((term) => {
    const [column, ...modifiers] = term.trim().split('.');
    if (!column) throw parseError(`"failed to parse order (${text.slice(0, 100)})"`);
    let descending = false;
    let nulls: Order['nulls'];
    for (const modifier of modifiers) {
      if (modifier === 'asc' || modifier === 'desc') descending = modifier === 'desc';
      else if (modifier === 'nullsfirst' || modifier === 'nullslast') nulls = modifier === 'nullsfirst' ? 'first' : 'last';
      else throw parseError(`"failed to parse order (${text.slice(0, 100)})"`, `unexpected "${modifier.slice(0, 40)}"`);
    }
    return { column, descending, ...(nulls ? { nulls } : {}) };
  });
}

/** PostgREST reads `Range: 0-24` (unit in `Range-Unit`, default items); any other form is ignored, as PostgREST ignores it. */
function rangeOf(range: string | undefined, unit: string | undefined): { offset: number; limit?: number } | undefined {
  if (range === undefined || (unit !== undefined && unit !== 'items')) return undefined;
  const match = /^(\d+)-(\d*)$/.exec(range.trim());
  if (!match) return undefined;
  const from = Number(match[1]);
  if (match[2] === '') return { offset: from };
  const to = Number(match[2]);
  if (to < from) throw new PostgrestError(416, 'PGRST103', 'Requested range not satisfiable', `The lower boundary must be lower than or equal to the upper boundary in the Range header.`);
  return { offset: from, limit: to - from + 1 };
}

function nonNegative(text: string, name: string): number {
  if (!/^\d{1,9}$/.test(text)) throw parseError(`"failed to parse ${name} (${text.slice(0, 40)})"`);
  return Number(text);
}

function parsePrefer(text: string | undefined): Preferences {
  const prefer: Preferences = { return: 'minimal', missing: 'null' };
  for (const part of (text ?? '').split(',')) {
    const [key, value] = part.trim().split('=').map((piece) => piece.trim());
    if (key === 'count' && value === 'exact') prefer.count = 'exact';
    if (key === 'return' && (value === 'representation' || value === 'minimal' || value === 'headers-only')) prefer.return = value;
    if (key === 'resolution' && (value === 'merge-duplicates' || value === 'ignore-duplicates')) prefer.resolution = value;
    if (key === 'missing' && (value === 'default' || value === 'null')) prefer.missing = value;
  }
  return prefer;
}
