import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auth, people, type people_v1 } from '@googleapis/people';
import { startFakeGooglePeople, type FakeGooglePeople } from '../../dev/fakes/google/fakeGooglePeople.js';
import { startFakeOAuthServer, type FakeOAuthServer } from '../../dev/fakes/fakeOAuthServer.js';

// The official client is the judge: if it reads the fake as Google, so will a connector.
const token = 'ya29.static-test-token';
const personFields = 'names,emailAddresses,phoneNumbers,organizations,metadata';
const dayMs = 24 * 60 * 60 * 1000;

const clientFor = (server: FakeGooglePeople, accessToken = token): people_v1.People => {
  const oauth = new auth.OAuth2();
  oauth.setCredentials({ access_token: accessToken });
  return people({ version: 'v1', auth: oauth, rootUrl: server.url });
};

interface GoogleFailure {
  status: number;
  response: { data: { error: { code: number; message: string; status: string; errors: unknown[]; details?: Record<string, unknown>[] } } };
}
const failure = async (pending: Promise<unknown>): Promise<GoogleFailure> => {
  const error = await pending.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toMatchObject({ status: expect.any(Number), response: { data: { error: expect.any(Object) } } });
  return error as GoogleFailure;
};

/** Follows nextPageToken (from `params.pageToken`, if given) to the end; returns every person and the last page's sync token. */
async function listAll(client: people_v1.People, params: people_v1.Params$Resource$People$Connections$List) {
  const persons: people_v1.Schema$Person[] = [];
  const pages: people_v1.Schema$ListConnectionsResponse[] = [];
  let pageToken = params.pageToken;
  do {
    const { data } = await client.people.connections.list({ resourceName: 'people/me', personFields, ...params, pageToken });
    pages.push(data);
    persons.push(...(data.connections ?? []));
    pageToken = data.nextPageToken ?? undefined;
  } while (pageToken !== undefined);
  return { persons, pages, syncToken: pages.at(-1)?.nextSyncToken ?? undefined };
}

