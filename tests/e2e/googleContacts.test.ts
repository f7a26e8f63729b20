import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeGooglePeople, type FakeGooglePeople, type FakeGooglePeopleRequest } from '../../dev/fakes/google/fakeGooglePeople.js';
import { startFakeOAuthServer, type FakeOAuthServer } from '../../dev/fakes/fakeOAuthServer.js';
import type { AdminClient } from '../../dev/adminClient.js';
import { GOOGLE_BUILTIN_SCHEMAS } from '../../shared/connectors/google/googleBuiltinSchemas.js';
import { startHostProcess, type HostProcess } from './hostProcess.js';
import { apiClient } from './apiClient.js';
import { eventually } from './eventually.js';

/**
 * A `google-contacts` connection (OAuth 2 refresh token) through the real host and the fake People
 * API: a full read of 10,000 contacts, incremental reads by sync token with deletes, an expired
 * token read in full with exact counts, and etag-guarded write-backs.
 */
const CLIENT = { clientId: 'google-e2e-client.apps.test', clientSecret: 'google-e2e-client-secret' };
const TENANT = 'goo';
const CONNECTION = 'contacts';
const TASK = 'people';
const CONTACTS = 10_000;

type Person = { resourceName: string; etag: string; names: { givenName: string; familyName: string }[]; organizations: { name: string }[] };

