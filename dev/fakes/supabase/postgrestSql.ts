import { PostgrestError } from './postgrestError.js';
import type { Filter, PostgrestRequest } from './postgrestRequest.js';

/** A table's columns and their types (information_schema's `data_type`). */
export type TableColumns = ReadonlyMap<string, string>;

export interface Statement {
  text: string;
  values: unknown[];
}

/** Identifiers reach SQL only after the catalog knows them, and quoted even then. */
export const quoted = (name: string) => `"${name.replaceAll('"', '""')}"`;

export function checkColumn(table: string, columns: TableColumns, column: string): string {
  if (!columns.has(column)) throw new PostgrestError(400, '42703', `column ${table}.${column} does not exist`);
  return quoted(column);
}

const comparison: Record<Exclude<Filter['op'], 'in' | 'is'>, string> = { eq: '=', neq: '<>', gt: '>', gte: '>=', lt: '<', lte: '<=' };

/** The WHERE clause of `filters`, values as parameters from `$<first>` on. */
function whereOf(request: PostgrestRequest, columns: TableColumns, values: unknown[]): string {
  const terms = request.filters.map((filter) => {
    const column = checkColumn(request.table, columns, filter.column);
    let term: string;
    if (filter.op === 'is') term = `${column} IS ${filter.value === 'null' ? 'NULL' : filter.value === 'true' ? 'TRUE' : 'FALSE'}`;
    else if (filter.op === 'in') {
      values.push(filter.value);
      // The array's element type is the column's: PostgreSQL infers it from the comparison.
      term = `${column} = ANY($${values.length})`;
    } else {
      values.push(filter.value);
      term = `${column} ${comparison[filter.op]} $${values.length}`;
    }
    return filter.negated ? `NOT (${term})` : term;
  });
  return terms.length === 0 ? '' : ` WHERE ${terms.join(' AND ')}`;
}

function selectListOf(request: PostgrestRequest, columns: TableColumns): string {
  return request.select === '*' ? '*' : request.select.map((column) => checkColumn(request.table, columns, column)).join(', ');
}

/** Rows as one JSON array, rendered by PostgreSQL itself as PostgREST does (timestamps with their zone and microseconds); a CTE, since a data-modifying statement cannot be a subquery. */
const asJson = (inner: string) => `WITH _rows AS (${inner}) SELECT coalesce(json_agg(_row), '[]')::text AS body, count(*)::int AS rows FROM _rows _row`;

export function selectStatement(request: PostgrestRequest, columns: TableColumns): Statement {
  const values: unknown[] = [];
  const where = whereOf(request, columns, values);
  const order =
    request.order.length === 0
      ? ''
      : ` ORDER BY ${request.order
          .map((term) => `${checkColumn(request.table, columns, term.column)} ${term.descending ? 'DESC' : 'ASC'}${term.nulls ? ` NULLS ${term.nulls.toUpperCase()}` : ''}`)
          .join(', ')}`;
  values.push(request.limit ?? null, request.offset);
  const page = ` LIMIT $${values.length - 1} OFFSET $${values.length}`;
  return { text: asJson(`SELECT ${selectListOf(request, columns)} FROM ${quoted(request.table)}${where}${order}${page}`), values };
}

export function countStatement(request: PostgrestRequest, columns: TableColumns): Statement {
  const values: unknown[] = [];
  const where = whereOf(request, columns, values);
  return { text: `SELECT count(*)::bigint AS total FROM ${quoted(request.table)}${where}`, values };
}

/** A JSON value as a parameter for a column: json(b) columns take it serialised, arrays included. */
function parameterOf(value: unknown, type: string | undefined): unknown {
  if (value === undefined || value === null) return null;
  if (type === 'json' || type === 'jsonb') return JSON.stringify(value);
  if (typeof value === 'object' && !Array.isArray(value)) return JSON.stringify(value);
  return value;
}

/** PostgREST's refusal of a body field that names no column. */
const unknownBodyColumn = (table: string, column: string) =>
  new PostgrestError(400, 'PGRST204', `Could not find the '${column}' column of '${table}' in the schema cache`);

export function insertStatement(request: PostgrestRequest, columns: TableColumns, rows: Array<Record<string, unknown>>): Statement {
  const names = [...new Set(rows.flatMap((row) => Object.keys(row)))];
  for (const name of names) if (!columns.has(name)) throw unknownBodyColumn(request.table, name);
  const values: unknown[] = [];
  const tuples = rows.map((row) => {
    const cells = names.map((name) => {
      if (!Object.hasOwn(row, name)) return request.prefer.missing === 'default' ? 'DEFAULT' : 'NULL';
      values.push(parameterOf(row[name], columns.get(name)));
      return `$${values.length}`;
    });
    return `(${cells.join(', ')})`;
  });
  const into = names.length === 0 ? ' DEFAULT VALUES' : ` (${names.map(quoted).join(', ')}) VALUES ${tuples.join(', ')}`;
  let conflict = '';
  if (request.prefer.resolution !== undefined) {
    const target = request.onConflict ?? [...primaryKeyGuess(columns)];
    const keys = target.map((column) => checkColumn(request.table, columns, column)).join(', ');
    const updates = names.filter((name) => !target.includes(name)).map((name) => `${quoted(name)} = EXCLUDED.${quoted(name)}`);
    conflict = request.prefer.resolution === 'ignore-duplicates' || updates.length === 0 ? ` ON CONFLICT (${keys}) DO NOTHING` : ` ON CONFLICT (${keys}) DO UPDATE SET ${updates.join(', ')}`;
  }
  return { text: asJson(`INSERT INTO ${quoted(request.table)}${into}${conflict} RETURNING ${selectListOf(request, columns)}`), values };
}

/** Without `on_conflict` PostgREST takes the primary key; the fake assumes it is `id`. */
function primaryKeyGuess(columns: TableColumns): string[] {
  return columns.has('id') ? ['id'] : [];
}

export function updateStatement(request: PostgrestRequest, columns: TableColumns, patch: Record<string, unknown>): Statement {
  const names = Object.keys(patch);
  for (const name of names) if (!columns.has(name)) throw unknownBodyColumn(request.table, name);
  if (names.length === 0) throw new PostgrestError(400, 'PGRST100', 'Empty or invalid json', null);
  const values: unknown[] = names.map((name) => parameterOf(patch[name], columns.get(name)));
  const set = names.map((name, index) => `${quoted(name)} = $${index + 1}`).join(', ');
  const where = whereOf(request, columns, values);
  return { text: asJson(`UPDATE ${quoted(request.table)} SET ${set}${where} RETURNING ${selectListOf(request, columns)}`), values };
}

export function deleteStatement(request: PostgrestRequest, columns: TableColumns): Statement {
  const values: unknown[] = [];
  const where = whereOf(request, columns, values);
  return { text: asJson(`DELETE FROM ${quoted(request.table)}${where} RETURNING ${selectListOf(request, columns)}`), values };
}
