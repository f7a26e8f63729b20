import { randomUUID } from 'node:crypto';
import type { Statement } from 'better-sqlite3';
import type { Clock } from '../../ports/clock.js';
import type {
  AnyOfFilter,
  DefinedFilter,
  ArrayContainsFilter,
  BatchOperation,
  ContainerName,
  Doc,
  Filter,
  Increments,
  PageRequest,
  Query,
  QueryPage,
  Store,
  Stored,
} from '../../ports/store.js';
import { BatchError } from '../../ports/batchError.js';
import { ConflictError } from '../../ports/conflictError.js';
import { NotFoundError } from '../../ports/notFoundError.js';
import { PreconditionFailedError } from '../../ports/preconditionFailedError.js';
import { StoreError } from '../../ports/storeError.js';
import type { SqliteDatabase } from './sqliteDatabase.js';

const DEFAULT_PAGE_SIZE = 100;
const MAX_PAGE_SIZE = 1000;
const VISIBLE = '(expires_at IS NULL OR expires_at > @now)';
/** Insert, or overwrite the existing row; create narrows the overwrite to expired rows. */
const INSERT_OR_OVERWRITE = `INSERT INTO docs (container, tenant_id, id, body, etag, ts, expires_at)
       VALUES (@container, @tenantId, @id, @body, @etag, @ts, @expiresAt)
       ON CONFLICT (container, tenant_id, id) DO UPDATE SET
         body = excluded.body, etag = excluded.etag, ts = excluded.ts, expires_at = excluded.expires_at`;

// The statements of the point operations, built once: the statement cache is keyed by their text.
// Writes return nothing: the new ETag and _ts are the parameters they were given, and RETURNING,
// which makes SQLite buffer the rows it returns, added over a third to the cost of an insert.
const READ_SQL = `SELECT id, body, etag, ts FROM docs WHERE container = @container AND tenant_id = @tenantId AND id = @id AND ${VISIBLE}`;
const READ_MANY_SQL = `SELECT id, body, etag, ts FROM docs
       WHERE container = @container AND tenant_id = @tenantId AND id IN (SELECT value FROM json_each(@ids)) AND ${VISIBLE}`;
const CREATE_SQL = `${INSERT_OR_OVERWRITE}
       WHERE docs.expires_at IS NOT NULL AND docs.expires_at <= @now`;
const REPLACE_SQL = `UPDATE docs SET body = @body, etag = @etag, ts = @ts, expires_at = @expiresAt
       WHERE container = @container AND tenant_id = @tenantId AND id = @id AND ${VISIBLE}
         AND (@ifMatch IS NULL OR etag = @ifMatch)`;
const UPSERT_SQL = INSERT_OR_OVERWRITE;
const DELETE_SQL = `DELETE FROM docs WHERE container = @container AND tenant_id = @tenantId AND id = @id AND ${VISIBLE}
         AND (@ifMatch IS NULL OR etag = @ifMatch)`;

interface Row {
  id: string;
  body: string;
  etag: string;
  ts: number;
}

/** A Row as the raw statement returns it, columns in SELECT order. */
type RawRow = [id: string, body: string, etag: string, ts: number];

type Scalar = string | number | boolean | null;

/** Store port on one SQLite table; every method is a single statement or a single transaction. */
export class SqliteStore implements Store {
  readonly #db: SqliteDatabase;
  readonly #clock: Clock;
  /** Prepared statements by SQL text: queries and increments vary only in shape, so this stays small. */
  readonly #statements = new Map<string, Statement>();
  /** Rows as arrays: the reads a de-duplication batch makes return hundreds, and objects cost a tenth to a fifth more. */
  readonly #readMany: Statement;
  readonly #batch: (container: ContainerName, tenantId: string, operations: readonly PlannedOperation[]) => void;

