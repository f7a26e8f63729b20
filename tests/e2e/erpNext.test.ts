import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AdminClient } from '../../dev/adminClient.js';
import { startFakeErpNext, type FakeErpNext, type FakeErpNextRequest } from '../../dev/fakes/erpnext/fakeErpNext.js';
import { ERPNEXT_BUILTIN_SCHEMAS } from '../../shared/connectors/erpnext/erpNextBuiltinSchemas.js';
import { apiClient } from './apiClient.js';
import { startHostProcess, type HostProcess } from './hostProcess.js';
import { eventually } from './eventually.js';

const CREDENTIALS = { apiKey: 'e2eerpnextkey', apiSecret: 'e2e-erpnext-api-secret' };
const WEBHOOK_SECRET = 'e2e-erpnext-webhook-secret';

/**
 * An `erpnext` connection through the real host and the fake site: 10,000 documents read by
 * offset pages, increments by a `modified` filter, hard deletes found by a full read, write-backs
 * carrying `modified`, stale ones (417) settled last-write-wins or by the connection's DocType
 * rule, and signed webhooks.
 */
describe('an ERPNext connection through the host', () => {
  const TENANT = 'erp';
  const CONNECTION = 'site';
  const TASK = 'selling';
  const COUNTS = { Customer: 5_000, Item: 1_000, 'Sales Invoice': 4_000 } as const;
  const TOTAL = COUNTS.Customer + COUNTS.Item + COUNTS['Sales Invoice'];
  let host: HostProcess;
  let fake: FakeErpNext;
  let api: AdminClient;

  beforeAll(async () => {
    fake = await startFakeErpNext(CREDENTIALS);
    for (const [doctype, n] of Object.entries(COUNTS)) fake.seed(doctype, n);
    host = await startHostProcess({});
    api = apiClient(host.url, host.adminKey);
    await api.ok('PUT', `tenants/${TENANT}`, { name: 'ERPNext tenant' });
  });
  afterAll(async () => {
    await host?.stop();
    await fake?.close();
  });

  const run = async (mode: 'full' | 'incremental') => {
    const accepted = await api.request('POST', `tenants/${TENANT}/tasks/${TASK}/executions`, { mode });
    expect(accepted.status).toBe(202);
    return api.waitForExecution(TENANT, accepted.body.executionId, { timeoutMs: 120_000 });
  };
  const shardsOf = async (shardType: string, externalId: string, deleted = false) =>
    (await api.ok('GET', `tenants/${TENANT}/shards?type=${shardType}&externalId=${encodeURIComponent(externalId)}&connectionId=${CONNECTION}&deleted=${deleted}`)).items;
  const shardOf = async (shardType: string, externalId: string) => {
    const items = await shardsOf(shardType, externalId);
    expect(items).toHaveLength(1);
    return items[0];
  };
  const count = async (shardType: string) => (await api.ok('GET', `tenants/${TENANT}/shards?type=${shardType}&count=true`)).count;
  const requestsSince = (since: number, predicate: (request: FakeErpNextRequest) => boolean = () => true) => fake.requests.slice(since).filter(predicate);
  const isList = (doctype: string) => (request: FakeErpNextRequest) => request.method === 'GET' && request.path === `/api/resource/${doctype}`;
  const puts = (doctype: string, name: string) => (request: FakeErpNextRequest) => request.method === 'PUT' && request.path === `/api/resource/${doctype}/${name}`;
  const openConflicts = async () => (await api.ok('GET', `tenants/${TENANT}/conflicts?status=open`)).items as Array<{ shardId: string; path: string; local: unknown; remote: unknown }>;

  it('saves the connection with the API key and secret, tested by one call, and a bidirectional task from the built-in schemas', async () => {
    const saved = await api.request('PUT', `tenants/${TENANT}/connections/${CONNECTION}`, {
      provider: 'erpnext',
      name: 'ERPNext site (fake)',
      // Items: a stale update keeps the site's values, whichever side changed last.
      settings: { baseUrl: fake.url, timestampMismatch: { Item: 'theirs' } },
      credentials: CREDENTIALS,
      webhookSecret: WEBHOOK_SECRET,
      webhooks: { coalesceWindowMs: 0 },
    });
    expect(saved.status).toBe(201);
    expect(saved.body).toMatchObject({ provider: 'erpnext', hasCredentials: true, connectionTest: { ok: true } });
    expect(JSON.stringify(saved.body)).not.toContain(CREDENTIALS.apiSecret);
    expect(JSON.stringify(saved.body)).not.toContain(WEBHOOK_SECRET);
    for (const stream of ['customers', 'items', 'sales_invoices'] as const) {
      await api.ok('PUT', `tenants/${TENANT}/schemas/erpnext-${stream}`, { name: `ERPNext ${stream}`, ...ERPNEXT_BUILTIN_SCHEMAS[`erpnext/${stream}`] });
    }
    await api.ok('PUT', `tenants/${TENANT}/tasks/${TASK}`, {
      connectionId: CONNECTION,
      direction: 'bidirectional',
      streams: ['customers', 'items', 'sales_invoices'].map((stream) => ({ stream, schemaId: `erpnext-${stream}` })),
    });
  });

  it('a full run reads all 10,000 documents in offset pages and creates a shard per document', { timeout: 150_000 }, async () => {
    const before = fake.requests.length;
    const view = await run('full');
    expect(view).toMatchObject({ status: 'success', counts: { fetched: TOTAL, created: TOTAL, failed: 0 } });
    expect(view.streams.customers).toMatchObject({ counts: { fetched: COUNTS.Customer }, read: { kind: 'full' } });
    expect(await count('customer')).toBe(COUNTS.Customer);
    expect(await count('product')).toBe(COUNTS.Item);
    expect(await count('invoice')).toBe(COUNTS['Sales Invoice']);
    const calls = requestsSince(before, (request) => request.path.startsWith('/api/resource/'));
    expect(calls.filter((call) => call.status !== 200)).toEqual([]);
    const lists = calls.filter(isList('Sales Invoice'));
    expect(lists.length).toBeGreaterThanOrEqual(4);
    expect(lists.every((call) => call.query.order_by === 'creation asc, name asc' && call.query.filters === undefined && call.query.fields === '["*"]')).toBe(true);
    expect(new Set(lists.map((call) => call.query.limit_start)).size).toBe(lists.length);

    const customer = fake.all('Customer')[123]!;
    expect((await shardOf('customer', customer.name)).data).toMatchObject({
      externalId: customer.name,
      email: customer.email_id,
      displayName: customer.customer_name,
      sourceModifiedAt: new Date(`${customer.modified.slice(0, 23).replace(' ', 'T')}Z`).toISOString(),
    });
    const invoice = fake.all('Sales Invoice')[77]!;
    expect((await shardOf('invoice', invoice.name)).data).toMatchObject({ number: invoice.name, total: invoice.grand_total, customerExternalId: invoice.customer });
  });

  it('an incremental run asks for documents modified after the cursor only and takes the changes', { timeout: 60_000 }, async () => {
    const customers = fake.all('Customer');
    const changed = [customers[0]!, customers[2_500]!, customers[4_000]!];
    for (const record of changed) fake.update('Customer', record.name, { territory: `Moved ${record.name}` });
    const item = fake.all('Item')[10]!;
    fake.update('Item', item.name, { item_name: 'Renamed Item' });

    const before = fake.requests.length;
    const view = await run('incremental');
    expect(view).toMatchObject({ status: 'success', counts: { updated: changed.length + 1, created: 0, deleted: 0, failed: 0 } });
    for (const stream of ['customers', 'items', 'sales_invoices']) expect(view.streams[stream].read).toEqual({ kind: 'incremental', reason: null });
    // The 5-second overlap before each stream's cursor reads its latest document again, no more.
    expect(view.counts.fetched).toBeGreaterThanOrEqual(changed.length + 1);
    expect(view.counts.fetched).toBeLessThanOrEqual(changed.length + 1 + 3);
    const calls = requestsSince(before, (request) => request.method === 'GET');
    expect(calls.map((call) => call.path).sort()).toEqual(['/api/resource/Customer', '/api/resource/Item', '/api/resource/Sales Invoice']);
    for (const call of calls) {
      expect(call.query.order_by).toBe('modified asc, name asc');
      expect(JSON.parse(call.query.filters!)).toEqual([['modified', '>', expect.stringMatching(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{6}$/)]]);
    }
    for (const record of changed) expect((await shardOf('customer', record.name)).data.territory).toBe(`Moved ${record.name}`);
    expect((await shardOf('product', item.name)).data.name).toBe('Renamed Item');
  });

  it('hard deletes: an incremental run cannot see them, the next full run marks the missing documents as tombstones', { timeout: 150_000 }, async () => {
    const removed = { Customer: fake.all('Customer').slice(100, 102), 'Sales Invoice': fake.all('Sales Invoice').slice(9, 10) };
    for (const [doctype, docs] of Object.entries(removed)) for (const doc of docs) fake.remove(doctype, doc.name);
    const incremental = await run('incremental');
    expect(incremental).toMatchObject({ status: 'success', counts: { deleted: 0, failed: 0 } });
    expect(await count('customer')).toBe(COUNTS.Customer);

    const view = await run('full');
    expect(view).toMatchObject({ status: 'success', counts: { fetched: TOTAL - 3, created: 0, deleted: 3, failed: 0 } });
    for (const doc of removed.Customer) {
      expect(await shardsOf('customer', doc.name)).toEqual([]);
      expect(await shardsOf('customer', doc.name, true)).toHaveLength(1);
    }
    expect(await shardsOf('invoice', removed['Sales Invoice'][0]!.name, true)).toHaveLength(1);
    expect(await count('customer')).toBe(COUNTS.Customer - 2);
    expect(await count('invoice')).toBe(COUNTS['Sales Invoice'] - 1);
  });

  it('a shard edit is written back with PUT carrying the document modified last read', { timeout: 30_000 }, async () => {
    const target = fake.all('Customer')[7]!;
    const shard = await shardOf('customer', target.name);
    const before = fake.requests.length;
    const edited = await api.request('PATCH', `tenants/${TENANT}/shards/${shard.id}`, { data: { territory: 'Written Back' } });
    expect(edited.status).toBe(200);
    await eventually(() => fake.get('Customer', target.name)?.territory === 'Written Back', 10_000, 'the edit did not reach the site');
    const writes = requestsSince(before, puts('Customer', target.name));
    expect(writes).toEqual([expect.objectContaining({ status: 200, body: { territory: 'Written Back', modified: target.modified } })]);
    expect(fake.get('Customer', target.name)).toMatchObject({ customer_name: target.customer_name, email_id: target.email_id });

    const view = await run('incremental');
    expect(view).toMatchObject({ status: 'success', counts: { updated: 0, created: 0, conflicts: 0, failed: 0 } });
  });

  it('a stale write (417 TimestampMismatchError) of a field both sides changed settles last-write-wins: the later shard edit is written again', { timeout: 30_000 }, async () => {
    const target = fake.all('Customer')[8]!;
    const shard = await shardOf('customer', target.name);
    fake.update('Customer', target.name, { territory: 'Changed In ERPNext', customer_group: 'Government' });
    const before = fake.requests.length;
    const edited = await api.request('PATCH', `tenants/${TENANT}/shards/${shard.id}`, { data: { territory: 'Changed Here Later' } });
    expect(edited.status).toBe(200);
    await eventually(() => fake.get('Customer', target.name)?.territory === 'Changed Here Later', 15_000, 'the later edit did not win');
    const writes = requestsSince(before, puts('Customer', target.name));
    expect(writes.map((request) => request.status)).toEqual([417, 200]);
    // The second PUT carries the modified the refusal's read brought.
    expect(writes[1]!.body!.modified).not.toBe(writes[0]!.body!.modified);
    // A field only ERPNext changed reaches the shard; nothing is left to a person.
    await eventually(async () => (await shardOf('customer', target.name)).data.group === 'Government', 10_000, "the shard did not take ERPNext's other change");
    expect(fake.get('Customer', target.name)?.customer_group).toBe('Government');
    expect((await openConflicts()).filter((conflict) => conflict.shardId === shard.id)).toEqual([]);
  });

  it('when the document changed after the shard edit, last write wins for ERPNext: the shard takes its value, nothing is written again', { timeout: 30_000 }, async () => {
    const target = fake.all('Customer')[9]!;
    const shard = await shardOf('customer', target.name);
    // Saved "an hour from now" at the site: later than the shard edit below.
    fake.update('Customer', target.name, { territory: 'Changed In ERPNext Later' }, Date.now() + 3_600_000);
    const before = fake.requests.length;
    const edited = await api.request('PATCH', `tenants/${TENANT}/shards/${shard.id}`, { data: { territory: 'Changed Here First' } });
    expect(edited.status).toBe(200);
    await eventually(async () => (await shardOf('customer', target.name)).data.territory === 'Changed In ERPNext Later', 15_000, "the shard did not take ERPNext's later value");
    expect(requestsSince(before, puts('Customer', target.name)).map((request) => request.status)).toEqual([417]);
    expect(fake.get('Customer', target.name)?.territory).toBe('Changed In ERPNext Later');
    expect((await openConflicts()).filter((conflict) => conflict.shardId === shard.id)).toEqual([]);
  });

  it("the connection's rule for Item overrides last write wins: a later shard edit still yields to the site, no conflict opened", { timeout: 30_000 }, async () => {
    const target = fake.all('Item')[3]!;
    const shard = await shardOf('product', target.name);
    fake.update('Item', target.name, { item_name: 'Named In ERPNext' });
    const before = fake.requests.length;
    const edited = await api.request('PATCH', `tenants/${TENANT}/shards/${shard.id}`, { data: { name: 'Named Here Later' } });
    expect(edited.status).toBe(200);
    // Last write wins would write this later edit again; the task's own strategy (merge, then manual) would open a conflict.
    await eventually(async () => (await shardOf('product', target.name)).data.name === 'Named In ERPNext', 15_000, "the shard did not take the site's value");
    expect(requestsSince(before, puts('Item', target.name)).map((request) => request.status)).toEqual([417]);
    expect(fake.get('Item', target.name)?.item_name).toBe('Named In ERPNext');
    expect((await openConflicts()).filter((conflict) => conflict.shardId === shard.id)).toEqual([]);
  });

  it('signed webhooks name documents, which are read; an on_trash event becomes a tombstone; a forged one is 401', { timeout: 30_000 }, async () => {
    const hookUrl = `${host.url}/api/webhooks/${TENANT}/${CONNECTION}`;
    const target = fake.all('Customer')[20]!;
    const updated = fake.update('Customer', target.name, { territory: 'Hooked' });
    const deleted = fake.all('Sales Invoice')[30]!;
    fake.remove('Sales Invoice', deleted.name);
    expect(await fake.sendWebhook(hookUrl, WEBHOOK_SECRET, { doctype: 'Customer', name: target.name, event: 'on_update', modified: updated.modified })).toBe(202);
    expect(await fake.sendWebhook(hookUrl, WEBHOOK_SECRET, { doctype: 'Sales Invoice', name: deleted.name, event: 'on_trash', modified: deleted.modified })).toBe(202);
    await eventually(async () => (await shardOf('customer', target.name)).data.territory === 'Hooked', 10_000, 'the update event did not land');
    await eventually(async () => (await shardsOf('invoice', deleted.name, true)).length === 1, 10_000, 'the deleted invoice did not become a tombstone');

    const before = fake.requests.length;
    const forged = await fake.sendWebhook(hookUrl, 'not-the-webhook-secret', { doctype: 'Customer', name: target.name, event: 'on_update', modified: 'x' });
    expect(forged).toBe(401);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(requestsSince(before)).toEqual([]);
  });
});