describe('a Google Contacts connection through the host', () => {
  let host: HostProcess;
  let oauth: FakeOAuthServer;
  let fake: FakeGooglePeople;
  let api: AdminClient;
  let people: string[];

  beforeAll(async () => {
    oauth = await startFakeOAuthServer({ ...CLIENT, rotateRefreshTokens: false });
    fake = await startFakeGooglePeople({ verifyBearer: (token) => oauth.isLiveAccessToken(token) });
    people = fake.seed(CONTACTS).map((person) => String(person.resourceName));
    host = await startHostProcess({});
    api = apiClient(host.url, host.adminKey);
    await api.ok('PUT', `tenants/${TENANT}`, { name: 'Google tenant' });
  });
  afterAll(async () => {
    await host?.stop();
    await fake?.close();
    await oauth?.close();
  });

  const run = async (mode: 'full' | 'incremental') => {
    const accepted = await api.request('POST', `tenants/${TENANT}/tasks/${TASK}/executions`, { mode });
    expect(accepted.status).toBe(202);
    return api.waitForExecution(TENANT, accepted.body.executionId, { timeoutMs: 120_000 });
  };
  const shardsOf = async (externalId: string, deleted = false) =>
    (await api.ok('GET', `tenants/${TENANT}/shards?type=customer&externalId=${encodeURIComponent(externalId)}&connectionId=${CONNECTION}&deleted=${deleted}`)).items;
  const shardOf = async (externalId: string) => {
    const items = await shardsOf(externalId);
    expect(items).toHaveLength(1);
    return items[0];
  };
  const count = async () => (await api.ok('GET', `tenants/${TENANT}/shards?type=customer&count=true`)).count;
  const listsSince = (since: number) => fake.requests.slice(since).filter((request) => request.method === 'GET' && request.path === '/v1/people/me/connections');
  const callsFor = (since: number, id: string) => fake.requests.slice(since).filter((request: FakeGooglePeopleRequest) => request.path.startsWith(`/v1/${id}`));
  const person = (id: string) => fake.get(id) as Person;

  it('saves the connection with its OAuth client and refresh token, tested by one call, and a bidirectional task from the built-in schema', async () => {
    const refreshToken = oauth.issueRefreshToken();
    const saved = await api.request('PUT', `tenants/${TENANT}/connections/${CONNECTION}`, {
      provider: 'google-contacts',
      name: 'Google Contacts (fake)',
      settings: { baseUrl: fake.url, tokenUrl: oauth.tokenUrl },
      credentials: { ...CLIENT, refreshToken },
    });
    expect(saved.status).toBe(201);
    expect(saved.body).toMatchObject({ provider: 'google-contacts', hasCredentials: true, connectionTest: { ok: true } });
    for (const secret of [refreshToken, CLIENT.clientSecret]) expect(JSON.stringify(saved.body)).not.toContain(secret);
    await api.ok('PUT', `tenants/${TENANT}/schemas/google-contacts`, { name: 'Google contacts', ...GOOGLE_BUILTIN_SCHEMAS['google-contacts/contacts'] });
    await api.ok('PUT', `tenants/${TENANT}/tasks/${TASK}`, { connectionId: CONNECTION, direction: 'bidirectional', streams: [{ stream: 'contacts', schemaId: 'google-contacts' }] });
  });

  it('a full run reads all 10,000 contacts by page token, asking for a sync token, and creates a customer per contact', { timeout: 150_000 }, async () => {
    const before = fake.requests.length;
    const view = await run('full');
    expect(view).toMatchObject({ status: 'success', counts: { fetched: CONTACTS, created: CONTACTS, failed: 0 } });
    expect(view.streams.contacts.read).toMatchObject({ kind: 'full' });
    expect(await count()).toBe(CONTACTS);
    const lists = listsSince(before);
    expect(lists.length).toBeGreaterThan(0);
    expect(lists.length).toBe(Math.ceil(CONTACTS / Number(lists[0]!.query.pageSize)));
    for (const list of lists) expect(list).toMatchObject({ status: 200, query: { requestSyncToken: 'true' } });
    expect(lists.filter((list) => list.query.syncToken !== undefined)).toEqual([]);

    const sample = person(people[123]!);
    expect((await shardOf(sample.resourceName)).data).toMatchObject({ externalId: sample.resourceName, firstName: sample.names[0]!.givenName, lastName: sample.names[0]!.familyName, company: sample.organizations[0]!.name });
  });

  it('an incremental run sends the sync token and reads only the changed contacts, and tombstones the deleted ones', { timeout: 60_000 }, async () => {
    const changed = [people[0]!, people[4_000]!, people[7_777]!, people[9_999]!];
    const removed = [people[1]!, people[5_000]!, people[8_888]!];
    for (const id of changed) fake.update(id, { organizations: [{ name: `Moved ${id}` }] });
    for (const id of removed) fake.remove(id);
    const before = fake.requests.length;
    const view = await run('incremental');
    expect(view).toMatchObject({ status: 'success', counts: { fetched: changed.length, updated: changed.length, deleted: removed.length, created: 0, failed: 0 } });
    expect(view.streams.contacts.read).toEqual({ kind: 'incremental', reason: null });
    const lists = listsSince(before);
    expect(lists.length).toBeGreaterThan(0);
    for (const list of lists) expect(list).toMatchObject({ status: 200, query: { syncToken: expect.any(String), requestSyncToken: 'true' } });
    for (const id of changed) expect((await shardOf(id)).data.company).toBe(`Moved ${id}`);
    for (const id of removed) {
      expect(await shardsOf(id)).toEqual([]);
      expect(await shardsOf(id, true)).toHaveLength(1);
    }
    expect(await count()).toBe(CONTACTS - removed.length);
  });

  it('after the sync tokens expire an incremental run reads in full, state_expired, with exact counts and no failure', { timeout: 150_000 }, async () => {
    const changed = [people[10]!, people[6_000]!];
    for (const id of changed) fake.update(id, { names: [{ givenName: 'Expired', familyName: `Token ${id}` }] });
    fake.expireSyncTokens();
    const before = fake.requests.length;
    const view = await run('incremental');
    const live = CONTACTS - 3;
    expect(view).toMatchObject({ status: 'success', counts: { fetched: live, updated: changed.length, created: 0, deleted: 0, failed: 0 } });
    expect(view.streams.contacts.read).toEqual({ kind: 'full', reason: 'state_expired' });
    const lists = listsSince(before);
    // The expired token is refused once; the full read asks without one, for a new one.
    expect(lists[0]).toMatchObject({ status: 400, query: { syncToken: expect.any(String) } });
    expect(lists.slice(1).every((list) => list.status === 200 && list.query.syncToken === undefined && list.query.requestSyncToken === 'true')).toBe(true);
    expect(lists.length).toBe(1 + Math.ceil(live / Number(lists[1]!.query.pageSize)));
    for (const id of changed) expect((await shardOf(id)).data.lastName).toBe(`Token ${id}`);
    expect(await count()).toBe(live);

    // The new token works: nothing changed, nothing is read.
    const next = await run('incremental');
    expect(next).toMatchObject({ status: 'success', counts: { fetched: 0, failed: 0 } });
    expect(next.streams.contacts.read).toEqual({ kind: 'incremental', reason: null });
  });

  it('a shard edit is written back with PATCH updateContact carrying the etag as read, the whole names field and its mask', { timeout: 60_000 }, async () => {
    const id = people[7]!;
    const before_ = person(id);
    const shard = await shardOf(id);
    const before = fake.requests.length;
    const edited = await api.request('PATCH', `tenants/${TENANT}/shards/${shard.id}`, { data: { lastName: 'Written Back' } });
    expect(edited.status).toBe(200);
    await eventually(async () => person(id).names[0]!.familyName === 'Written Back', 10_000, 'the edit did not reach Google');
    expect(person(id).names[0]!.givenName).toBe(before_.names[0]!.givenName);
    const patches = callsFor(before, id).filter((request) => request.method === 'PATCH');
    expect(patches).toHaveLength(1);
    expect(patches[0]).toMatchObject({ path: `/v1/${id}:updateContact`, status: 200, query: { updatePersonFields: 'names' }, body: { etag: before_.etag } });

    // The echo of the write reads as unchanged.
    const view = await run('incremental');
    expect(view).toMatchObject({ status: 'success', counts: { updated: 0, created: 0, conflicts: 0, failed: 0 } });
    expect((await shardOf(id)).data.lastName).toBe('Written Back');
  });

  it('a contact edited at Google after its last read is refused for its stale etag: both edits are met, neither is overwritten', { timeout: 60_000 }, async () => {
    const id = people[8]!;
    const shard = await shardOf(id);
    const staleEtag = person(id).etag;
    fake.update(id, { organizations: [{ name: 'Changed At Google' }] });
    const before = fake.requests.length;
    const edited = await api.request('PATCH', `tenants/${TENANT}/shards/${shard.id}`, { data: { lastName: 'Changed Here' } });
    expect(edited.status).toBe(200);
    await eventually(async () => person(id).names[0]!.familyName === 'Changed Here', 10_000, 'the edit did not reach Google');
    expect(person(id).organizations[0]!.name).toBe('Changed At Google');
    const patches = callsFor(before, id).filter((request) => request.method === 'PATCH');
    expect(patches.map((request) => request.status)).toEqual([400, 200]);
    expect(patches[0]!.body).toMatchObject({ etag: staleEtag });
    expect(patches[1]!.body).not.toMatchObject({ etag: staleEtag });
    await eventually(async () => (await shardOf(id)).data.company === 'Changed At Google', 10_000, 'the shard did not take Google\'s change');
    expect((await shardOf(id)).data.lastName).toBe('Changed Here');
    expect((await api.ok('GET', `tenants/${TENANT}/conflicts?status=open`)).items).toEqual([]);
  });

  it('a revoked refresh token (invalid_grant) pauses the run for new credentials instead of failing it', { timeout: 60_000 }, async () => {
    const refusedBefore = oauth.counts.refusedGrants;
    oauth.revokeAll();
    const accepted = await api.request('POST', `tenants/${TENANT}/tasks/${TASK}/executions`, { mode: 'incremental' });
    expect(accepted.status).toBe(202);
    let view: { status: string; pauseReason: string | null; counts: { failed: number } } | undefined;
    await eventually(async () => {
      view = await api.ok('GET', `tenants/${TENANT}/executions/${accepted.body.executionId}`);
      return ['paused', 'success', 'partial', 'failed', 'cancelled'].includes(view!.status);
    }, 30_000, 'the run did not stop');
    expect(view).toMatchObject({ status: 'paused', pauseReason: 'auth', counts: { failed: 0 } });
    expect(oauth.counts.refusedGrants).toBeGreaterThan(refusedBefore);
  });
});
