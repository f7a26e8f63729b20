import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AdminClient } from '../../dev/adminClient.js';
import { startFakeSalesforce, type FakeSalesforce, type FakeSalesforceRequest, type SalesforceRecord, type SObjectType } from '../../dev/fakes/salesforce/fakeSalesforce.js';
import { SALESFORCE_BUILTIN_SCHEMAS } from '../../shared/connectors/salesforce/salesforceBuiltinSchemas.js';
import { apiClient } from './apiClient.js';
import { startHostProcess, type HostProcess } from './hostProcess.js';

const TENANT = 'sf';
const CONNECTION = 'org';
const CLIENT = { clientId: 'e2e-consumer-key', clientSecret: 'e2e-consumer-secret' };
const ACCOUNTS = 2_000;
const CONTACTS = 8_000;
/** Salesforce's smallest batch: 50 query calls for a full read, so the session can end mid-run. */
const BATCH = 200;
/** The session ends after this many successful query calls of the full run. */
const EXPIRE_AFTER_QUERIES = 10;

/**
 * A `salesforce` connection defined through the admin API against the fake org (its instance and
 * login URL): the built-in Account and Contact schemas, a bidirectional task, a full read of 10,000
 * records during which the session ends, an incremental read of the changes and the deleted feed,
 * and write-backs guarded by If-Unmodified-Since, one of them refused with 412 and merged.
 */
