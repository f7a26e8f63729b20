import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AdminClient } from '../../dev/adminClient.js';
import { startLocalPostgres, type LocalPostgres } from '../../dev/postgres/localPostgres.js';
import { sendDatabaseWebhook, startFakeSupabase, type FakeSupabase, type FakeSupabaseRequest } from '../../dev/fakes/supabase/fakeSupabase.js';
import { updatedAtTriggerSql } from '../../dev/fakes/supabase/updatedAtTrigger.js';
import { startHostProcess, type HostProcess } from './hostProcess.js';
import { apiClient } from './apiClient.js';
import { eventually } from './eventually.js';

/**
 * A `supabase` connection through the real host, the fake PostgREST and a real PostgreSQL: a full
 * read of 10,000 rows in Range pages, an incremental read of the changed rows only, soft and hard
 * deletes, a write-back under the updated_at precondition, and database webhooks whose rows are
 * used without reading them again; a wrong secret is a 401.
 */
const KEY = 'sb_secret_e2e_supabase_service_key_42';
const WEBHOOK_SECRET = 'whsec_supabase_e2e_shared_secret_7';
const TENANT = 'supa';
const CONNECTION = 'project';
const TASK = 'customers';
const ROWS = 10_000;

describe('a Supabase connection through the host', () => {
  let db: LocalPostgres;
  let fake: FakeSupabase;
  let host: HostProcess;
  let api: AdminClient;
  let hookUrl: string;

  beforeAll(async () => {
    db = await startLocalPostgres();
    fake = await startFakeSupabase({ connectionString: db.connectionString, apiKey: KEY });
    await fake.sql(`
      CREATE TABLE customers (id bigserial PRIMARY KEY, email text NOT NULL, name text, updated_at timestamptz NOT NULL DEFAULT clock_timestamp(), deleted_at timestamptz);
      ${updatedAtTriggerSql('customers')}
      -- Written a second apart over the past day: an incremental read's overlap (5 s) re-reads a few.
      INSERT INTO customers (email, name, updated_at)
        SELECT 'person' || n || '@example.org', 'Person ' || n, now() - interval '1 day' + n * interval '1 second' FROM generate_series(1, ${ROWS}) n;
    `);
    host = await startHostProcess({});
    api = apiClient(host.url, host.adminKey);
    hookUrl = `${host.url}/api/webhooks/${TENANT}/${CONNECTION}`;
    await api.ok('PUT', `tenants/${TENANT}`, { name: 'Supabase tenant' });
  }, 60_000);
  afterAll(async () => {
    await host?.stop();
    await fake?.close();
    await db?.stop();
  });

  const run = async (mode: 'full' | 'incremental') => {
    const accepted = await api.request('POST', `tenants/${TENANT}/tasks/${TASK}/executions`, { mode });
    expect(accepted.status).toBe(202);
    return api.waitForExecution(TENANT, accepted.body.executionId, { timeoutMs: 120_000 });
  };
  const shardsOf = async (externalId: string | number, deleted = false) =>
    (await api.ok('GET', `tenants/${TENANT}/shards?type=customer&externalId=${externalId}&connectionId=${CONNECTION}&deleted=${deleted}`)).items;
  const shardOf = async (externalId: string | number) => {
    const items = await shardsOf(externalId);
    expect(items).toHaveLength(1);
    return items[0];
  };
  const rowOf = async (id: number) => (await fake.sql<{ row: Record<string, unknown> }>('SELECT to_json(c) AS row FROM customers c WHERE id = $1', [id]))[0]?.row;
  const since = (count: number, predicate: (request: FakeSupabaseRequest) => boolean = () => true) => fake.requests.slice(count).filter(predicate);
  const secret = { header: 'X-Supabase-Webhook-Secret', value: WEBHOOK_SECRET };

  it('saves the connection (tested against the API) and a bidirectional task', async () => {
    const saved = await api.request('PUT', `tenants/${TENANT}/connections/${CONNECTION}`, {
      provider: 'supabase',
      name: 'Supabase project (fake)',
      settings: { url: fake.url, tables: [{ stream: 'customers', table: 'customers', deletedColumn: 'deleted_at' }] },
      credentials: { apiKey: KEY },
      webhookSecret: WEBHOOK_SECRET,
      webhooks: { coalesceWindowMs: 0 },
    });
    expect(saved.status).toBe(201);
    expect(saved.body).toMatchObject({ provider: 'supabase', hasCredentials: true, hasWebhookSecret: true, connectionTest: { ok: true } });
    expect(JSON.stringify(saved.body)).not.toContain(KEY);
    await api.ok('PUT', `tenants/${TENANT}/schemas/supabase-customers`, {
      name: 'Supabase customers',
      shardType: 'customer',
      fields: [
        { from: 'id', to: 'externalId' },
        { from: 'email', to: 'email' },
        { from: 'name', to: 'displayName' },
        { from: 'updated_at', to: 'sourceModifiedAt' },
      ],
    });
    await api.ok('PUT', `tenants/${TENANT}/tasks/${TASK}`, { connectionId: CONNECTION, direction: 'bidirectional', streams: [{ stream: 'customers', schemaId: 'supabase-customers' }] });
  });

  it('a full run reads all 10,000 rows in Range pages of the run\'s batch size, the total from Content-Range', { timeout: 150_000 }, async () => {
    const before = fake.requests.length;
    const view = await run('full');
    expect(view).toMatchObject({ status: 'success', counts: { fetched: ROWS, created: ROWS, failed: 0 } });
    const reads = since(before, (request) => request.method === 'GET' && request.path === '/rest/v1/customers');
    // Pages of the run's batch size (100), asked at once once page 1 has told the total.
    expect(reads.map((request) => request.range).sort()).toEqual(Array.from({ length: 100 }, (_, page) => `${page * 100}-${page * 100 + 99}`).sort());
    expect(reads.every((request) => request.status === 206 && request.query.order === 'id.asc')).toBe(true);
    expect((await api.ok('GET', `tenants/${TENANT}/shards?type=customer&count=true`)).count).toBe(ROWS);
    const row = (await rowOf(1234))!;
    expect((await shardOf(1234)).data).toMatchObject({ externalId: 1234, email: row.email, displayName: row.name, sourceModifiedAt: row.updated_at });
  });

  it('an incremental run reads only the rows changed since, by an updated_at filter', { timeout: 60_000 }, async () => {
    await fake.sql("UPDATE customers SET email = 'moved' || id || '@example.org' WHERE id IN (1, 5000, 10000)");
    const before = fake.requests.length;
    const view = await run('incremental');
    expect(view.streams.customers.read).toEqual({ kind: 'incremental', reason: null });
    expect(view).toMatchObject({ status: 'success', counts: { updated: 3, created: 0, failed: 0 } });
    // The changed rows, and the last rows of the full read inside the 5 s overlap.
    expect(view.counts.fetched).toBeGreaterThanOrEqual(3);
    expect(view.counts.fetched).toBeLessThanOrEqual(3 + 6);
    const reads = since(before, (request) => request.method === 'GET');
    expect(reads).toHaveLength(1);
    expect(reads[0]!.query).toMatchObject({ updated_at: expect.stringMatching(/^gt\.\d{4}-/), order: 'id.asc' });
    expect((await shardOf(5000)).data.email).toBe('moved5000@example.org');
  });

  it('a soft-deleted row is tombstoned by the next incremental run, a hard-deleted one by the next full run', { timeout: 150_000 }, async () => {
    await fake.sql('UPDATE customers SET deleted_at = now() WHERE id = 77');
    const incremental = await run('incremental');
    expect(incremental).toMatchObject({ status: 'success', counts: { deleted: 1, failed: 0 } });
    expect(await shardsOf(77)).toEqual([]);
    expect(await shardsOf(77, true)).toHaveLength(1);
    await fake.sql('DELETE FROM customers WHERE id = 78');
    const full = await run('full');
    expect(full).toMatchObject({ status: 'success', counts: { deleted: 1, failed: 0 } });
    expect(await shardsOf(78)).toEqual([]);
  });

  it('a shard edit is written back as a PATCH under the updated_at the shard last saw', { timeout: 30_000 }, async () => {
    const seen = (await rowOf(7))!;
    const shard = await shardOf(7);
    const before = fake.requests.length;
    const edited = await api.request('PATCH', `tenants/${TENANT}/shards/${shard.id}`, { data: { displayName: 'Written Back' } });
    expect(edited.status).toBe(200);
    await eventually(async () => (await rowOf(7))!.name === 'Written Back', 10_000, 'the edit did not reach Supabase');
    const patches = since(before, (request) => request.method === 'PATCH');
    expect(patches).toHaveLength(1);
    expect(patches[0]).toMatchObject({ status: 200, query: { id: 'eq.7', updated_at: `eq.${String(seen.updated_at)}` }, body: { name: 'Written Back' } });
  });

  it('database webhooks: INSERT and UPDATE rows are applied without reading them again; DELETE tombstones', { timeout: 30_000 }, async () => {
    const before = fake.requests.length;
    const [inserted] = await fake.sql<{ row: Record<string, unknown> }>("INSERT INTO customers (email, name) VALUES ('hooked@example.org', 'Hooked') RETURNING to_json(customers) AS row");
    const insert = await sendDatabaseWebhook(hookUrl, { type: 'INSERT', table: 'customers', schema: 'public', record: inserted!.row, old_record: null }, secret);
    expect(insert.status).toBe(202);
    const old = (await rowOf(9))!;
    await fake.sql("UPDATE customers SET name = 'Renamed by hook' WHERE id = 9");
    const update = await sendDatabaseWebhook(hookUrl, { type: 'UPDATE', table: 'customers', schema: 'public', record: (await rowOf(9))!, old_record: old }, secret);
    expect(update.status).toBe(202);
    await eventually(async () => (await shardsOf(String(inserted!.row.id))).length === 1 && (await shardOf(9)).data.displayName === 'Renamed by hook', 15_000, 'the webhook rows were not applied');
    // The rows came whole: nothing was read from Supabase.
    expect(since(before)).toEqual([]);

    const gone = (await rowOf(10))!;
    await fake.sql('DELETE FROM customers WHERE id = 10');
    const deleted = await sendDatabaseWebhook(hookUrl, { type: 'DELETE', table: 'customers', schema: 'public', record: null, old_record: gone }, secret);
    expect(deleted.status).toBe(202);
    await eventually(async () => (await shardsOf(10)).length === 0, 15_000, 'the deleted row was not tombstoned');
    expect(await shardsOf(10, true)).toHaveLength(1);
    // A DELETE is confirmed by asking for the row (a late DELETE must not erase a row inserted again).
    expect(since(before, (request) => request.method === 'GET').map((request) => request.query.id)).toEqual(['in.("10")']);
  });

  it('a webhook with a wrong secret is a 401 and changes nothing', { timeout: 30_000 }, async () => {
    const shardBefore = await shardOf(11);
    const row = (await rowOf(11))!;
    const forged = await sendDatabaseWebhook(hookUrl, { type: 'UPDATE', table: 'customers', schema: 'public', record: { ...row, name: 'Forged' }, old_record: row }, { ...secret, value: 'not_the_secret_at_all' });
    expect(forged.status).toBe(401);
    const missing = await fetch(hookUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ type: 'UPDATE', table: 'customers', record: row }) });
    expect(missing.status).toBe(401);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(await shardOf(11)).toEqual(shardBefore);
  });
});
