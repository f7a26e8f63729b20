import { afterEach, describe, expect, it } from 'vitest';
import { startFakeGooglePeople, type FakeGooglePeople, type FakeGooglePeopleOptions } from '../../dev/fakes/google/fakeGooglePeople.js';
import { startFakeOAuthServer, type FakeOAuthServer } from '../../dev/fakes/fakeOAuthServer.js';
import { AuthError } from '../../shared/connectors/authError.js';
import type { Connector, SourceRecord } from '../../shared/connectors/connector.js';
import { GOOGLE_BUILTIN_SCHEMAS } from '../../shared/connectors/google/googleBuiltinSchemas.js';
import { googleContactsProvider } from '../../shared/connectors/google/googleContactsProvider.js';
import { IncrementalStateExpiredError } from '../../shared/connectors/incrementalStateExpiredError.js';
import { requestToken, type TokenEndpoint } from '../../shared/connectors/oauth/tokenEndpoint.js';
import type { TokenSource } from '../../shared/connectors/oauth/tokenSource.js';
import { ProviderUnavailableError } from '../../shared/connectors/providerUnavailableError.js';
import { WriteConflictError } from '../../shared/connectors/writeConflictError.js';
import { compileSchema } from '../../shared/core/conversion/compileSchema.js';
import { loopbackOutbound } from '../unit/sync/loopbackOutbound.js';

/**
 * The `google-contacts` provider against the fake People API and a fake OAuth server: page-token
 * paging, sync-token increments with deletes, an expired token, etag-guarded updates of whole
 * fields under a mask, one mutation at a time, and a revoked refresh token.
 */
const clientId = 'google-client-id.apps.test';
const clientSecret = 'google-client-secret-value';
const outbound = loopbackOutbound();

let oauth: FakeOAuthServer | undefined;
let fake: FakeGooglePeople | undefined;
const connectors: Connector[] = [];
afterEach(async () => {
  for (const connector of connectors.splice(0)) await connector.close?.();
  await fake?.close();
  await oauth?.close();
  fake = undefined;
  oauth = undefined;
});

/** The connection's token source as the engine's would behave for one worker: a refresh at first use and after a 401. */
function tokensOf(refreshToken: string) {
  return (endpoint: TokenEndpoint): TokenSource => {
    let current: string | undefined;
    const refresh = async () => (current = (await requestToken(endpoint, { clientId, clientSecret, refreshToken }, outbound.agent())).access_token);
    return { accessToken: async () => current ?? refresh(), afterUnauthorized: async (rejected) => (rejected === current ? refresh() : current!) };
  };
}

async function start(options: Partial<FakeGooglePeopleOptions> = {}): Promise<{ api: FakeGooglePeople; auth: FakeOAuthServer }> {
  oauth = await startFakeOAuthServer({ clientId, clientSecret, rotateRefreshTokens: false });
  const auth = oauth;
  fake = await startFakeGooglePeople({ verifyBearer: (token) => auth.isLiveAccessToken(token), ...options });
  return { api: fake, auth };
}

function connect(api: FakeGooglePeople, auth: FakeOAuthServer): Connector {
  const connector = googleContactsProvider.create(
    { baseUrl: api.url, tokenUrl: auth.tokenUrl },
    { clientId, clientSecret, refreshToken: auth.issueRefreshToken() },
    { outbound, tokens: tokensOf(auth.liveRefreshToken()!) },
  );
  connectors.push(connector);
  return connector;
}

async function readAll(reader: Connector, state?: unknown): Promise<{ records: SourceRecord[]; deleted: string[]; state: unknown; pages: number }> {
  const records: SourceRecord[] = [];
  const deleted: string[] = [];
  let next: string | undefined;
  let last: unknown;
  for (let page = 1; ; page++) {
    expect(page).toBeLessThan(50);
    const answer = await reader.listChainedPage!({ stream: 'contacts', page, perPage: 1000, ...(next ? { next } : {}), ...(state !== undefined ? { state } : {}) });
    records.push(...answer.records);
    deleted.push(...(answer.deletedIds ?? []));
    if (answer.state !== undefined) last = answer.state;
    if (answer.next === undefined) return { records, deleted, state: last, pages: page };
    next = answer.next;
  }
}

