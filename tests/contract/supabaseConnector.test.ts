import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalPostgres, type LocalPostgres } from '../../dev/postgres/localPostgres.js';
import { startFakeSupabase, type FakeSupabase } from '../../dev/fakes/supabase/fakeSupabase.js';
import { updatedAtTriggerSql } from '../../dev/fakes/supabase/updatedAtTrigger.js';
import type { Connector, SourceRecord } from '../../shared/connectors/connector.js';
import { AuthError } from '../../shared/connectors/authError.js';
import { ProviderError } from '../../shared/connectors/providerError.js';
import { RecordNotFoundError } from '../../shared/connectors/recordNotFoundError.js';
import { ValidationError } from '../../shared/connectors/validationError.js';
import { WriteConflictError } from '../../shared/connectors/writeConflictError.js';
import { supabaseProvider } from '../../shared/connectors/supabase/supabaseProvider.js';
import { loopbackOutbound } from '../unit/sync/loopbackOutbound.js';

/**
 * The `supabase` connector against the fake PostgREST over a real PostgreSQL: Range paging with
 * the total from Content-Range, updated_at filters, soft deletes, updates under the updated_at
 * precondition, upserts on a conflict column, PostgREST errors as typed errors, and a malformed
 * answer failing the page with where it came from.
 */
const KEY = 'sb_secret_contract_test_key_0123456789abcdef';
const ROWS = 2_500;

