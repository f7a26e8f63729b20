import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import pg from 'pg';
import { FakeRestError, readJsonBody } from '../restApi/fakeRestApiHttp.js';
import { fromDatabaseError, jwtError, PostgrestError, singularError } from './postgrestError.js';
import { parsePostgrestRequest, type PostgrestRequest } from './postgrestRequest.js';
import { countStatement, deleteStatement, insertStatement, selectStatement, updateStatement, type Statement, type TableColumns } from './postgrestSql.js';

export { sendDatabaseWebhook, type DatabaseWebhookPayload } from './fakeSupabaseWebhooks.js';

export interface FakeSupabaseOptions {
  /** A PostgreSQL connection string (dev/postgres/localPostgres.ts). */
  connectionString: string;
  /** The project's key: sent as `apikey`, and as `Authorization: Bearer` when that is sent. */
  apiKey: string;
}

export interface FakeSupabaseRequest {
  method: string;
  /** The path, e.g. `/rest/v1/customers`. */
  path: string;
  /** The query as sent (never a key: keys travel in headers). */
  query: Record<string, string>;
  prefer: string | undefined;
  range: string | undefined;
  rangeUnit: string | undefined;
  body: unknown;
  status: number;
}

export interface FakeSupabase {
  /** http://127.0.0.1:<port>, the project URL (`createClient`'s first argument); the API is under `/rest/v1/`. */
  url: string;
  requests: FakeSupabaseRequest[];
  /** Runs SQL on the database behind the fake (seeding, edits "in the dashboard"). */
  sql<T extends Record<string, unknown> = Record<string, unknown>>(text: string, values?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

const REST_PREFIX = '/rest/v1/';

/**
 * A PostgREST-compatible server over a real PostgreSQL database, for the subset Supabase clients
 * and the `supabase` connector use: select with eq/neq/gt/gte/lt/lte/in/is filters, order,
 * limit/offset and `Range`, `Prefer: count=exact|return=…|resolution=…`, `on_conflict`, PATCH and
 * DELETE with filters, singular answers, and PostgREST's error bodies from PostgreSQL's SQLSTATEs.
 * Every value reaches SQL as a parameter; every identifier is checked against the catalog first.
 */
export async function startFakeSupabase(options: FakeSupabaseOptions): Promise<FakeSupabase> {
  const pool = new pg.Pool({ connectionString: options.connectionString, max: 8, options: '-c TimeZone=UTC' });
  const requests: FakeSupabaseRequest[] = [];
  const catalog = new Map<string, TableColumns>();

  const columnsOf = async (table: string): Promise<TableColumns> => {
    const cached = catalog.get(table);
    if (cached) return cached;
    const found = await pool.query<{ column_name: string; data_type: string }>(
      "SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1 ORDER BY ordinal_position",
      [table],
    );
    if (found.rows.length === 0) throw new PostgrestError(404, '42P01', `relation "public.${table}" does not exist`);
    const columns = new Map(found.rows.map((row) => [row.column_name, row.data_type]));
    catalog.set(table, columns);
    return columns;
  };

  const authorised = (req: IncomingMessage): PostgrestError | undefined => {
    const key = req.headers.apikey;
    if (typeof key !== 'string' || key === '') return new PostgrestError(401, 'PGRST301', 'No API key found in request', null, 'No `apikey` request header or url param was found.');
    if (!sameSecret(key, options.apiKey)) return new PostgrestError(401, 'PGRST301', 'Invalid API key', null, 'Double check your Supabase `anon` or `service_role` API key.');
    const bearer = req.headers.authorization;
    if (bearer !== undefined && !(bearer.startsWith('Bearer ') && sameSecret(bearer.slice(7), options.apiKey))) return jwtError();
    return undefined;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse, log: FakeSupabaseRequest): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://fake.invalid');
    const refused = authorised(req);
    if (refused) throw refused;
    if (!url.pathname.startsWith(REST_PREFIX)) throw new PostgrestError(404, 'PGRST125', `Invalid path specified in request URL`);
    const table = decodeURIComponent(url.pathname.slice(REST_PREFIX.length));
    if (!/^[A-Za-z_][A-Za-z0-9_$]{0,62}$/.test(table)) throw new PostgrestError(404, 'PGRST125', 'Invalid path specified in request URL');
    const request = parsePostgrestRequest(table, url.searchParams, req.headers);
    const method = req.method ?? 'GET';
    const body = method === 'POST' || method === 'PATCH' ? await readJsonBody(req) : undefined;
    log.body = body;
    const columns = await columnsOf(table);
    switch (method) {
      case 'GET':
      case 'HEAD':
        return read(res, request, columns, method === 'HEAD');
      case 'POST': {
        const rows = Array.isArray(body) ? body : [body];
        if (!rows.every(isObject)) throw new PostgrestError(400, 'PGRST102', 'All object keys must match');
        return write(res, request, insertStatement(request, columns, rows as Array<Record<string, unknown>>), 201);
      }
      case 'PATCH':
        if (!isObject(body)) throw new PostgrestError(400, 'PGRST102', 'Empty or invalid json');
        return write(res, request, updateStatement(request, columns, body), 200);
      case 'DELETE':
        return write(res, request, deleteStatement(request, columns), 200);
      default:
        throw new PostgrestError(405, 'PGRST117', `Unsupported HTTP method: ${method.slice(0, 20)}`);
    }
  };

  const read = async (res: ServerResponse, request: PostgrestRequest, columns: TableColumns, headOnly: boolean): Promise<void> => {
    const [page, total] = await Promise.all([run(selectStatement(request, columns)), request.prefer.count === 'exact' ? countOf(countStatement(request, columns)) : undefined]);
    if (total !== undefined && request.offset > 0 && request.offset >= total) {
      throw new PostgrestError(416, 'PGRST103', 'Requested range not satisfiable', `An offset of ${request.offset} was requested, but there are only ${total} rows.`);
    }
    if (request.singular && page.rows !== 1) throw singularError(page.rows);
    const range = page.rows === 0 ? '*' : `${request.offset}-${request.offset + page.rows - 1}`;
    const contentRange = `${range}/${total ?? '*'}`;
    // A page that does not hold every row counted is partial content (PostgREST's 206).
    const partial = total !== undefined && page.rows < total;
    const text = request.singular ? JSON.stringify((JSON.parse(page.body) as unknown[])[0]) : page.body;
    res.writeHead(partial ? 206 : 200, { 'content-type': 'application/json; charset=utf-8', 'content-range': contentRange });
    res.end(headOnly ? undefined : text);
  };

  /** One statement in a transaction: a singular answer that is not one row is rolled back, as PostgREST does. */
  const write = async (res: ServerResponse, request: PostgrestRequest, statement: Statement, status: number): Promise<void> => {
    const client = await pool.connect();
    let result: { body: string; rows: number };
    try {
      await client.query('BEGIN');
      const answer = await client.query<{ body: string; rows: number }>(statement.text, statement.values);
      result = answer.rows[0]!;
      if (request.singular && result.rows !== 1) {
        await client.query('ROLLBACK');
        throw singularError(result.rows);
      }
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
    const contentRange = result.rows === 0 ? '*/*' : `0-${result.rows - 1}/*`;
    if (request.prefer.return !== 'representation') {
      res.writeHead(status === 201 ? 201 : 204, { 'content-range': contentRange });
      res.end();
      return;
    }
    const text = request.singular ? JSON.stringify((JSON.parse(result.body) as unknown[])[0]) : result.body;
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-range': contentRange, 'preference-applied': preferenceApplied(request) });
    res.end(text);
  };

  const run = async (statement: Statement) => (await pool.query<{ body: string; rows: number }>(statement.text, statement.values)).rows[0]!;
  const countOf = async (statement: Statement) => Number((await pool.query<{ total: string }>(statement.text, statement.values)).rows[0]!.total);

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://fake.invalid');
    const header = (name: string) => (typeof req.headers[name] === 'string' ? (req.headers[name] as string) : undefined);
    const log: FakeSupabaseRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      prefer: header('prefer'),
      range: header('range'),
      rangeUnit: header('range-unit'),
      body: undefined,
      status: 0,
    };
    requests.push(log);
    res.on('finish', () => {
      log.status = res.statusCode;
    });
    handle(req, res, log).catch((error: unknown) => {
      let refusal: PostgrestError;
      try {
        refusal = error instanceof PostgrestError ? error : error instanceof FakeRestError ? new PostgrestError(400, 'PGRST102', 'Empty or invalid json') : fromDatabaseError(error);
      } catch {
        refusal = new PostgrestError(500, 'XX000', error instanceof Error ? error.message : 'internal error');
      }
      if (res.headersSent) return res.destroy();
      res.writeHead(refusal.status, { 'content-type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify(refusal.body()));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (typeof address !== 'object' || address === null) throw new Error('the fake Supabase server has no address');
  return {
    url: `http://127.0.0.1:${address.port}`,
    requests,
    sql: async (text, values = []) => {
      const result = await pool.query(text, values);
      // A table altered or created after a request was served: the fake reads its columns again.
      catalog.clear();
      return result.rows;
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await pool.end();
    },
  };
}

function preferenceApplied(request: PostgrestRequest): string {
  return [request.prefer.resolution ? `resolution=${request.prefer.resolution}` : undefined, `return=${request.prefer.return}`].filter(Boolean).join(', ');
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Constant-time, so the time an answer takes says nothing about how much of a key was right. */
function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
