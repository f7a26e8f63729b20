import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgrestClient } from '@supabase/postgrest-js';
import { startLocalPostgres, type LocalPostgres } from '../../dev/postgres/localPostgres.js';
import { startFakeSupabase, type FakeSupabase } from '../../dev/fakes/supabase/fakeSupabase.js';
import { updatedAtTriggerSql } from '../../dev/fakes/supabase/updatedAtTrigger.js';

/**
 * The fake PostgREST over a real PostgreSQL, driven by Supabase's own query builder: what the
 * client asks (filters, order, ranges, counts, upserts, precondition filters) and how the errors
 * it gets back read.
 */
const KEY = 'sb_secret_fake_supabase_test_key_0123456789';

describe('the fake Supabase (PostgREST over PostgreSQL) with @supabase/postgrest-js', () => {
  let db: LocalPostgres;
  let fake: FakeSupabase;
  let client: PostgrestClient;

  beforeAll(async () => {
    db = await startLocalPostgres();
    fake = await startFakeSupabase({ connectionString: db.connectionString, apiKey: KEY });
    await fake.sql(`
      CREATE TABLE customers (
        id bigserial PRIMARY KEY,
        email text UNIQUE NOT NULL,
        name text,
        tags jsonb,
        updated_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        deleted_at timestamptz
      );
      CREATE TABLE orders (id bigserial PRIMARY KEY, customer_id bigint NOT NULL REFERENCES customers(id), total numeric);
      ${updatedAtTriggerSql('customers')}
      INSERT INTO customers (email, name) SELECT 'c' || n || '@example.org', 'Customer ' || n FROM generate_series(1, 25) n;
    `);
    client = new PostgrestClient(`${fake.url}/rest/v1`, { headers: { apikey: KEY, Authorization: `Bearer ${KEY}` } });
  }, 60_000);
  afterAll(async () => {
    await fake?.close();
    await db?.stop();
  });

  it('selects with filters, order and a range, and counts exactly (206 with Content-Range)', async () => {
    const page = await client.from('customers').select('id,email', { count: 'exact' }).gt('id', 5).order('id', { ascending: false }).range(0, 4);
    expect(page.error).toBeNull();
    expect(page.count).toBe(20);
    expect(page.status).toBe(206);
    expect(page.data!.map((row) => row.id)).toEqual([25, 24, 23, 22, 21]);
    expect(Object.keys(page.data![0]!)).toEqual(['id', 'email']);
    const inList = await client.from('customers').select('*').in('id', [3, 1, 2]).order('id');
    expect(inList.data!.map((row) => row.email)).toEqual(['c1@example.org', 'c2@example.org', 'c3@example.org']);
    const last = fake.requests.at(-2)!;
    expect(last).toMatchObject({ method: 'GET', path: '/rest/v1/customers', status: 206, query: { id: 'gt.5', order: 'id.desc', offset: '0', limit: '5' } });
    expect(last.prefer).toContain('count=exact');
  });

  it('reads a Range header page as PostgREST does: Range-Unit items, Content-Range first-last/total', async () => {
    const answer = await fetch(`${fake.url}/rest/v1/customers?select=*&order=id.asc`, { headers: { apikey: KEY, 'range-unit': 'items', range: '10-19', prefer: 'count=exact' } });
    expect(answer.status).toBe(206);
    expect(answer.headers.get('content-range')).toBe('10-19/25');
    const rows = (await answer.json()) as Array<{ id: number; updated_at: string }>;
    expect(rows.map((row) => row.id)).toEqual([11, 12, 13, 14, 15, 16, 17, 18, 19, 20]);
    // PostgreSQL's own JSON rendering: microseconds and a zone.
    expect(rows[0]!.updated_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?\+00:00$/);
    const whole = await fetch(`${fake.url}/rest/v1/customers?select=id&id=lte.3`, { headers: { apikey: KEY, prefer: 'count=exact' } });
    expect(whole.status).toBe(200);
    expect(whole.headers.get('content-range')).toBe('0-2/3');
  });

  it('upserts on a conflict column, merging duplicates, and answers 201 with the representation', async () => {
    const upserted = await client
      .from('customers')
      .upsert([{ email: 'c1@example.org', name: 'Renamed', tags: ['vip', { since: 2020 }] }, { email: 'new@example.org', name: 'New' }], { onConflict: 'email' })
      .select();
    expect(upserted.error).toBeNull();
    expect(upserted.status).toBe(201);
    // The conflicting row took a sequence value too, as PostgreSQL's upserts do.
    expect(upserted.data!.map((row) => [row.id, row.name])).toEqual([[1, 'Renamed'], [27, 'New']]);
    expect(upserted.data![0]!.tags).toEqual(['vip', { since: 2020 }]);
    expect(fake.requests.at(-1)).toMatchObject({ method: 'POST', query: { on_conflict: 'email' } });
    expect(fake.requests.at(-1)!.prefer).toContain('resolution=merge-duplicates');
  });

  it('a PATCH under an updated_at filter answers [] once the row has changed', async () => {
    const [row] = await fake.sql<{ updated_at: string }>("SELECT to_json(updated_at)#>>'{}' AS updated_at FROM customers WHERE id = 2");
    const first = await client.from('customers').update({ name: 'First' }).eq('id', 2).eq('updated_at', row!.updated_at).select();
    expect(first.data).toHaveLength(1);
    const stale = await client.from('customers').update({ name: 'Second' }).eq('id', 2).eq('updated_at', row!.updated_at).select();
    expect(stale.error).toBeNull();
    expect(stale.data).toEqual([]);
    const single = await client.from('customers').update({ name: 'Third' }).eq('id', 2).eq('updated_at', row!.updated_at).select().single();
    expect(single.status).toBe(406);
    expect(single.error).toMatchObject({ code: 'PGRST116' });
    expect((await fake.sql('SELECT name FROM customers WHERE id = 2'))[0]!.name).toBe('First');
  });

  it('deletes with filters', async () => {
    const gone = await client.from('customers').delete().eq('email', 'new@example.org').select('id');
    expect(gone.data).toEqual([{ id: 27 }]);
    expect(await fake.sql('SELECT 1 FROM customers WHERE id = 27')).toEqual([]);
  });

  it('answers errors in PostgREST shape from PostgreSQL SQLSTATEs', async () => {
    const duplicate = await client.from('customers').insert({ email: 'c3@example.org' });
    expect(duplicate.status).toBe(409);
    expect(duplicate.error).toMatchObject({ code: '23505', message: expect.stringContaining('duplicate key') });
    const orphan = await client.from('orders').insert({ customer_id: 999, total: 1 });
    expect(orphan.status).toBe(409);
    expect(orphan.error).toMatchObject({ code: '23503' });
    const missing = await client.from('nowhere').select('*');
    expect(missing.status).toBe(404);
    expect(missing.error).toMatchObject({ code: '42P01' });
    const noColumn = await client.from('customers').insert({ email: 'x@example.org', colour: 'red' });
    expect(noColumn.status).toBe(400);
    expect(noColumn.error).toMatchObject({ code: 'PGRST204' });
    const badValue = await client.from('customers').select('*').eq('id', 'abc');
    expect(badValue.status).toBe(400);
    expect(badValue.error).toMatchObject({ code: '22P02' });
    // Values are parameters: a quote in a filter value is data, not SQL.
    const injection = await client.from('customers').select('id').eq('email', "x' OR '1'='1");
    expect(injection.data).toEqual([]);
  });

  it('refuses a missing or wrong key, and a bearer token that is not the key', async () => {
    const none = await fetch(`${fake.url}/rest/v1/customers`);
    expect(none.status).toBe(401);
    const wrong = await new PostgrestClient(`${fake.url}/rest/v1`, { headers: { apikey: 'nope' } }).from('customers').select('*');
    expect(wrong.status).toBe(401);
    const badJwt = await new PostgrestClient(`${fake.url}/rest/v1`, { headers: { apikey: KEY, Authorization: 'Bearer forged' } }).from('customers').select('*');
    expect(badJwt.status).toBe(401);
    expect(badJwt.error).toMatchObject({ code: 'PGRST301' });
    expect(JSON.stringify(fake.requests)).not.toContain(KEY);
  });
});