describe('the supabase connector', () => {
  let db: LocalPostgres;
  let fake: FakeSupabase;
  let connector: Connector;
  const connectors: Connector[] = [];
  const servers: Server[] = [];

  const connect = (url: string, key = KEY, tables?: unknown[]): Connector => {
    const settings = supabaseProvider.settingsSchema.parse({
      url,
      tables: tables ?? [
        { stream: 'customers', table: 'customers', deletedColumn: 'deleted_at' },
        { stream: 'mirror', table: 'mirror', conflictColumns: ['source_key'] },
        { stream: 'plain', table: 'plain' },
        { stream: 'missing', table: 'no_such_table' },
      ],
    });
    const made = supabaseProvider.create(settings, { apiKey: key }, { outbound: loopbackOutbound() });
    connectors.push(made);
    return made;
  };
  const readAll = async (reader: Connector, stream: string, modifiedAfter?: Date) => {
    const first = await reader.listPage({ stream, page: 1, perPage: 1000, ...(modifiedAfter ? { modifiedAfter } : {}) });
    const pages = [first];
    expect(first.totalPages).toBeLessThan(20);
    for (let page = 2; page <= first.totalPages; page++) pages.push(await reader.listPage({ stream, page, perPage: 1000, ...(modifiedAfter ? { modifiedAfter } : {}) }));
    return { first, records: pages.flatMap((page) => page.records), deletedIds: pages.flatMap((page) => page.deletedIds ?? []) };
  };
  const rowOf = async (id: number) => (await fake.sql<{ row: SourceRecord }>('SELECT to_json(c) AS row FROM customers c WHERE id = $1', [id]))[0]!.row;

  beforeAll(async () => {
    db = await startLocalPostgres();
    fake = await startFakeSupabase({ connectionString: db.connectionString, apiKey: KEY });
    await fake.sql(`
      CREATE TABLE customers (id bigserial PRIMARY KEY, email text UNIQUE NOT NULL, name text, updated_at timestamptz NOT NULL DEFAULT clock_timestamp(), deleted_at timestamptz);
      ${updatedAtTriggerSql('customers')}
      CREATE TABLE mirror (id bigserial PRIMARY KEY, source_key text UNIQUE NOT NULL, email text, raw jsonb, updated_at timestamptz NOT NULL DEFAULT clock_timestamp());
      ${updatedAtTriggerSql('mirror')}
      CREATE TABLE plain (id bigserial PRIMARY KEY, code text UNIQUE, updated_at timestamptz NOT NULL DEFAULT clock_timestamp());
      INSERT INTO customers (email, name) SELECT 'c' || n || '@example.org', 'Customer ' || n FROM generate_series(1, ${ROWS}) n;
    `);
    connector = connect(fake.url);
  }, 60_000);
  afterAll(async () => {
    for (const made of connectors) await made.close?.();
    for (const server of servers) await new Promise((resolve) => server.close(resolve));
    await fake?.close();
    await db?.stop();
  });

  it('reads a table in Range pages ordered by id, the total from Content-Range', async () => {
    const before = fake.requests.length;
    const { first, records } = await readAll(connector, 'customers');
    expect(first).toMatchObject({ totalRecords: ROWS, totalPages: 3 });
    expect(records.map((record) => record.id)).toEqual(Array.from({ length: ROWS }, (_, index) => index + 1));
    const calls = fake.requests.slice(before);
    expect(calls.map((call) => [call.status, call.range, call.rangeUnit])).toEqual([
      [206, '0-999', 'items'],
      [206, '1000-1999', 'items'],
      [206, '2000-2999', 'items'],
    ]);
    expect(calls.every((call) => call.prefer === 'count=exact' && call.query.order === 'id.asc' && call.query.select === '*')).toBe(true);
  });

  it('an incremental read asks for updated_at after the instant, oldest first, and gets only what changed', async () => {
    await new Promise((resolve) => setTimeout(resolve, 5));
    const since = new Date();
    await new Promise((resolve) => setTimeout(resolve, 5));
    await fake.sql("UPDATE customers SET name = 'Changed ' || id WHERE id IN (7, 1500, 2500)");
    const before = fake.requests.length;
    const { records } = await readAll(connector, 'customers', since);
    expect(records.map((record) => record.id)).toEqual([7, 1500, 2500]);
    expect(records[0]).toMatchObject({ name: 'Changed 7' });
    const [call] = fake.requests.slice(before);
    expect(call!.query).toMatchObject({ updated_at: `gt.${new Date(since.getTime() - 1).toISOString()}`, order: 'id.asc' });
  });

  it('a soft-deleted row leaves the page as a deleted id', async () => {
    const since = new Date();
    await new Promise((resolve) => setTimeout(resolve, 5));
    await fake.sql('UPDATE customers SET deleted_at = now() WHERE id = 42');
    const { records, deletedIds } = await readAll(connector, 'customers', since);
    expect(records).toEqual([]);
    expect(deletedIds).toEqual(['42']);
    const full = await connector.listPage({ stream: 'customers', page: 1, perPage: 1000 });
    expect(full.deletedIds).toEqual(['42']);
    expect(full.records.some((record) => record.id === 42)).toBe(false);
  });

  it('reads rows by id with in.(…)', async () => {
    const page = await connector.listPage({ stream: 'customers', page: 1, perPage: 100, ids: ['3', '9', '11'] });
    expect(page.records.map((record) => record.id)).toEqual([3, 9, 11]);
    expect(fake.requests.at(-1)!.query.id).toBe('in.("3","9","11")');
  });

  it('updates under the updated_at precondition; a row changed since answers [] and is a write conflict showing it', async () => {
    const seen = await rowOf(5);
    const before = fake.requests.length;
    const written = await connector.update!('customers', '5', { name: 'Written' }, { modifiedAt: String(seen.updated_at), version: String(seen.updated_at) });
    expect(written.record).toMatchObject({ id: 5, name: 'Written' });
    expect(written.version).not.toBe(seen.updated_at);
    expect(fake.requests.slice(before).map((call) => [call.method, call.query, call.body, call.status])).toEqual([
      ['PATCH', { id: 'eq.5', updated_at: `eq.${String(seen.updated_at)}` }, { name: 'Written' }, 200],
    ]);
    const stale = connector.update!('customers', '5', { name: 'Stale' }, { version: String(seen.updated_at) });
    await expect(stale).rejects.toBeInstanceOf(WriteConflictError);
    const error = (await stale.catch((caught: unknown) => caught)) as WriteConflictError;
    expect(error).toMatchObject({ code: 'precondition_failed', current: { id: 5, name: 'Written' } });
    expect(error.message).toContain('Supabase PATCH /rest/v1/customers (stream customers)');
    expect((await rowOf(5)).name).toBe('Written');
  });

  it('without a version as last read the row is read first, its updated_at becoming the precondition', async () => {
    const seen = await rowOf(6);
    const before = fake.requests.length;
    await connector.update!('customers', '6', { name: 'Checked' });
    expect(fake.requests.slice(before).map((call) => [call.method, call.query])).toEqual([
      ['GET', { select: '*', id: 'eq.6' }],
      ['PATCH', { id: 'eq.6', updated_at: `eq.${String(seen.updated_at)}` }],
    ]);
    await expect(connector.update!('customers', '999999', { name: 'Nobody' })).rejects.toBeInstanceOf(RecordNotFoundError);
  });

  it('creates are upserts on the conflict column: the same source key twice is one row', async () => {
    const first = await connector.create!('mirror', { source_key: 'woo/customers/1', email: 'a@example.org', raw: { id: 1, nested: [1, 2] } });
    const again = await connector.create!('mirror', { source_key: 'woo/customers/1', email: 'b@example.org', raw: { id: 1 } });
    expect(again.externalId).toBe(first.externalId);
    expect(again.record).toMatchObject({ email: 'b@example.org', raw: { id: 1 } });
    expect(await fake.sql('SELECT count(*)::int AS n FROM mirror')).toEqual([{ n: 1 }]);
    const call = fake.requests.at(-1)!;
    expect(call).toMatchObject({ method: 'POST', query: { on_conflict: 'source_key' }, prefer: 'resolution=merge-duplicates,return=representation', status: 201 });
  });

  it('maps PostgREST errors to typed errors', async () => {
    await connector.create!('plain', { code: 'dup' });
    const duplicate = await connector.create!('plain', { code: 'dup' }).catch((caught: unknown) => caught);
    expect(duplicate).toBeInstanceOf(ValidationError);
    expect(duplicate).toMatchObject({ status: 409, code: '23505' });
    const noColumn = await connector.create!('plain', { colour: 'red' }).catch((caught: unknown) => caught);
    expect(noColumn).toBeInstanceOf(ValidationError);
    expect(noColumn).toMatchObject({ status: 400, code: 'PGRST204' });
    const missing = await connector.listPage({ stream: 'missing', page: 1, perPage: 10 }).catch((caught: unknown) => caught);
    expect(missing).toBeInstanceOf(ProviderError);
    expect(missing).toMatchObject({ status: 404, code: '42P01', retriable: false });
    const wrongKey = await connect(fake.url, 'sb_secret_wrong_key_000000000000').listPage({ stream: 'customers', page: 1, perPage: 10 }).catch((caught: unknown) => caught);
    expect(wrongKey).toBeInstanceOf(AuthError);
    expect(String((wrongKey as Error).message)).not.toContain('sb_secret_wrong_key');
  });

  it('a malformed answer fails the page, naming where', async () => {
    const answers: Array<{ status: number; headers: Record<string, string>; body: string }> = [
      { status: 200, headers: { 'content-type': 'application/json' }, body: '[{"id": 1, "updated_at": "2026-01-01T00:00:00+00:00"}]' },
      { status: 206, headers: { 'content-type': 'application/json', 'content-range': '0-0/1' }, body: '{"rows": []}' },
    ];
    const server = createServer((_req, res) => {
      const answer = answers.shift()!;
      res.writeHead(answer.status, answer.headers);
      res.end(answer.body);
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address() as { port: number };
    const odd = connect(`http://127.0.0.1:${address.port}`);
    await expect(odd.listPage({ stream: 'customers', page: 1, perPage: 10 })).rejects.toThrow('Supabase GET /rest/v1/customers (stream customers): the Content-Range header is missing or has no total');
    await expect(odd.listPage({ stream: 'customers', page: 1, perPage: 10 })).rejects.toThrow('Supabase GET /rest/v1/customers (stream customers): the body is not a JSON array');
  });
});