describe('a Salesforce org through the host', () => {
  let host: HostProcess;
  let fake: FakeSalesforce;
  let api: AdminClient;
  let accounts: SalesforceRecord[];
  let contacts: SalesforceRecord[];

  beforeAll(async () => {
    // Seeded stamps end well before now, and deletions stamped now lie within the feed's 15 days.
    fake = await startFakeSalesforce({ ...CLIENT, seedEpoch: new Date(Date.now() - 2 * 3_600_000).toISOString() });
    accounts = fake.seed('Account', ACCOUNTS);
    contacts = fake.seed('Contact', CONTACTS);
    host = await startHostProcess({});
    api = apiClient(host.url, host.adminKey);
    await api.ok('PUT', `tenants/${TENANT}`, { name: 'Salesforce tenant' });
  });
  afterAll(async () => {
    await host?.stop();
    await fake?.close();
  });

  const run = async (mode: 'full' | 'incremental', whileRunning?: () => void) => {
    const accepted = await api.request('POST', `tenants/${TENANT}/tasks/crm/executions`, { mode });
    expect(accepted.status).toBe(202);
    const watcher = whileRunning ? setInterval(whileRunning, 5) : undefined;
    try {
      return await api.waitForExecution(TENANT, accepted.body.executionId, { timeoutMs: 60_000, intervalMs: 100 });
    } finally {
      clearInterval(watcher);
    }
  };
  const shardsOf = async (shardType: string, externalId: string, deleted = false) =>
    (await api.ok('GET', `tenants/${TENANT}/shards?type=${shardType}&externalId=${externalId}&connectionId=${CONNECTION}&deleted=${deleted}`)).items;
  const shardOf = async (shardType: string, externalId: string) => {
    const items = await shardsOf(shardType, externalId);
    expect(items).toHaveLength(1);
    return items[0];
  };
  const queries = (calls: FakeSalesforceRequest[]) => calls.filter((call) => call.method === 'GET' && /\/query(\/|$)/.test(call.path));
  const rowCalls = (since: number, type: SObjectType, id: string) =>
    fake.requests.slice(since).filter((call) => call.path.endsWith(`/sobjects/${type}/${id}`)).map((call) => `${call.method} ${call.status}`);
  const until = async (check: () => boolean | Promise<boolean>) => {
    for (const deadline = Date.now() + 15_000; Date.now() < deadline; ) {
      if (await check()) return;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    throw new Error('timed out');
  };

  it('saves the connection (tested with one query), the built-in schemas and a task on accounts and contacts', async () => {
    const saved = await api.request('PUT', `tenants/${TENANT}/connections/${CONNECTION}`, {
      provider: 'salesforce',
      name: 'Fake org',
      settings: { instanceUrl: fake.url, loginUrl: fake.url },
      credentials: { ...CLIENT, refreshToken: fake.refreshToken },
    });
    expect(saved.status).toBe(201);
    expect(saved.body).toMatchObject({ provider: 'salesforce', hasCredentials: true, connectionTest: { ok: true } });
    expect(JSON.stringify(saved.body)).not.toContain(fake.refreshToken);
    expect(JSON.stringify(saved.body)).not.toContain(CLIENT.clientSecret);
    await api.ok('PUT', `tenants/${TENANT}/schemas/sf-accounts`, SALESFORCE_BUILTIN_SCHEMAS['salesforce/accounts']);
    await api.ok('PUT', `tenants/${TENANT}/schemas/sf-contacts`, SALESFORCE_BUILTIN_SCHEMAS['salesforce/contacts']);
    await api.ok('PUT', `tenants/${TENANT}/tasks/crm`, {
      connectionId: CONNECTION,
      direction: 'bidirectional',
      streams: [
        { stream: 'accounts', schemaId: 'sf-accounts' },
        { stream: 'contacts', schemaId: 'sf-contacts' },
      ],
      // No overlap: SOQL's seconds already make an incremental read start at the cursor's second.
      defaults: { batchSize: BATCH, incrementalOverlapMs: 0 },
    });
  });

  it('a full run reads 10,000 records in SOQL batches, refreshing the session that ends mid-run', { timeout: 90_000 }, async () => {
    const before = fake.requests.length;
    const refreshes = fake.oauthCounts.refreshes;
    let expiredAt: number | undefined;
    const view = await run('full', () => {
      if (expiredAt !== undefined || queries(fake.requests.slice(before)).filter((call) => call.status === 200).length < EXPIRE_AFTER_QUERIES) return;
      expiredAt = fake.requests.length;
      fake.expireAccessTokens();
    });

    expect(view).toMatchObject({ status: 'success', counts: { fetched: ACCOUNTS + CONTACTS, created: ACCOUNTS + CONTACTS, failed: 0 } });
    expect(view.streams.accounts).toMatchObject({ counts: { created: ACCOUNTS }, read: { kind: 'full' } });
    expect(view.streams.contacts).toMatchObject({ counts: { created: CONTACTS }, read: { kind: 'full' } });
    expect(await api.ok('GET', `tenants/${TENANT}/shards?type=company&count=true`)).toEqual({ count: ACCOUNTS });
    expect(await api.ok('GET', `tenants/${TENANT}/shards?type=customer&count=true`)).toEqual({ count: CONTACTS });
    const contact = contacts[123]!;
    expect((await shardOf('customer', contact.Id)).data).toMatchObject({
      email: contact.Email,
      firstName: contact.FirstName,
      lastName: contact.LastName,
      accountExternalId: contact.AccountId,
    });

    const calls = queries(fake.requests.slice(before));
    expect(calls.filter((call) => call.status === 200)).toHaveLength(ACCOUNTS / BATCH + CONTACTS / BATCH);
    expect(calls[0]?.query.q).toBe('SELECT Id, CreatedDate, LastModifiedDate, SystemModstamp, Name, Website, Phone FROM Account ORDER BY SystemModstamp, Id');
    // The session ended mid-run: the call it refused was refreshed once and sent again, and the run went on.
    expect(expiredAt).toBeDefined();
    const afterExpiry = fake.requests.slice(expiredAt);
    expect(afterExpiry.filter((call) => call.status === 401)).toHaveLength(1);
    expect(queries(afterExpiry).filter((call) => call.status === 200).length).toBeGreaterThan(0);
    expect(fake.oauthCounts.refreshes - refreshes).toBe(1);
    expect(fake.oauthCounts.refusedGrants).toBe(0);
    expect(host.output()).not.toContain(fake.refreshToken);
  });

  it('an incremental run reads only what changed since, and tombstones a contact from the deleted feed', { timeout: 60_000 }, async () => {
    const changed: Array<[SObjectType, SalesforceRecord]> = [
      ['Account', accounts[5]!],
      ['Account', accounts[1_500]!],
      ['Contact', contacts[7]!],
      ['Contact', contacts[4_000]!],
      ['Contact', contacts[7_999]!],
    ];
    for (const [type, record] of changed) fake.update(type, record.Id, type === 'Account' ? { Name: `Renamed ${record.Id}` } : { FirstName: `Renamed ${record.Id}` });
    const removed = contacts[42]!;
    // The feed covers whole minutes up to the last one: a deletion a minute ago is in it.
    fake.remove('Contact', removed.Id, new Date(Date.now() - 60_000).toISOString());
    // The cursor is each stream's latest SystemModstamp; SOQL's `>` to the second reads that second's records again.
    const latestSecond = (type: SObjectType) => {
      const seeded = fake.all(type).filter((record) => !changed.some(([, c]) => c.Id === record.Id));
      const latest = seeded.reduce((max, record) => (record.SystemModstamp > max ? record.SystemModstamp : max), '');
      return seeded.filter((record) => record.SystemModstamp === latest).length;
    };
    const reread = latestSecond('Account') + latestSecond('Contact');
    expect(reread).toBeGreaterThan(0);

    const before = fake.requests.length;
    const view = await run('incremental');
    expect(view).toMatchObject({ status: 'success', counts: { fetched: changed.length + reread, updated: changed.length, unchanged: reread, created: 0, deleted: 1, failed: 0 } });
    for (const name of ['accounts', 'contacts']) expect(view.streams[name].read).toEqual({ kind: 'incremental', reason: null });
    expect(view.streams.contacts.counts).toMatchObject({ deleted: 1 });

    const calls = fake.requests.slice(before);
    const listed = queries(calls);
    expect(listed.length).toBeGreaterThan(0);
    for (const call of listed) expect(call.query.q).toMatch(/ WHERE SystemModstamp > \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ ORDER BY SystemModstamp, Id$/);
    expect(calls.filter((call) => call.path.endsWith('/deleted/')).map((call) => call.path.split('/').at(-3))).toEqual(['Account', 'Contact']);

    for (const [type, record] of changed) {
      const shard = await shardOf(type === 'Account' ? 'company' : 'customer', record.Id);
      expect(type === 'Account' ? shard.data.name : shard.data.firstName).toBe(`Renamed ${record.Id}`);
    }
    expect(await shardsOf('customer', removed.Id)).toEqual([]);
    const [tombstone] = await shardsOf('customer', removed.Id, true);
    expect(tombstone).toMatchObject({ deletedBy: view.id, deletedAt: expect.any(String) });
    expect(await api.ok('GET', `tenants/${TENANT}/shards?type=customer&count=true`)).toEqual({ count: CONTACTS - 1 });
  });

  it('an edited contact is written back with If-Unmodified-Since as last read', { timeout: 30_000 }, async () => {
    const contact = contacts[10]!;
    const shard = await shardOf('customer', contact.Id);
    const before = fake.requests.length;
    const edited = await api.request('PATCH', `tenants/${TENANT}/shards/${shard.id}`, { data: { phone: '+1 555 7777' } });
    expect(edited.status).toBe(200);

    await until(() => fake.get('Contact', contact.Id)?.Phone === '+1 555 7777');
    // The header is the check: no read before the PATCH, one after it (the PATCH answers no record).
    await until(() => rowCalls(before, 'Contact', contact.Id).length === 2);
    expect(rowCalls(before, 'Contact', contact.Id)).toEqual(['PATCH 204', 'GET 200']);
    const patch = fake.requests.slice(before).find((call) => call.method === 'PATCH');
    expect(patch?.headers['if-unmodified-since']).toBe(new Date(Date.parse(contact.SystemModstamp.replace('+0000', 'Z'))).toUTCString());
    expect(fake.get('Contact', contact.Id)).toMatchObject({ FirstName: contact.FirstName, LastName: contact.LastName });
  });

  it('a write-back refused with 412 (the contact changed at Salesforce) is merged with the change and written again', { timeout: 30_000 }, async () => {
    const contact = contacts[11]!;
    const shard = await shardOf('customer', contact.Id);
    fake.update('Contact', contact.Id, { FirstName: 'Remote' });
    const before = fake.requests.length;
    const edited = await api.request('PATCH', `tenants/${TENANT}/shards/${shard.id}`, { data: { phone: '+1 555 8888' } });
    expect(edited.status).toBe(200);

    await until(() => fake.get('Contact', contact.Id)?.Phone === '+1 555 8888');
    await until(() => rowCalls(before, 'Contact', contact.Id).length === 4);
    // Refused, the record read, the two changes (different fields) met, and the local one written again.
    expect(rowCalls(before, 'Contact', contact.Id)).toEqual(['PATCH 412', 'GET 200', 'PATCH 204', 'GET 200']);
    expect(fake.get('Contact', contact.Id)).toMatchObject({ FirstName: 'Remote', Phone: '+1 555 8888' });
    await until(async () => (await shardOf('customer', contact.Id)).data.firstName === 'Remote');
    expect((await shardOf('customer', contact.Id)).data).toMatchObject({ firstName: 'Remote', phone: '+1 555 8888' });
    expect((await api.ok('GET', `tenants/${TENANT}/conflicts?status=open`)).items).toEqual([]);
  });

  it('the same field edited on both sides is refused with 412 and left to a person as a conflict', { timeout: 30_000 }, async () => {
    const contact = contacts[12]!;
    const shard = await shardOf('customer', contact.Id);
    fake.update('Contact', contact.Id, { Phone: '+1 555 0001' });
    const before = fake.requests.length;
    const edited = await api.request('PATCH', `tenants/${TENANT}/shards/${shard.id}`, { data: { phone: '+1 555 0002' } });
    expect(edited.status).toBe(200);

    await until(async () => (await api.ok('GET', `tenants/${TENANT}/conflicts?status=open`)).items.length === 1);
    const [conflict] = (await api.ok('GET', `tenants/${TENANT}/conflicts?status=open`)).items;
    expect(conflict).toMatchObject({ shardId: shard.id, path: 'phone', base: contact.Phone, local: '+1 555 0002', remote: '+1 555 0001' });
    expect(rowCalls(before, 'Contact', contact.Id)).toEqual(['PATCH 412', 'GET 200']);
    expect(fake.get('Contact', contact.Id)?.Phone).toBe('+1 555 0001');
  });
});