describe('fake Google People, driven by @googleapis/people', () => {
  let fake: FakeGooglePeople;
  let clock = Date.parse('2026-03-01T00:00:00Z');
  let client: people_v1.People;

  beforeAll(async () => {
    fake = await startFakeGooglePeople({ accessToken: token, now: () => clock });
    fake.seed(250);
    client = clientFor(fake);
  });
  afterAll(() => fake.close());

  it('pages connections with pageSize and hands out nextSyncToken on the last page only', async () => {
    const { persons, pages, syncToken } = await listAll(client, { pageSize: 100, requestSyncToken: true });
    expect(pages.map((page) => page.connections?.length)).toEqual([100, 100, 50]);
    expect(pages.slice(0, -1).every((page) => page.nextSyncToken === undefined && page.nextPageToken)).toBe(true);
    expect(syncToken).toEqual(expect.any(String));
    expect(pages.every((page) => page.totalItems === 250)).toBe(true);
    expect(new Set(persons.map((person) => person.resourceName)).size).toBe(250);
    const first = persons[0];
    expect(first?.resourceName).toMatch(/^people\/c\d+$/);
    expect(first?.etag).toEqual(expect.any(String));
    expect(first?.names?.[0]).toMatchObject({ displayName: expect.any(String), givenName: expect.any(String), metadata: { primary: true, source: { type: 'CONTACT' } } });
    expect(first?.emailAddresses?.[0]?.value).toMatch(/@example\.test$/);
    expect(first?.metadata?.sources?.[0]).toMatchObject({ type: 'CONTACT', id: expect.any(String), etag: expect.any(String), updateTime: expect.any(String) });
    expect(first?.metadata?.deleted).toBeUndefined();
  });

  it('serves 100 by default and leaves the sync token out unless requested', async () => {
    const { data } = await client.people.connections.list({ resourceName: 'people/me', personFields: 'names' });
    expect(data.connections).toHaveLength(100);
    const { pages } = await listAll(client, { personFields: 'names' });
    expect(pages.length).toBeGreaterThan(0);
    expect(pages.every((page) => page.nextSyncToken === undefined)).toBe(true);
    expect(data.connections?.[0]?.emailAddresses).toBeUndefined();
  });

  it('returns only what changed since a sync token, deleted contacts as tombstones', async () => {
    const { persons, syncToken } = await listAll(client, { pageSize: 1000, requestSyncToken: true });
    const [edited, deleted] = persons;
    expect(edited?.resourceName && deleted?.resourceName).toBeTruthy();
    fake.update(edited?.resourceName as string, { names: [{ givenName: 'Renamed', familyName: 'Person' }] });
    fake.remove(deleted?.resourceName as string);

    const changes = await listAll(client, { syncToken, requestSyncToken: true });
    expect(changes.persons.map((person) => person.resourceName)).toEqual([edited?.resourceName, deleted?.resourceName]);
    expect(changes.persons[0]?.names?.[0]?.displayName).toBe('Renamed Person');
    expect(changes.persons[1]?.metadata?.deleted).toBe(true);
    expect(changes.persons[1]?.names).toBeUndefined();

    const quiet = await listAll(client, { syncToken: changes.syncToken, requestSyncToken: true });
    expect(quiet.pages).toHaveLength(1);
    expect(quiet.pages[0]?.connections).toBeUndefined();
    expect(quiet.syncToken).toEqual(expect.any(String));

    const full = await listAll(client, { pageSize: 1000 });
    expect(full.persons.map((person) => person.resourceName)).not.toContain(deleted?.resourceName);
  });

  it('refuses a sync token older than 7 days with 400 and ErrorInfo EXPIRED_SYNC_TOKEN', async () => {
    const { syncToken } = await listAll(client, { pageSize: 1000, requestSyncToken: true });
    clock += 7 * dayMs + 1;
    const error = await failure(client.people.connections.list({ resourceName: 'people/me', personFields, syncToken }));
    expect(error.status).toBe(400);
    expect(error.response.data.error).toMatchObject({
      code: 400,
      status: 'FAILED_PRECONDITION',
      message: 'Sync token is expired. Clear local cache and retry call without the sync token.',
      details: [{ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'EXPIRED_SYNC_TOKEN' }],
    });
  });

  it('expires every issued sync token on expireSyncTokens(), and a full sync recovers', async () => {
    const { syncToken } = await listAll(client, { pageSize: 1000, requestSyncToken: true });
    fake.expireSyncTokens();
    const error = await failure(client.people.connections.list({ resourceName: 'people/me', personFields, syncToken }));
    expect(error.response.data.error.details?.[0]?.reason).toBe('EXPIRED_SYNC_TOKEN');
    const recovered = await listAll(client, { pageSize: 1000, requestSyncToken: true });
    expect(recovered.persons.length).toBeGreaterThan(0);
    await expect(client.people.connections.list({ resourceName: 'people/me', personFields, syncToken: recovered.syncToken })).resolves.toBeDefined();
  });

  it('updates a contact with its current etag and refuses the now stale one with 400 failedPrecondition', async () => {
    const { data: before } = await client.people.connections.list({ resourceName: 'people/me', personFields, pageSize: 1 });
    const person = before.connections?.[0];
    expect(person?.resourceName && person.etag).toBeTruthy();
    const resourceName = person?.resourceName as string;

    const { data: updated } = await client.people.updateContact({
      resourceName,
      updatePersonFields: 'emailAddresses',
      personFields: 'names,emailAddresses',
      requestBody: { etag: person?.etag, emailAddresses: [{ value: 'new@example.test' }] },
    });
    expect(updated.emailAddresses?.map((email) => email.value)).toEqual(['new@example.test']);
    expect(updated.names?.[0]?.displayName).toBe(person?.names?.[0]?.displayName);
    expect(updated.etag).not.toBe(person?.etag);
    expect(fake.requests.some((request) => request.method === 'PATCH' && request.path === `/v1/${resourceName}:updateContact` && request.query.updatePersonFields === 'emailAddresses')).toBe(true);

    const error = await failure(client.people.updateContact({ resourceName, updatePersonFields: 'names', requestBody: { etag: person?.etag, names: [{ givenName: 'Late' }] } }));
    expect(error.status).toBe(400);
    expect(error.response.data.error).toMatchObject({
      code: 400,
      status: 'FAILED_PRECONDITION',
      message: 'Request person.etag is different than the current person.etag. Clear local cache and get the latest person.',
      errors: [expect.objectContaining({ reason: 'failedPrecondition' })],
    });
    const { data: current } = await client.people.get({ resourceName, personFields: 'names' });
    expect(current.names?.[0]?.displayName).toBe(person?.names?.[0]?.displayName);
  });

  it('creates and deletes contacts; a deleted one is 404 NOT_FOUND', async () => {
    const { data: created } = await client.people.createContact({ requestBody: { names: [{ givenName: 'New', familyName: 'Contact' }], emailAddresses: [{ value: 'new.contact@example.test' }] } });
    expect(created.resourceName).toMatch(/^people\/c\d+$/);
    expect(created.names?.[0]?.displayName).toBe('New Contact');
    const resourceName = created.resourceName as string;
    expect(fake.get(resourceName)).toBeDefined();

    const { status } = await client.people.deleteContact({ resourceName });
    expect(status).toBe(200);
    expect(fake.get(resourceName)).toBeUndefined();
    const error = await failure(client.people.get({ resourceName, personFields: 'names' }));
    expect(error.response.data.error).toMatchObject({ code: 404, status: 'NOT_FOUND' });
  });

  it('refuses a bad token with 401 UNAUTHENTICATED, never echoing the token', async () => {
    const error = await failure(clientFor(fake, 'ya29.not-a-live-token').people.connections.list({ resourceName: 'people/me', personFields }));
    expect(error.status).toBe(401);
    expect(error.response.data.error).toMatchObject({ code: 401, status: 'UNAUTHENTICATED', details: [expect.objectContaining({ '@type': 'type.googleapis.com/google.rpc.ErrorInfo' })] });
    expect(JSON.stringify(error.response.data)).not.toContain('not-a-live-token');
  });

  it('answers bad arguments with 400 INVALID_ARGUMENT in Google\'s error shape', async () => {
    const cases = [
      client.people.connections.list({ resourceName: 'people/me' }),
      client.people.connections.list({ resourceName: 'people/me', personFields: 'names,nope' }),
      client.people.connections.list({ resourceName: 'people/me', personFields, pageSize: 1001 }),
      client.people.updateContact({ resourceName: 'people/c1', requestBody: {} }),
    ];
    expect(cases.length).toBeGreaterThan(0);
    for (const pending of cases) {
      const error = await failure(pending);
      expect(error.status).toBe(400);
      expect(error.response.data.error).toMatchObject({ code: 400, status: 'INVALID_ARGUMENT', message: expect.any(String), errors: [expect.objectContaining({ reason: 'badRequest' })] });
    }
  });

  it('shows a contact edited mid-listing again later instead of skipping another, and the next sync has it', async () => {
    const { data: first } = await client.people.connections.list({ resourceName: 'people/me', personFields, pageSize: 10, requestSyncToken: true });
    const served = first.connections ?? [];
    expect(served).toHaveLength(10);
    const edited = served[5]?.resourceName as string;
    fake.update(edited, { organizations: [{ name: 'Moved Inc' }] });
    const rest = await listAll(client, { pageSize: 10, requestSyncToken: true, pageToken: first.nextPageToken ?? undefined });
    const seen = [...served, ...rest.persons].map((person) => person.resourceName);
    expect(seen.filter((name) => name === edited)).toHaveLength(2);
    expect(new Set(seen).size).toBe(first.totalItems);
    const changes = await listAll(client, { syncToken: rest.syncToken, requestSyncToken: true });
    expect(changes.persons.map((person) => person.resourceName)).toEqual([edited]);
  });

  it('requires the page token to come with the same parameters', async () => {
    const { data } = await client.people.connections.list({ resourceName: 'people/me', personFields, pageSize: 10 });
    expect(data.nextPageToken).toEqual(expect.any(String));
    const error = await failure(client.people.connections.list({ resourceName: 'people/me', personFields: 'names', pageSize: 10, pageToken: data.nextPageToken ?? '' }));
    expect(error.response.data.error.status).toBe('INVALID_ARGUMENT');
  });
});

