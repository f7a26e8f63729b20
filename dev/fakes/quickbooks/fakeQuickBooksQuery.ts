import { entityNamed, nameField, type QuickBooksEntity } from './fakeQuickBooksEntities.js';
import { invalidQuery, queryParserError } from './fakeQuickBooksFaults.js';
import type { StoredRecord } from './fakeQuickBooksStore.js';
import { parseQuickBooksTime } from './fakeQuickBooksTime.js';

type Literal = string | number | boolean;
type Operator = '=' | '<' | '>' | '<=' | '>=' | 'LIKE' | 'IN';

interface Condition {
  field: string;
  operator: Operator;
  values: Literal[];
}

export interface ParsedQuery {
  entity: QuickBooksEntity;
  count: boolean;
  conditions: Condition[];
  orderBy: { field: string; descending: boolean }[];
  /** 1-based, as QuickBooks counts. */
  startPosition: number;
  maxResults: number;
}

/** QuickBooks serves 100 rows unless told otherwise, and never more than 1,000 (larger MAXRESULTS are served as 1,000: unverified). */
export const defaultMaxResults = 100;
export const maxMaxResults = 1000;

/** Fields holding instants: compared as times, not text. */
const timeFields = new Set(['metadata.createtime', 'metadata.lastupdatedtime']);

/**
 * The subset of QuickBooks' query language a sync uses:
 * `SELECT * | COUNT(*) FROM <Entity> [WHERE a op v [AND …]] [ORDERBY f [ASC|DESC][, …]] [STARTPOSITION n] [MAXRESULTS m]`,
 * keywords in any case (node-quickbooks sends them lower-case). QuickBooks has no OR and no !=.
 */
export function parseQuery(text: string): ParsedQuery {
  const tokens = tokenize(text);
  let at = 0;
  const peek = () => tokens[at];
  const next = (what: string): string => {
    const token = tokens[at];
    if (token === undefined) throw queryParserError(`Encountered "<EOF>" at line 1; was expecting ${what}.`);
    at += 1;
    return token;
  };
  const keyword = (word: string) => {
    const token = next(word);
    if (token.toUpperCase() !== word) throw queryParserError(`Encountered " "${token}" " at line 1; was expecting ${word}.`);
  };
  const isKeyword = (word: string) => peek()?.toUpperCase() === word;

  keyword('SELECT');
  let count = false;
  if (isKeyword('COUNT')) {
    next('COUNT');
    for (const part of ['(', '*', ')']) if (next(part) !== part) throw queryParserError(`was expecting ${part}.`);
    count = true;
  } else if (next('*') !== '*') {
    // Field projection is not offered by the fake: every field is served.
    throw invalidQuery('only SELECT * and SELECT COUNT(*) are supported by this fake');
  }
  keyword('FROM');
  const entityName = next('an entity');
  const entity = entityNamed(entityName);
  if (entity === undefined) throw invalidQuery(`Entity ${entityName} is not supported in the query`);

  const conditions: Condition[] = [];
  if (isKeyword('WHERE')) {
    next('WHERE');
    do {
      if (isKeyword('AND')) next('AND');
      conditions.push(condition());
    } while (isKeyword('AND'));
  }
  const orderBy: ParsedQuery['orderBy'] = [];
  if (isKeyword('ORDERBY') || isKeyword('ORDER')) {
    if (next('ORDERBY').toUpperCase() === 'ORDER') keyword('BY');
    do {
      if (peek() === ',') next(',');
      const field = next('a field');
      let descending = false;
      if (isKeyword('ASC') || isKeyword('DESC')) descending = next('ASC').toUpperCase() === 'DESC';
      orderBy.push({ field, descending });
    } while (peek() === ',');
  }
  let startPosition = 1;
  let maxResults = defaultMaxResults;
  while (isKeyword('STARTPOSITION') || isKeyword('MAXRESULTS')) {
    const which = next('STARTPOSITION').toUpperCase();
    const value = Number(next('an integer'));
    if (!Number.isInteger(value) || value < 0) throw queryParserError(`${which} needs a non-negative integer`);
    if (which === 'STARTPOSITION') startPosition = Math.max(1, value);
    else maxResults = Math.min(value, maxMaxResults);
  }
  if (at < tokens.length) throw queryParserError(`Encountered " "${tokens[at] as string}" " at line 1.`);
  return { entity, count, conditions, orderBy, startPosition, maxResults };

  function condition(): Condition {
    const field = next('a field');
    let operator = next('an operator').toUpperCase();
    if ((operator === '<' || operator === '>') && peek() === '=') operator += next('=');
    if (!['=', '<', '>', '<=', '>=', 'LIKE', 'IN'].includes(operator)) throw queryParserError(`Encountered " "${operator}" " at line 1; was expecting an operator.`);
    if (operator !== 'IN') return { field, operator: operator as Operator, values: [literal(next('a value'))] };
    if (next('(') !== '(') throw queryParserError('was expecting "(" after IN.');
    const values: Literal[] = [];
    for (;;) {
      values.push(literal(next('a value')));
      const separator = next(')');
      if (separator === ')') break;
      if (separator !== ',') throw queryParserError(`Encountered " "${separator}" " in an IN list.`);
    }
    return { field, operator: 'IN', values };
  }
}

