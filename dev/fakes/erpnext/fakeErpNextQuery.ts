import { FrappeException, invalidJson } from './fakeErpNextErrors.js';
import type { FrappeDoc } from './fakeErpNextStore.js';
import { normalizeDateTime } from './fakeErpNextTime.js';

/** A list request as `frappe.client.get_list` (behind `GET /api/resource/{DocType}`) reads its parameters. */
export interface ListQuery {
  fields: string[] | undefined;
  filters: Array<[string, string, unknown]>;
  orderBy: Array<{ field: string; descending: boolean }>;
  start: number;
  /** 0: no limit. */
  pageLength: number;
}

const json = (params: URLSearchParams, name: string): unknown => {
  const raw = params.get(name);
  if (raw === null || raw === '') return undefined;
  try {
    return JSON.parse(raw);
  } catch {
    throw invalidJson(name);
  }
};

/** `[[field, op, value]]`, `[[doctype, field, op, value]]` or `{field: value | [op, value]}`. */
function parseFilters(raw: unknown): Array<[string, string, unknown]> {
  if (raw === undefined) return [];
  const bad = () => new FrappeException(417, 'ValidationError', `Invalid filters: ${JSON.stringify(raw).slice(0, 200)}`);
  if (Array.isArray(raw)) {
    return raw.map((entry: unknown) => {
      if (!Array.isArray(entry) || entry.length < 3 || entry.length > 4) throw bad();
      const [field, op, value] = entry.length === 4 ? entry.slice(1) : entry;
      if (typeof field !== 'string' || typeof op !== 'string') throw bad();
      return [field, op.toLowerCase(), value];
    });
  }
  if (typeof raw === 'object' && raw !== null) {
    return Object.entries(raw).map(([field, value]): [string, string, unknown] =>
      Array.isArray(value) && typeof value[0] === 'string' ? [field, value[0].toLowerCase(), value[1]] : [field, '=', value],
    );
  }
  throw bad();
}

/** `modified asc, name asc`, also with backticks and a `tabDocType.` prefix; Frappe's default is `modified desc`. */
function parseOrderBy(raw: string | null): ListQuery['orderBy'] {
  const text = raw === null || raw.trim() === '' ? 'modified desc' : raw;
  return text.split(',').map((part) => {
    const [column = '', direction = 'asc'] = part.trim().split(/\s+/);
    const field = column.replaceAll('`', '').split('.').pop() ?? '';
    if (!/^[a-z_][a-z0-9_]*$/.test(field) || !/^(asc|desc)$/i.test(direction)) throw new FrappeException(417, 'ValidationError', `Invalid order_by: ${text.slice(0, 200)}`);
    return { field, descending: direction.toLowerCase() === 'desc' };
  });
}

export function parseListQuery(params: URLSearchParams): ListQuery {
  const fields = json(params, 'fields');
  if (fields !== undefined && (!Array.isArray(fields) || !fields.every((field) => typeof field === 'string'))) throw invalidJson('fields');
  const number = (name: string, fallback: number) => {
    const raw = params.get(name);
    const value = raw === null || raw === '' ? fallback : Number(raw);
    if (!Number.isSafeInteger(value) || value < 0) throw new FrappeException(417, 'ValidationError', `${name} must be a whole number`);
    return value;
  };
  return {
    fields: fields as string[] | undefined,
    filters: parseFilters(json(params, 'filters')),
    orderBy: parseOrderBy(params.get('order_by')),
    start: number('limit_start', 0),
    // `limit` is an alias (frappe-js-sdk sends it); Frappe's default page is 20.
    pageLength: number('limit_page_length', number('limit', 20)),
  };
}

const isDateTimeField = (field: string) => field === 'modified' || field === 'creation';

/** Values as the database compares them: datetimes as full instants, numbers as numbers. */
function comparable(field: string, value: unknown): string | number {
  if (typeof value === 'number') return value;
  const text = value === null || value === undefined ? '' : String(value);
  if (isDateTimeField(field)) return normalizeDateTime(text);
  return text !== '' && !Number.isNaN(Number(text)) ? Number(text) : text;
}

function matches(doc: FrappeDoc, [field, op, value]: [string, string, unknown]): boolean {
  const left = comparable(field, doc[field]);
  const right = Array.isArray(value) ? undefined : comparable(field, value);
  switch (op) {
    case '=':
      return left === right;
    case '!=':
      return left !== right;
    case '>':
      return right !== undefined && left > right;
    case '>=':
      return right !== undefined && left >= right;
    case '<':
      return right !== undefined && left < right;
    case '<=':
      return right !== undefined && left <= right;
    case 'in':
    case 'not in': {
      const list = (Array.isArray(value) ? value : String(value).split(',')).map((entry) => comparable(field, entry));
      return list.includes(left) === (op === 'in');
    }
    case 'like':
      return new RegExp(`^${String(value).replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replaceAll('%', '.*')}$`, 'i').test(String(doc[field] ?? ''));
    default:
      throw new FrappeException(417, 'ValidationError', `Unsupported operator: ${op}`);
  }
}

/** A list answer's rows: child tables are never part of a list (as in Frappe), `fields` picks columns (default `name` only). */
function project(doc: FrappeDoc, fields: string[] | undefined): Record<string, unknown> {
  const scalar = Object.fromEntries(Object.entries(doc).filter(([, value]) => !Array.isArray(value)));
  if (fields === undefined) return { name: doc.name };
  if (fields.includes('*')) return scalar;
  return Object.fromEntries(fields.filter((field) => field in scalar).map((field) => [field, scalar[field]]));
}

export function runListQuery(query: ListQuery, docs: readonly FrappeDoc[]): Record<string, unknown>[] {
  const kept = docs.filter((doc) => query.filters.every((filter) => matches(doc, filter)));
  kept.sort((a, b) => {
    for (const { field, descending } of query.orderBy) {
      const [x, y] = [comparable(field, a[field]), comparable(field, b[field])];
      if (x !== y) return (x < y ? -1 : 1) * (descending ? -1 : 1);
    }
    return 0;
  });
  const page = query.pageLength === 0 ? kept.slice(query.start) : kept.slice(query.start, query.start + query.pageLength);
  return page.map((doc) => project(doc, query.fields));
}
