import { createHash } from 'node:crypto';
import type { SqlParameter, SqlQuerySpec } from '@azure/cosmos';
import type { AnyOfFilter, ArrayContainsFilter, ContainerName, DefinedFilter, Filter, Query } from '../../ports/store.js';
import { StoreError } from '../../ports/storeError.js';
import { sqlPath } from './cosmosPaths.js';

export const DEFAULT_PAGE_SIZE = 100;
export const MAX_PAGE_SIZE = 1000;

type Scalar = Filter['value'];

/**
 * Visible = not expired. Cosmos already hides expired documents; @vercel/cosmosdb-server ignores
 * TTL, so the same rule (expiry at `_ts + ttl`) is applied here too: a no-op on Cosmos.
 */
export const VISIBLE = '(NOT IS_NUMBER(c.ttl) OR c.ttl <= 0 OR c._ts + c.ttl > @now)';

/** True when a document as stored has outlived its ttl (see VISIBLE). */
export function isExpired(resource: { ttl?: unknown; _ts?: unknown }, nowSeconds: number): boolean {
  const { ttl, _ts } = resource;
  return typeof ttl === 'number' && ttl > 0 && typeof _ts === 'number' && _ts + ttl <= nowSeconds;
}

/**
 * Parameterized SQL for one tenant's page. The SQL always filters `c.tenantId = @tenantId` although
 * the partitionKey option is passed as well: @vercel/cosmosdb-server ignores that option (and a
 * mistaken cross-partition query must still never see another tenant). Paging is by continuation
 * token only (no OFFSET/LIMIT). One ORDER BY term, so no composite index is needed: ties come back
 * in `_rid` order, which continuation tokens resume exactly.
 */
export function buildQuerySql(tenantId: string, query: Query, nowSeconds: number): SqlQuerySpec {
  const { where, parameters } = whereSql(tenantId, query, nowSeconds);
  const order = query.orderBy;
  const orderSql = `${sqlPath('c', order?.path ?? 'id')} ${order?.direction === 'desc' ? 'DESC' : 'ASC'}`;
  return { query: `SELECT * FROM c WHERE ${where} ORDER BY ${orderSql}`, parameters };
}

/** The number of documents the query's filters match, as one value (its order is irrelevant). */
export function buildCountSql(tenantId: string, query: Query, nowSeconds: number): SqlQuerySpec {
  const { where, parameters } = whereSql(tenantId, query, nowSeconds);
  return { query: `SELECT VALUE COUNT(1) FROM c WHERE ${where}`, parameters };
}

function whereSql(tenantId: string, query: Query, nowSeconds: number): { where: string; parameters: SqlParameter[] } {
  const parameters: SqlParameter[] = [
    { name: '@tenantId', value: tenantId },
    { name: '@now', value: nowSeconds },
  ];
  const bind: Bind = (value) => {
    const name = `@p${parameters.length}`;
    parameters.push({ name, value });
    return name;
  };
  const where = ['c.tenantId = @tenantId', VISIBLE, ...(query.filters ?? []).map((filter) => filterSql(filter, bind))];
  return { where: where.join(' AND '), parameters };
}

type Bind = (value: string | number | boolean) => string;

function filterSql(filter: Filter | ArrayContainsFilter | AnyOfFilter | DefinedFilter, bind: Bind): string {
  const target = sqlPath('c', filter.path);
  if (filter.op === 'defined') return `${filter.defined ? '' : 'NOT '}IS_DEFINED(${target})`;
  if (filter.op === 'in') {
    const equalities = filter.values.map((value) => compareSql(target, '=', value, bind));
    return `(${equalities.join(' OR ') || 'false'})`;
  }
  if (filter.op === 'arrayContains') {
    const fields = Object.entries(filter.match).map(([key, value]) => `${sqlPath('e', key)} = ${bind(value)}`);
    return `EXISTS(SELECT VALUE e FROM e IN ${target}${fields.length > 0 ? ` WHERE ${fields.join(' AND ')}` : ''})`;
  }
  return compareSql(target, filter.op, filter.value, bind);
}

/**
 * Typed comparison, as in the embedded store: values of different JSON types are never equal or
 * ordered, a missing field matches nothing, `null` matches only an explicit null. The type guards
 * make this explicit rather than relying on how each server treats mixed-type comparisons.
 */
function compareSql(target: string, op: Filter['op'], value: Scalar, bind: Bind): string {
  if (value === null) {
    if (op === '=') return `IS_NULL(${target})`;
    if (op === '!=') return `(IS_DEFINED(${target}) AND NOT IS_NULL(${target}))`;
    return 'false';
  }
  const sameType = `${typeGuard(value)}(${target})`;
  const parameter = bind(value);
  if (op === '!=') return `(IS_DEFINED(${target}) AND NOT (${sameType} AND ${target} = ${parameter}))`;
  return `(${sameType} AND ${target} ${op} ${parameter})`;
}

function typeGuard(value: string | number | boolean): string {
  return typeof value === 'string' ? 'IS_STRING' : typeof value === 'number' ? 'IS_NUMBER' : 'IS_BOOL';
}

export function pageSize(maxItems: number | undefined): number {
  return Math.min(Math.max(Math.trunc(maxItems ?? DEFAULT_PAGE_SIZE), 1), MAX_PAGE_SIZE);
}

/**
 * Our continuation token wraps Cosmos's with the query it belongs to and the `now` of its first
 * page (so every page sends the same SQL and parameters, which Cosmos tokens assume). A token that
 * does not decode or belongs to another query is a 400: the test server would silently restart a
 * garbage token from the first page.
 */
interface Continuation {
  query: string;
  now: number;
  cosmos: string;
}

export function queryFingerprint(container: ContainerName, tenantId: string, query: Query): string {
  return createHash('sha256').update(JSON.stringify([container, tenantId, query])).digest('base64url').slice(0, 22);
}

export function encodeContinuation(continuation: Continuation): string {
  return Buffer.from(JSON.stringify(continuation)).toString('base64url');
}

export function decodeContinuation(token: string, fingerprint: string): Omit<Continuation, 'query'> {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as Partial<Continuation>;
    if (parsed.query === fingerprint && typeof parsed.now === 'number' && typeof parsed.cosmos === 'string') {
      return { now: parsed.now, cosmos: parsed.cosmos };
    }
  } catch {
    // reported below
  }
  throw new StoreError('invalid continuation token', 400);
}