  constructor(db: SqliteDatabase, clock: Clock) {
    this.#db = db;
    this.#clock = clock;
    this.#readMany = db.prepare(READ_MANY_SQL).raw(true);
    this.#batch = db.transaction((container: ContainerName, tenantId: string, operations: readonly PlannedOperation[]) => {
      operations.forEach((operation, index) => {
        try {
          this.#apply(container, tenantId, operation);
        } catch (error) {
          if (error instanceof StoreError) throw new BatchError(index, error);
          throw error;
        }
      });
    });
  }

  async read<T extends Doc>(container: ContainerName, tenantId: string, id: string): Promise<Stored<T> | undefined> {
    return this.#read<T>(container, tenantId, id);
  }

  /** One statement: the ids go in as a JSON array, each looked up through the primary key. */
  async readMany<T extends Doc>(container: ContainerName, tenantId: string, ids: readonly string[]): Promise<Map<string, Stored<T>>> {
    if (ids.length === 0) return new Map();
    const rows = this.#readMany.all({ container, tenantId, ids: JSON.stringify(ids), now: this.#nowMs() }) as RawRow[];
    const found = new Map<string, Stored<T>>();
    for (const [id, body, etag, ts] of rows) found.set(id, toStored<T>({ id, body, etag, ts }));
    return found;
  }

  async create<T extends Doc>(container: ContainerName, doc: T): Promise<Stored<T>> {
    return stored<T>(this.#create(this.#prepareWrite(container, doc)));
  }

  async replace<T extends Doc>(container: ContainerName, doc: T, options?: { ifMatch?: string }): Promise<Stored<T>> {
    return stored<T>(this.#replace(this.#prepareWrite(container, doc), options?.ifMatch));
  }

  async upsert<T extends Doc>(container: ContainerName, doc: T, options?: { ifMatch?: string }): Promise<Stored<T>> {
    return stored<T>(this.#upsert(this.#prepareWrite(container, doc), options?.ifMatch));
  }

  async delete(container: ContainerName, tenantId: string, id: string, options?: { ifMatch?: string }): Promise<boolean> {
    return this.#delete(container, tenantId, id, options?.ifMatch);
  }

  async increment<T extends Doc>(
    container: ContainerName,
    tenantId: string,
    id: string,
    increments: Increments,
  ): Promise<Stored<T>> {
    return this.#increment<T>(container, tenantId, id, increments);
  }

  async query<T extends Doc>(
    container: ContainerName,
    tenantId: string,
    query: Query = {},
    page: PageRequest = {},
  ): Promise<QueryPage<T>> {
    const limit = Math.min(Math.max(Math.trunc(page.maxItems ?? DEFAULT_PAGE_SIZE), 1), MAX_PAGE_SIZE);
    const orderPath = query.orderBy?.path ?? 'id';
    const descending = query.orderBy?.direction === 'desc';
    const byId = orderPath === 'id';
    const sortKey = byId ? 'id' : 'json_extract(body, @orderPath)';
    const params: Record<string, Scalar> = { container, tenantId, now: this.#nowMs(), limit: limit + 1 };
    if (!byId) params.orderPath = toJsonPath(orderPath);

    const where = ['container = @container', 'tenant_id = @tenantId', VISIBLE];
    (query.filters ?? []).forEach((filter, index) => where.push(filterSql(filter, `f${index}`, params)));

    const cursor = page.continuationToken === undefined ? undefined : decodeToken(page.continuationToken);
    if (cursor) {
      params.afterId = cursor.id;
      if (byId) where.push(descending ? 'id < @afterId' : 'id > @afterId');
      else where.push(keysetSql(sortKey, cursor.sortValue, descending, params));
    }

    const direction = descending ? 'DESC' : 'ASC';
    const orderSql = byId ? `id ${direction}` : `${sortKey} ${direction}, id ${direction}`;
    const selectSort = byId ? '' : `, ${sortKey} AS sort_value`;
    const sql = `SELECT id, body, etag, ts${selectSort} FROM docs WHERE ${where.join(' AND ')} ORDER BY ${orderSql} LIMIT @limit`;
    const rows = this.#statement(sql).all(params) as Array<Row & { sort_value?: Scalar }>;

    const more = rows.length > limit;
    if (more) rows.length = limit;
    const items = rows.map((row) => toStored<T>(row));
    const last = rows.at(-1);
    return more && last
      ? { items, continuationToken: encodeToken({ sortValue: byId ? last.id : (last.sort_value ?? null), id: last.id }) }
      : { items };
  }

  async count(container: ContainerName, tenantId: string, query: Query = {}): Promise<number> {
    const params: Record<string, Scalar> = { container, tenantId, now: this.#nowMs() };
    const where = ['container = @container', 'tenant_id = @tenantId', VISIBLE];
    (query.filters ?? []).forEach((filter, index) => where.push(filterSql(filter, `f${index}`, params)));
    const row = this.#statement(`SELECT COUNT(*) AS n FROM docs WHERE ${where.join(' AND ')}`).get(params) as { n: number };
    return row.n;
  }

  async batch(container: ContainerName, tenantId: string, operations: BatchOperation[]): Promise<void> {
    // Documents are checked and serialised before the transaction, so the write lock (which other
    // processes on the file wait for) is held only for the statements.
    const planned = operations.map((operation, index): PlannedOperation => {
      if (!('doc' in operation)) return operation;
      if (operation.doc.tenantId !== tenantId) {
        throw new BatchError(index, new StoreError(`batch for tenant ${tenantId} cannot write a document of tenant ${operation.doc.tenantId}`, 400));
      }
      return { op: operation.op, write: this.#prepareWrite(container, operation.doc), ifMatch: 'ifMatch' in operation ? operation.ifMatch : undefined };
    });
    this.#batch(container, tenantId, planned);
  }

  /** Deletes expired documents (they are already invisible); returns how many. Idempotent. */
  async purgeExpired(): Promise<number> {
    return this.#statement('DELETE FROM docs WHERE expires_at <= @now').run({ now: this.#nowMs() }).changes;
  }

  #apply(container: ContainerName, tenantId: string, operation: PlannedOperation): void {
    switch (operation.op) {
      case 'create':
        this.#create(operation.write);
        return;
      case 'upsert':
        this.#upsert(operation.write, operation.ifMatch);
        return;
      case 'replace':
        this.#replace(operation.write, operation.ifMatch);
        return;
      case 'delete':
        if (!this.#delete(container, tenantId, operation.id, operation.ifMatch)) {
          throw new NotFoundError(container, operation.id); // a batch delete of nothing fails, as in Cosmos
        }
        return;
      case 'increment':
        this.#increment(container, tenantId, operation.id, operation.increments);
        return;
    }
  }

  #read<T extends Doc>(container: ContainerName, tenantId: string, id: string): Stored<T> | undefined {
    const row = this.#statement(READ_SQL).get({ container, tenantId, id, now: this.#nowMs() }) as Row | undefined;
    return row && toStored<T>(row);
  }

  /** The stored document is only built by the single-document methods: a batch returns none. */
  #create(write: PreparedWrite): PreparedWrite {
    const { container, id } = write.params;
    // An expired row may be overwritten: it no longer exists as far as callers can tell.
    if (this.#statement(CREATE_SQL).run(write.params).changes === 0) throw new ConflictError(container, id);
    return write;
  }

  #replace(write: PreparedWrite, ifMatch: string | undefined): PreparedWrite {
    const { container, tenantId, id } = write.params;
    if (this.#statement(REPLACE_SQL).run({ ...write.params, ifMatch: ifMatch ?? null }).changes > 0) return write;
    if (ifMatch !== undefined && this.#read(container, tenantId, id)) throw new PreconditionFailedError(container, id);
    throw new NotFoundError(container, id);
  }

  /** With ifMatch, upsert only replaces the matching version; a missing document fails with 412 too (it changed). */
  #upsert(write: PreparedWrite, ifMatch: string | undefined): PreparedWrite {
    if (ifMatch !== undefined) {
      try {
        return this.#replace(write, ifMatch);
      } catch (error) {
        throw error instanceof NotFoundError ? new PreconditionFailedError(write.params.container, write.params.id) : error;
      }
    }
    this.#statement(UPSERT_SQL).run(write.params);
    return write;
  }

  #delete(container: ContainerName, tenantId: string, id: string, ifMatch: string | undefined): boolean {
    const { changes } = this.#statement(DELETE_SQL).run({ container, tenantId, id, ifMatch: ifMatch ?? null, now: this.#nowMs() });
    if (changes > 0) return true;
    if (ifMatch !== undefined && this.#read(container, tenantId, id)) throw new PreconditionFailedError(container, id);
    return false;
  }

  /** One UPDATE statement, so concurrent increments (even from other processes) never lose an update. */
  #increment<T extends Doc>(container: ContainerName, tenantId: string, id: string, increments: Increments): Stored<T> {
    const entries = Object.entries(increments);
    const nowMs = this.#nowMs();
    const params: Record<string, Scalar> = { container, tenantId, id, now: nowMs, etag: randomUUID(), ts: toTs(nowMs) };
    const sets = entries.map(([path, amount], index) => {
      params[`p${index}`] = toJsonPath(path);
      params[`a${index}`] = amount;
      return `@p${index}, coalesce(json_extract(body, @p${index}), 0) + @a${index}`;
    });
    const body = sets.length === 0 ? 'body' : `json_set(body, ${sets.join(', ')})`;
    // A patch restarts the TTL countdown, as in Cosmos (expiry counts from _ts).
    const row = this.#statement(
      `UPDATE docs SET body = ${body}, etag = @etag, ts = @ts,
         expires_at = CASE WHEN json_extract(body, '$.ttl') > 0 THEN @now + json_extract(body, '$.ttl') * 1000 END
       WHERE container = @container AND tenant_id = @tenantId AND id = @id AND ${VISIBLE}
       RETURNING id, body, etag, ts`,
    ).get(params) as Row | undefined;
    if (!row) throw new NotFoundError(container, id);
    return toStored<T>(row);
  }

  #prepareWrite(container: ContainerName, doc: Doc): PreparedWrite {
    // A document read from the store carries its metadata; one built to be written (most) is used as it is.
    const body = '_etag' in doc || '_ts' in doc ? withoutMetadata(doc) : doc;
    const now = this.#nowMs();
    const ttl = body.ttl;
    return {
      body,
      params: {
        container,
        tenantId: doc.tenantId,
        id: doc.id,
        body: JSON.stringify(body),
        etag: randomUUID(),
        ts: toTs(now),
        // Cosmos semantics: a positive ttl counts from the last write; absent or -1 never expires.
        expiresAt: typeof ttl === 'number' && ttl > 0 ? now + ttl * 1000 : null,
        now,
      },
    };
  }

  #statement(sql: string): Statement {
    let statement = this.#statements.get(sql);
    if (!statement) {
      statement = this.#db.prepare(sql);
      this.#statements.set(sql, statement);
    }
    return statement;
  }

  #nowMs(): number {
    return this.#clock.now().getTime();
  }
}

