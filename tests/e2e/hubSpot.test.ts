import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendWebhook, startFakeHubSpot, type FakeHubSpot, type FakeHubSpotRequest, type HubSpotObjectType } from '../../dev/fakes/hubspot/fakeHubSpot.js';
import type { AdminClient } from '../../dev/adminClient.js';
import { HUBSPOT_BUILTIN_SCHEMAS } from '../../shared/connectors/hubspot/hubSpotBuiltinSchemas.js';
import { startHostProcess, type HostProcess } from './hostProcess.js';
import { apiClient } from './apiClient.js';
import { eventually } from './eventually.js';

/**
 * A `hubspot` connection (private app token) through the real host and the fake portal: a full
 * read of 10,000 records by the list cursor, incremental reads through the search (one of 25,000
 * changed records, past HubSpot's 10,000-result search ceiling), deletes by absence, a write-back
 * and signed v3 webhooks.
 */
const TOKEN = 'pat-na1-e2e-hubspot-token';
const WEBHOOK_SECRET = 'hubspot-e2e-client-secret';
const TENANT = 'hub';
const CONNECTION = 'portal';
const TASK = 'crm';
const CONTACTS = 7_000;
const COMPANIES = 3_000;

describe('a HubSpot connection through the host', () => {
  let host: HostProcess;
  let fake: FakeHubSpot;
  let api: AdminClient;
  let hookUrl: string;

  beforeAll(async () => {
    // A ten-secondly limit no run here meets: pacing is not what this suite is about.
    fake = await startFakeHubSpot({ accessToken: TOKEN, rateLimit: { max: 1_000_000 } });
    fake.seed('contacts', CONTACTS);
    fake.seed('companies', COMPANIES);
    host = await startHostProcess({});
    api = apiClient(host.url, host.adminKey);
    hookUrl = `${host.url}/api/webhooks/${TENANT}/${CONNECTION}`;
    await api.ok('PUT', `tenants/${TENANT}`, { name: 'HubSpot tenant' });
  });
  afterAll(async () => {
    await host?.stop();
    await fake?.close();
  });

  const run = async (mode: 'full' | 'incremental', options: Record<string, unknown> = {}) => {
    const accepted = await api.request('POST', `tenants/${TENANT}/tasks/${TASK}/executions`, { mode, ...options });
    expect(accepted.status).toBe(202);
    return api.waitForExecution(TENANT, accepted.body.executionId, { timeoutMs: 120_000 });
  };
  const shardsOf = async (shardType: string, externalId: string, deleted = false) =>
    (await api.ok('GET', `tenants/${TENANT}/shards?type=${shardType}&externalId=${externalId}&connectionId=${CONNECTION}&deleted=${deleted}`)).items;
  const shardOf = async (shardType: string, externalId: string) => {
    const items = await shardsOf(shardType, externalId);
    expect(items).toHaveLength(1);
    return items[0];
  };
  const count = async (shardType: string) => (await api.ok('GET', `tenants/${TENANT}/shards?type=${shardType}&count=true`)).count;
  const requestsSince = (since: number, predicate: (request: FakeHubSpotRequest) => boolean) => fake.requests.slice(since).filter(predicate);
  const isSearch = (type: HubSpotObjectType) => (request: FakeHubSpotRequest) => request.method === 'POST' && request.path === `/crm/v3/objects/${type}/search`;
  const isList = (type: HubSpotObjectType) => (request: FakeHubSpotRequest) => request.method === 'GET' && request.path === `/crm/v3/objects/${type}`;
  /** The live records of a type, in id order (the fake's `all` includes the archived). */
  const live = (type: HubSpotObjectType) => fake.all(type).filter((record) => !record.archived);

  it('saves the connection with its token, tested by one call, and a bidirectional task from the built-in schemas', async () => {
    const saved = await api.request('PUT', `tenants/${TENANT}/connections/${CONNECTION}`, {
      provider: 'hubspot',
      name: 'HubSpot portal (fake)',
      settings: { baseUrl: fake.url },
      credentials: { token: TOKEN },
      webhookSecret: WEBHOOK_SECRET,
      webhooks: { coalesceWindowMs: 0 },
    });
    expect(saved.status).toBe(201);
    expect(saved.body).toMatchObject({ provider: 'hubspot', hasCredentials: true, connectionTest: { ok: true } });
    expect(JSON.stringify(saved.body)).not.toContain(TOKEN);
    expect(JSON.stringify(saved.body)).not.toContain(WEBHOOK_SECRET);
    for (const stream of ['contacts', 'companies'] as const) {
      await api.ok('PUT', `tenants/${TENANT}/schemas/hubspot-${stream}`, { name: `HubSpot ${stream}`, ...HUBSPOT_BUILTIN_SCHEMAS[`hubspot/${stream}`] });
    }
    await api.ok('PUT', `tenants/${TENANT}/tasks/${TASK}`, {
      connectionId: CONNECTION,
      direction: 'bidirectional',
      streams: [
        { stream: 'contacts', schemaId: 'hubspot-contacts' },
        { stream: 'companies', schemaId: 'hubspot-companies' },
      ],
    });
  });

  it('a full run reads all 10,000 records by the list cursor and creates a shard per record', { timeout: 150_000 }, async () => {
    const before = fake.requests.length;
    const view = await run('full');
    expect(view).toMatchObject({ status: 'success', counts: { fetched: CONTACTS + COMPANIES, created: CONTACTS + COMPANIES, failed: 0 } });
    expect(view.streams.contacts).toMatchObject({ counts: { created: CONTACTS }, read: { kind: 'full' } });
    expect(view.streams.companies).toMatchObject({ counts: { created: COMPANIES }, read: { kind: 'full' } });
    expect(await count('customer')).toBe(CONTACTS);
    expect(await count('company')).toBe(COMPANIES);
    expect(requestsSince(before, isList('contacts'))).toHaveLength(CONTACTS / 100);
    expect(requestsSince(before, isList('companies'))).toHaveLength(COMPANIES / 100);
    expect(requestsSince(before, (request) => request.method === 'POST')).toEqual([]);

    const contact = live('contacts')[123]!;
    expect((await shardOf('customer', contact.id)).data).toMatchObject({
      externalId: contact.id,
      email: contact.properties.email,
      firstName: contact.properties.firstname,
      sourceModifiedAt: contact.updatedAt,
    });
    const company = live('companies')[45]!;
    expect((await shardOf('company', company.id)).data).toMatchObject({ name: company.properties.name, domain: company.properties.domain });
  });

  it('an incremental run reads only the records changed at the portal, through the search', { timeout: 60_000 }, async () => {
    const contacts = [live('contacts')[0]!, live('contacts')[3_500]!, live('contacts')[6_999]!];
    const companies = [live('companies')[10]!, live('companies')[2_000]!];
    for (const record of contacts) fake.update('contacts', record.id, { company: `Moved ${record.id}` });
    for (const record of companies) fake.update('companies', record.id, { name: `Renamed ${record.id}` });
    const before = fake.requests.length;
    const view = await run('incremental');
    expect(view).toMatchObject({ status: 'success', counts: { updated: contacts.length + companies.length, created: 0, failed: 0 } });
    // The overlap before the cursor may re-read the latest record of each stream, unchanged.
    expect(view.counts.fetched).toBeGreaterThanOrEqual(contacts.length + companies.length);
    expect(view.counts.fetched).toBeLessThanOrEqual(contacts.length + companies.length + 4);
    for (const type of ['contacts', 'companies'] as const) {
      expect(view.streams[type].read).toEqual({ kind: 'incremental', reason: null });
      const searches = requestsSince(before, isSearch(type));
      expect(searches.length).toBeGreaterThan(0);
      for (const search of searches) expect(search).toMatchObject({ status: 200, body: { filterGroups: [{ filters: [{ operator: 'GTE' }] }] } });
    }
    // No record is read by the list: only the archived listing, once per stream, for what was deleted since.
    const gets = requestsSince(before, (request) => request.method === 'GET');
    expect(gets.map((request) => `${request.path} archived=${request.query.archived}`).sort()).toEqual(['/crm/v3/objects/companies archived=true', '/crm/v3/objects/contacts archived=true']);
    for (const record of contacts) expect((await shardOf('customer', record.id)).data.company).toBe(`Moved ${record.id}`);
    for (const record of companies) expect((await shardOf('company', record.id)).data.name).toBe(`Renamed ${record.id}`);
  });

  it('a contact archived at the portal becomes a tombstone after the next full run', { timeout: 150_000 }, async () => {
    const archived = live('contacts')[42]!;
    fake.archive('contacts', archived.id);
    const view = await run('full');
    expect(view).toMatchObject({ status: 'success', counts: { fetched: CONTACTS + COMPANIES - 1, deleted: 1, failed: 0 }, streams: { contacts: { counts: { deleted: 1 } } } });
    expect(await shardsOf('customer', archived.id)).toEqual([]);
    const tombstones = await shardsOf('customer', archived.id, true);
    expect(tombstones).toHaveLength(1);
    expect(tombstones[0]).toMatchObject({ deletedBy: view.id, deletedAt: expect.any(String) });
    expect(await count('customer')).toBe(CONTACTS - 1);
  });

  it('an incremental run over 25,000 changed contacts crosses the 10,000-result search ceiling in windows without losing one', { timeout: 240_000 }, async () => {
    const existing = live('contacts');
    expect(existing).toHaveLength(CONTACTS - 1);
    for (const record of existing) fake.update('contacts', record.id, { phone: '+1 555 0199' });
    const added = 25_000 - existing.length;
    for (let i = 0; i < added; i += 1) fake.create('contacts', { email: `added${i}@example.test`, firstname: 'Added', lastname: `Contact ${i}` });
    const before = fake.requests.length;
    // Every contact changes on purpose: no pause for the bulk-change share.
    const view = await run('incremental', { maxChangeShare: 1 });
    expect(view).toMatchObject({ status: 'success', counts: { created: added, updated: existing.length, failed: 0 } });
    expect(view.streams.contacts.read).toEqual({ kind: 'incremental', reason: null });
    // Each window re-reads the record at its boundary: a few fetched twice, none missed.
    expect(view.counts.fetched).toBeGreaterThanOrEqual(25_000);
    expect(view.counts.fetched).toBeLessThan(25_000 + 10);
    // The archived contact stays a tombstone: the live ones are exactly the 25,000 read.
    expect(await count('customer')).toBe(25_000);

    const searches = requestsSince(before, isSearch('contacts'));
    expect(searches.length).toBeGreaterThanOrEqual(250);
    expect(searches.filter((search) => search.status !== 200)).toEqual([]);
    // A new search (no `after`) starts each window: at least three for 25,000 under a 10,000 ceiling.
    const windowStarts = searches.filter((search) => (search.body as { after?: string }).after === undefined);
    expect(windowStarts.length).toBeGreaterThanOrEqual(3);
    for (const search of searches) expect(Number((search.body as { after?: string }).after ?? 0) + 100).toBeLessThanOrEqual(10_000);
  });

  it('a shard edit is written back with PATCH {properties}, after reading the record to check its updatedAt', { timeout: 30_000 }, async () => {
    const target = live('contacts')[7]!;
    const shard = await shardOf('customer', target.id);
    const before = fake.requests.length;
    const edited = await api.request('PATCH', `tenants/${TENANT}/shards/${shard.id}`, { data: { lastName: 'Written Back' } });
    expect(edited.status).toBe(200);
    await eventually(async () => fake.get('contacts', target.id)?.properties.lastname === 'Written Back', 10_000, 'the edit did not reach the portal');
    const calls = requestsSince(before, (request) => request.path === `/crm/v3/objects/contacts/${target.id}`);
    expect(calls.map((request) => request.method)).toEqual(['GET', 'PATCH']);
    expect(calls[1]).toMatchObject({ status: 200, body: { properties: { lastname: 'Written Back' } } });

    // The echo of the write reads as unchanged: the next incremental run updates nothing.
    const view = await run('incremental');
    expect(view).toMatchObject({ status: 'success', counts: { updated: 0, created: 0, conflicts: 0, failed: 0 } });
    expect((await shardOf('customer', target.id)).data.lastName).toBe('Written Back');
  });

  it('a contact changed at the portal after its last read fails the updatedAt check: both edits are met and written', { timeout: 30_000 }, async () => {
    const target = live('contacts')[8]!;
    const shard = await shardOf('customer', target.id);
    fake.update('contacts', target.id, { company: 'Changed At Portal' });
    const before = fake.requests.length;
    const edited = await api.request('PATCH', `tenants/${TENANT}/shards/${shard.id}`, { data: { lastName: 'Changed Here' } });
    expect(edited.status).toBe(200);
    await eventually(async () => fake.get('contacts', target.id)?.properties.lastname === 'Changed Here', 10_000, 'the edit did not reach the portal');
    expect(fake.get('contacts', target.id)?.properties.company).toBe('Changed At Portal');
    // The first check found a newer updatedAt and wrote nothing; the one PATCH followed the merge.
    const calls = requestsSince(before, (request) => request.path === `/crm/v3/objects/contacts/${target.id}`);
    expect(calls[0]?.method).toBe('GET');
    expect(calls.filter((request) => request.method === 'PATCH')).toHaveLength(1);
    await eventually(async () => (await shardOf('customer', target.id)).data.company === 'Changed At Portal', 10_000, 'the shard did not take the portal\'s change');
    expect((await shardOf('customer', target.id)).data.lastName).toBe('Changed Here');
    expect((await api.ok('GET', `tenants/${TENANT}/conflicts?status=open`)).items).toEqual([]);
  });

  it('a signed v3 webhook for a changed contact reaches its shard', { timeout: 30_000 }, async () => {
    const target = live('contacts')[9]!;
    fake.update('contacts', target.id, { firstname: 'Hooked' });
    const before = fake.requests.length;
    const sent = await sendWebhook(hookUrl, [{ subscriptionType: 'contact.propertyChange', objectId: Number(target.id), propertyName: 'firstname', propertyValue: 'Hooked' }], {
      clientSecret: WEBHOOK_SECRET,
      version: 'v3',
    });
    expect(sent.status).toBe(202);
    await eventually(async () => (await shardOf('customer', target.id)).data.firstName === 'Hooked', 10_000, 'the shard did not change');
    // The run read the one record the event named, by id.
    const searches = requestsSince(before, isSearch('contacts'));
    expect(searches.length).toBeGreaterThan(0);
    expect(searches[0]!.body).toMatchObject({ filterGroups: [{ filters: [{ propertyName: 'hs_object_id', operator: 'IN', values: [target.id] }] }] });
  });

  it('a forged v3 signature and one timestamped over 5 minutes ago are 401 and change nothing', { timeout: 30_000 }, async () => {
    const target = live('contacts')[11]!;
    const shardBefore = await shardOf('customer', target.id);
    fake.update('contacts', target.id, { firstname: 'Forged' });
    const events = [{ subscriptionType: 'contact.propertyChange' as const, objectId: Number(target.id) }];
    const forged = await sendWebhook(hookUrl, events, { clientSecret: 'not-the-client-secret', version: 'v3' });
    const stale = await sendWebhook(hookUrl, events, { clientSecret: WEBHOOK_SECRET, version: 'v3', timestampMs: Date.now() - 6 * 60 * 1000 });
    for (const refused of [forged, stale]) {
      expect(refused.status).toBe(401);
      expect(JSON.parse(refused.body)).toMatchObject({ error: { code: 'invalid_signature' } });
    }
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(await shardOf('customer', target.id)).toEqual(shardBefore);
  });
});