const lists = (api: FakeGooglePeople, since: number) => api.requests.slice(since).filter((request) => request.method === 'GET' && request.path === '/v1/people/me/connections');
const resourceNames = (records: readonly SourceRecord[]) => records.map((record) => String(record.resourceName));

describe('the Google Contacts connector against the fake People API', () => {
  it('reads 2,500 contacts in pages of 1,000 by page token, asking for a sync token, and converts them into customers', async () => {
    const { api, auth } = await start();
    const seeded = api.seed(2_500);
    const reader = connect(api, auth);
    expect(reader.streams()).toEqual([expect.objectContaining({ name: 'contacts', idField: 'resourceName', paging: 'chained', connectorState: true, versionField: 'etag' })]);

    const full = await readAll(reader);
    expect(full.pages).toBe(3);
    expect(resourceNames(full.records)).toEqual(resourceNames(seeded));
    expect(full.state).toEqual({ syncToken: expect.any(String) });
    const calls = lists(api, 0);
    expect(calls).toHaveLength(3);
    for (const call of calls) {
      expect(call).toMatchObject({ status: 200, query: { pageSize: '1000', requestSyncToken: 'true', personFields: 'names,emailAddresses,phoneNumbers,organizations,metadata' } });
      expect(call.query.syncToken).toBeUndefined();
    }
    expect(calls.map((call) => call.query.pageToken === undefined)).toEqual([true, false, false]);

    // Each contact as Google serves it, plus its primary values under plain paths.
    expect(full.records[0]).toEqual(expect.objectContaining({ ...seeded[0], primary: expect.objectContaining({ givenName: expect.any(String), email: expect.stringMatching(/@example\.test$/) }) }));
    const compiled = compileSchema(GOOGLE_BUILTIN_SCHEMAS['google-contacts/contacts']);
    if (compiled.async) throw new Error('the built-in schema is synchronous');
    const record = full.records[17]!;
    const converted = compiled.run(record);
    expect(converted.ok).toBe(true);
    if (!converted.ok) return;
    const served = record as { names: { givenName: string; familyName: string }[]; emailAddresses: { value: string }[]; phoneNumbers: { value: string }[]; organizations: { name: string }[] };
    expect(converted.primary).toMatchObject({
      shardType: 'customer',
      data: {
        externalId: record.resourceName,
        email: served.emailAddresses[0]!.value.toLowerCase(),
        firstName: served.names[0]!.givenName,
        lastName: served.names[0]!.familyName,
        phone: served.phoneNumbers[0]!.value,
        company: served.organizations[0]!.name,
      },
    });
  });

  it('an incremental read sends the sync token on every page and gets only the changed contacts and the deleted ones; an expired token asks for a full read', async () => {
    const { api, auth } = await start();
    const seeded = api.seed(300);
    const reader = connect(api, auth);
    const full = await readAll(reader);
    expect(full.records).toHaveLength(300);

    const changed = [seeded[3]!, seeded[150]!, seeded[299]!].map((person) => String(person.resourceName));
    const removed = [seeded[7]!, seeded[200]!].map((person) => String(person.resourceName));
    for (const id of changed) api.update(id, { organizations: [{ name: `Moved ${id}` }] });
    for (const id of removed) api.remove(id);
    const before = api.requests.length;
    const incremental = await readAll(reader, full.state);
    expect(resourceNames(incremental.records).sort()).toEqual([...changed].sort());
    expect(incremental.records.every((record) => (record as { organizations: { name: string }[] }).organizations[0]!.name.startsWith('Moved'))).toBe(true);
    expect(incremental.deleted.sort()).toEqual([...removed].sort());
    expect(incremental.state).toEqual({ syncToken: expect.any(String) });
    const calls = lists(api, before);
    expect(calls.length).toBeGreaterThan(0);
    for (const call of calls) expect(call).toMatchObject({ status: 200, query: { syncToken: (full.state as { syncToken: string }).syncToken, requestSyncToken: 'true' } });

    // Nothing changed since: Google leaves the empty list out and sends only the next token.
    const quiet = await readAll(reader, incremental.state);
    expect(quiet).toMatchObject({ records: [], deleted: [], state: { syncToken: expect.any(String) }, pages: 1 });

    api.expireSyncTokens();
    const expired = await readAll(reader, incremental.state).catch((error: unknown) => error);
    expect(expired).toBeInstanceOf(IncrementalStateExpiredError);
    expect(String((expired as Error).message)).toMatch(/Sync token is expired/);
    // The full read it leads to needs no token and gets every live contact.
    expect((await readAll(reader)).records).toHaveLength(300 - removed.length);
  });

  it('updates a changed name with PATCH {+resourceName}:updateContact, the whole field and its mask, and the etag as read', async () => {
    const { api, auth } = await start();
    const [person] = api.seed(1);
    const id = String(person!.resourceName);
    const writer = connect(api, auth);
    const before = api.requests.length;
    // As the engine writes back a changed shard field: at the plain path it was read from.
    const result = await writer.update!('contacts', id, { primary: { givenName: 'Augusta' } }, { version: String(person!.etag) });

    const stored = api.get(id) as { names: { givenName: string; familyName: string }[]; emailAddresses: { value: string }[]; etag: string };
    expect(stored.names[0]).toMatchObject({ givenName: 'Augusta', familyName: (person as typeof stored).names[0]!.familyName });
    expect(stored.emailAddresses).toEqual((person as typeof stored).emailAddresses);
    expect(result).toMatchObject({ externalId: id, version: stored.etag, modifiedAt: expect.any(String), record: { primary: { givenName: 'Augusta', familyName: stored.names[0]!.familyName } } });
    expect(result.version).not.toBe(person!.etag);

    const calls = api.requests.slice(before);
    expect(calls.map((call) => `${call.method} ${call.path} ${call.status}`)).toEqual([`GET /v1/${id} 200`, `PATCH /v1/${id}:updateContact 200`]);
    expect(calls[0]!.query.personFields).toBe('names,emailAddresses,phoneNumbers,organizations,metadata');
    expect(calls[1]).toMatchObject({ query: { updatePersonFields: 'names' }, body: { etag: person!.etag, names: [expect.objectContaining({ givenName: 'Augusta' })] } });
  });

  it('writes a whole list as given, clears a removed value, and refuses what is neither a list nor a primary value', async () => {
    const { api, auth } = await start();
    const [person] = api.seed(1);
    const id = String(person!.resourceName);
    const writer = connect(api, auth);
    const emails = [{ value: 'one@example.test', type: 'home' }, { value: 'two@example.test', type: 'work' }];
    const written = await writer.update!('contacts', id, { emailAddresses: emails, primary: { phone: null } }, { version: String(person!.etag) });
    const stored = api.get(id) as { emailAddresses: { value: string }[]; phoneNumbers?: { value?: string }[] };
    expect(stored.emailAddresses.map((email) => email.value)).toEqual(['one@example.test', 'two@example.test']);
    expect(stored.phoneNumbers?.[0]?.value).toBeUndefined();
    expect(api.requests.at(-1)).toMatchObject({ method: 'PATCH', query: { updatePersonFields: 'emailAddresses,phoneNumbers' } });
    for (const fields of [{ primary: { nickname: 'Al' } }, { names: { 0: { givenName: 'X' } } }, { names: [{ givenName: 'X' }], primary: { familyName: 'Y' } }]) {
      await expect(writer.update!('contacts', id, fields, { version: String(written.version) })).rejects.toMatchObject({ code: 'invalid_fields' });
    }
    expect(api.requests.filter((request) => request.method === 'PATCH')).toHaveLength(1);
  });

  it('a contact edited at Google since it was read is a WriteConflictError carrying the current contact, and nothing is overwritten', async () => {
    const { api, auth } = await start();
    const [person] = api.seed(1);
    const id = String(person!.resourceName);
    api.update(id, { phoneNumbers: [{ value: '+1 555 0100', type: 'home' }], names: [{ givenName: 'Edited', familyName: 'Elsewhere' }] });
    const writer = connect(api, auth);
    const error = await writer.update!('contacts', id, { primary: { givenName: 'Mine' } }, { version: String(person!.etag) }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(WriteConflictError);
    expect((error as WriteConflictError).message).toMatch(/400 FAILED_PRECONDITION/);
    expect((error as WriteConflictError).current).toMatchObject({ resourceName: id, names: [expect.objectContaining({ givenName: 'Edited' })], primary: { givenName: 'Edited', phone: '+1 555 0100' } });
    expect((api.get(id) as { names: { givenName: string }[] }).names[0]!.givenName).toBe('Edited');
    expect(api.requests.filter((request) => request.method === 'PATCH').map((request) => request.status)).toEqual([400]);
  });

  it('sends one connection\'s updates one at a time; an overlapping one from another process is refused 409 ABORTED, a retriable failure', async () => {
    const { api, auth } = await start({ mutationDelayMs: 150 });
    const people = api.seed(4);
    const writer = connect(api, auth);
    const updates = people.map((person, index) => writer.update!('contacts', String(person.resourceName), { primary: { company: `Serial ${index}` } }, { version: String(person.etag) }));
    const results = await Promise.all(updates);
    expect(results).toHaveLength(4);
    expect(api.requests.filter((request) => request.method === 'PATCH').map((request) => request.status)).toEqual([200, 200, 200, 200]);
    people.forEach((person, index) => expect((api.get(String(person.resourceName)) as { organizations: { name: string }[] }).organizations[0]!.name).toBe(`Serial ${index}`));

    // A second process's connector has a queue of its own: Google refuses its overlapping mutation.
    const other = connect(api, auth);
    const [first, second] = people.map((person) => api.get(String(person.resourceName))!);
    const outcomes = await Promise.allSettled([
      writer.update!('contacts', String(first!.resourceName), { primary: { company: 'Here' } }, { version: String(first!.etag) }),
      new Promise((resolve) => setTimeout(resolve, 50)).then(() => other.update!('contacts', String(second!.resourceName), { primary: { company: 'There' } }, { version: String(second!.etag) })),
    ]);
    expect(outcomes[0].status).toBe('fulfilled');
    expect(outcomes[1].status).toBe('rejected');
    const refusal = (outcomes[1] as PromiseRejectedResult).reason as ProviderUnavailableError;
    expect(refusal).toBeInstanceOf(ProviderUnavailableError);
    expect(refusal).toMatchObject({ status: 409, code: 'ABORTED' });
    expect((api.get(String(second!.resourceName)) as { organizations: { name: string }[] }).organizations[0]!.name).toBe('Serial 1');
  });

  it('a revoked refresh token (invalid_grant) is an AuthError that carries no secret', async () => {
    const { api, auth } = await start();
    api.seed(5);
    const reader = connect(api, auth);
    expect((await readAll(reader)).records).toHaveLength(5);
    const refreshToken = auth.liveRefreshToken()!;
    auth.revokeAll();
    const error = await reader.listChainedPage!({ stream: 'contacts', page: 1, perPage: 10 }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AuthError);
    expect((error as AuthError).message).toMatch(/invalid_grant/);
    expect((error as AuthError).message).not.toContain(refreshToken);
    expect((error as AuthError).message).not.toContain(clientSecret);
    expect(api.requests.at(-1)).toMatchObject({ status: 401 });
  });

  it('refuses an id that is not a contact resource name before any call', async () => {
    const { api, auth } = await start();
    const writer = connect(api, auth);
    for (const id of ['people/../me', 'c123', 'people/c1/../../x']) {
      await expect(writer.update!('contacts', id, { primary: { givenName: 'X' } }, { version: 'etag' })).rejects.toMatchObject({ code: 'invalid_id' });
    }
    expect(api.requests).toEqual([]);
  });
});