/** A document ready for its statement: serialised, with its new metadata. */
interface PreparedWrite {
  body: object;
  params: {
    container: ContainerName;
    tenantId: string;
    id: string;
    body: string;
    etag: string;
    ts: number;
    expiresAt: number | null;
    now: number;
  };
}

/** A batch operation as the transaction applies it: documents already prepared. */
type PlannedOperation =
  | { op: 'create' | 'upsert' | 'replace'; write: PreparedWrite; ifMatch: string | undefined }
  | Extract<BatchOperation, { op: 'delete' | 'increment' }>;

function withoutMetadata(doc: Doc): Doc {
  const { _etag, _ts, ...body } = doc as Doc & { _etag?: unknown; _ts?: unknown };
  return body;
}

/**
 * The document just written, without parsing back the JSON it was stored as: documents are plain
 * JSON data, so the written object with the metadata the write gave it is what a read would
 * return (a copy, so callers cannot change what the store returned to someone else).
 */
function stored<T extends Doc>(write: PreparedWrite): Stored<T> {
  return { ...(write.body as T), _etag: write.params.etag, _ts: write.params.ts };
}

/** The parsed body is a fresh object: the metadata is set on it rather than on a copy (same keys, same order). */
function toStored<T extends Doc>(row: Row): Stored<T> {
  const doc = JSON.parse(row.body) as Stored<T>;
  doc._etag = row.etag;
  doc._ts = row.ts;
  return doc;
}