/** The records a parsed query selects, ordered, before paging. */
export function runQuery(query: ParsedQuery, stored: StoredRecord[], utcOffsetMinutes: number): StoredRecord[] {
  const conditions = [...query.conditions];
  // Name lists hide inactive entries unless the query says something about Active.
  const hideInactive = nameField[query.entity] !== undefined && !conditions.some((condition) => condition.field.toLowerCase() === 'active');
  if (hideInactive) conditions.push({ field: 'Active', operator: '=', values: [true] });
  const matching = stored.filter((entry) => conditions.every((condition) => matches(entry, condition, utcOffsetMinutes)));
  return matching.sort((a, b) => {
    for (const { field, descending } of query.orderBy) {
      const order = compare(valueOf(a, field), valueOf(b, field));
      if (order !== 0) return descending ? -order : order;
    }
    return Number(a.record.Id) - Number(b.record.Id);
  });
}

function matches(entry: StoredRecord, condition: Condition, utcOffsetMinutes: number): boolean {
  const actual = valueOf(entry, condition.field);
  const isTime = timeFields.has(condition.field.toLowerCase());
  const expected = condition.values.map((value) => {
    if (!isTime) return value;
    const ms = parseQuickBooksTime(String(value), utcOffsetMinutes);
    if (ms === undefined) throw queryParserError(`Invalid date format: ${String(value)}`);
    return ms;
  });
  const [first] = expected;
  switch (condition.operator) {
    case 'IN':
      return expected.some((value) => compare(actual, value) === 0);
    case 'LIKE': {
      const pattern = String(first).replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/%/g, '.*');
      return new RegExp(`^${pattern}$`, 'i').test(String(actual ?? ''));
    }
    case '=':
      return compare(actual, first) === 0;
    case '<':
      return actual !== undefined && compare(actual, first) < 0;
    case '>':
      return actual !== undefined && compare(actual, first) > 0;
    case '<=':
      return actual !== undefined && compare(actual, first) <= 0;
    case '>=':
      return actual !== undefined && compare(actual, first) >= 0;
  }
}

/** A dotted path (`MetaData.LastUpdatedTime`, `CustomerRef`), case-insensitive; MetaData times as milliseconds. */
function valueOf(entry: StoredRecord, field: string): Literal | undefined {
  const lower = field.toLowerCase();
  if (lower === 'metadata.createtime') return entry.createdMs;
  if (lower === 'metadata.lastupdatedtime') return entry.updatedMs;
  let current: unknown = entry.record;
  for (const part of field.split('.')) {
    if (typeof current !== 'object' || current === null) return undefined;
    const key = Object.keys(current).find((candidate) => candidate.toLowerCase() === part.toLowerCase());
    current = key === undefined ? undefined : (current as Record<string, unknown>)[key];
  }
  // A reference compares by its value (`CustomerRef = '3'`).
  if (typeof current === 'object' && current !== null && 'value' in current) current = (current as { value: unknown }).value;
  return typeof current === 'string' || typeof current === 'number' || typeof current === 'boolean' ? current : undefined;
}

function compare(a: Literal | undefined, b: Literal | undefined): number {
  if (a === undefined || b === undefined) return a === b ? 0 : a === undefined ? -1 : 1;
  if (typeof a === 'boolean' || typeof b === 'boolean') return String(a).toLowerCase() === String(b).toLowerCase() ? 0 : String(a) < String(b) ? -1 : 1;
  const numeric = Number(a) - Number(b);
  if (typeof a === 'number' || typeof b === 'number') return Number.isNaN(numeric) ? String(a).localeCompare(String(b)) : numeric;
  if (/^-?\d+(\.\d+)?$/.test(a) && /^-?\d+(\.\d+)?$/.test(b)) return numeric;
  const left = a.toLowerCase();
  const right = b.toLowerCase();
  return left < right ? -1 : left > right ? 1 : 0;
}

function literal(token: string): Literal {
  if (token.startsWith("'")) return token.slice(1, -1).replace(/\\'/g, "'");
  if (/^(true|false)$/i.test(token)) return token.toLowerCase() === 'true';
  const number = Number(token);
  if (token !== '' && !Number.isNaN(number)) return number;
  throw queryParserError(`Encountered " "${token}" " at line 1; was expecting a literal.`);
}

/** Words, quoted strings (`\'` escapes a quote), and single-character punctuation. */
function tokenize(text: string): string[] {
  const tokens: string[] = [];
  const pattern = /\s*(?:('(?:\\'|[^'])*')|([A-Za-z_][\w.]*|-?\d+(?:\.\d+)?)|([*(),=<>]))/y;
  let index = 0;
  while (index < text.length) {
    if (/^\s*$/.test(text.slice(index))) break;
    pattern.lastIndex = index;
    const match = pattern.exec(text);
    if (!match) throw queryParserError(`Lexical error at line 1, column ${index + 1}.`);
    tokens.push((match[1] ?? match[2] ?? match[3]) as string);
    index = pattern.lastIndex;
  }
  return tokens;
}