describe('fake Google People, other set-ups', () => {
  it('accepts the fake OAuth server\'s live access tokens', async () => {
    let oauth: FakeOAuthServer | undefined;
    let fake: FakeGooglePeople | undefined;
    try {
      oauth = await startFakeOAuthServer({ clientId: 'client', clientSecret: 'secret' });
      const live = oauth;
      fake = await startFakeGooglePeople({ verifyBearer: (candidate) => live.isLiveAccessToken(candidate) });
      fake.seed(3);
      const grant = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: oauth.issueRefreshToken(), client_id: 'client', client_secret: 'secret' });
      const response = await fetch(oauth.tokenUrl, { method: 'POST', body: grant });
      expect(response.status).toBe(200);
      const issued = ((await response.json()) as { access_token: string }).access_token;
      const { data } = await clientFor(fake, issued).people.connections.list({ resourceName: 'people/me', personFields: 'names' });
      expect(data.connections).toHaveLength(3);
    } finally {
      await fake?.close();
      await oauth?.close();
    }
  });

  it('refuses a mutation that overlaps another for the same user (409 ABORTED, unverified)', async () => {
    const fake = await startFakeGooglePeople({ accessToken: token, mutationDelayMs: 100 });
    try {
      const client = clientFor(fake);
      const results = await Promise.allSettled([
        client.people.createContact({ requestBody: { names: [{ givenName: 'One' }] } }),
        client.people.createContact({ requestBody: { names: [{ givenName: 'Two' }] } }),
      ]);
      expect(results.map((result) => result.status).sort()).toEqual(['fulfilled', 'rejected']);
      const rejected = results.find((result) => result.status === 'rejected');
      expect((rejected?.reason as GoogleFailure).response.data.error).toMatchObject({ code: 409, status: 'ABORTED' });
    } finally {
      await fake.close();
    }
  });
});