function toTs(epochMs: number): number {
  return Math.floor(epochMs / 1000);
}

/** `a.0.b` → `$."a"[0]."b"`: numeric segments index arrays, others are quoted object keys. */
function toJsonPath(dotted: string): string {
  return (
    '$' +
    dotted
      .split('.')
      .map((segment) => (/^\d+$/.test(segment) ? `[${segment}]` : `."${segment.replaceAll('"', '\\"')}"`))
      .join('')
  );
}

/**
 * Typed comparison, like Cosmos: values of different JSON types are never equal or ordered,
 * a missing field matches nothing, and `null` matches only an explicit JSON null.
 */
function compareSql(json: string, pathParam: string, op: Filter['op'], value: Scalar, valueParam: string, params: Record<string, Scalar>): string {
  const type = `json_type(${json}, @${pathParam})`;
  if (value === null) {
    if (op === '=') return `${type} = 'null'`;
    if (op === '!=') return `${type} <> 'null'`;
    return '0';
  }
  const types =
    typeof value === 'string' ? `('text')` : typeof value === 'number' ? `('integer', 'real')` : `('true', 'false')`;
  // better-sqlite3 cannot bind booleans; json_extract reads JSON true/false as 1/0.
  params[valueParam] = typeof value === 'boolean' ? Number(value) : value;
  const matches = `(${type} IN ${types} AND json_extract(${json}, @${pathParam}) = @${valueParam})`;
  if (op === '=') return matches;
  if (op === '!=') return `(${type} IS NOT NULL AND NOT ${matches})`;
  return `(${type} IN ${types} AND json_extract(${json}, @${pathParam}) ${op} @${valueParam})`;
}

function filterSql(filter: Filter | ArrayContainsFilter | AnyOfFilter | DefinedFilter, prefix: string, params: Record<string, Scalar>): string {
  params[`${prefix}p`] = toJsonPath(filter.path);
  if (filter.op === 'defined') return `json_type(body, @${prefix}p) IS ${filter.defined ? 'NOT ' : ''}NULL`;
  if (filter.op === 'in') {
    const equalities = filter.values.map((value, index) => compareSql('body', `${prefix}p`, '=', value, `${prefix}v${index}`, params));
    return `(${equalities.join(' OR ') || '0'})`;
  }
  if (filter.op !== 'arrayContains') {
    return compareSql('body', `${prefix}p`, filter.op, filter.value, `${prefix}v`, params);
  }
  const fields = Object.entries(filter.match).map(([key, value], index) => {
    params[`${prefix}m${index}`] = toJsonPath(key);
    return compareSql('element.value', `${prefix}m${index}`, '=', value, `${prefix}v${index}`, params);
  });
  return `EXISTS (SELECT 1 FROM json_each(body, @${prefix}p) AS element WHERE ${fields.join(' AND ') || '1'})`;
}

/**
 * Rows strictly after the cursor in (sortKey, id) order. SQLite orders NULL (missing field) first
 * ascending and last descending, and compares mixed types consistently with ORDER BY.
 */
function keysetSql(sortKey: string, sortValue: Scalar, descending: boolean, params: Record<string, Scalar>): string {
  if (sortValue === null) {
    return descending ? `(${sortKey} IS NULL AND id < @afterId)` : `(${sortKey} IS NOT NULL OR id > @afterId)`;
  }
  params.afterSort = typeof sortValue === 'boolean' ? Number(sortValue) : sortValue;
  return descending
    ? `(${sortKey} < @afterSort OR ${sortKey} IS NULL OR (${sortKey} = @afterSort AND id < @afterId))`
    : `(${sortKey} > @afterSort OR (${sortKey} = @afterSort AND id > @afterId))`;
}

interface Cursor {
  sortValue: Scalar;
  id: string;
}

function encodeToken(cursor: Cursor): string {
  return Buffer.from(JSON.stringify([cursor.sortValue, cursor.id])).toString('base64url');
}

function decodeToken(token: string): Cursor {
  try {
    const [sortValue, id] = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as [Scalar, string];
    if (typeof id === 'string') return { sortValue, id };
  } catch {
    // fall through: reported below
  }
  throw new StoreError('invalid continuation token', 400);
}
