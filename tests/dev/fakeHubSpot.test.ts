import { createServer, type Server } from 'node:http';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { Client, Signature } from '@hubspot/api-client';
import { sendWebhook, signV3, startFakeHubSpot, type FakeHubSpot } from '../../dev/fakes/hubspot/fakeHubSpot.js';
import { startFakeOAuthServer } from '../../dev/fakes/fakeOAuthServer.js';

// The official client is the judge: if it reads the fake as HubSpot, so will a connector.
const token = 'pat-na1-static-token';
let fake: FakeHubSpot;

beforeAll(async () => {
  fake = await startFakeHubSpot({ accessToken: token });
  fake.seed('contacts', 250);
  fake.seed('companies', 12);
});
afterAll(() => fake.close());
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

/**
 * The client keeps its retry decorators in a process-wide singleton that each `new Client`
 * overwrites, and applies them when an API object is built: so build the APIs at once.
 */
const contactsOf = (server: FakeHubSpot, config: { accessToken?: string; numberOfApiCallRetries?: number } = {}) =>
  new Client({ accessToken: token, basePath: server.url, ...config }).crm.contacts;

interface ApiError {
  code: number;
  body: Record<string, unknown>;
}
const failure = async (pending: Promise<unknown>): Promise<ApiError> => {
  const error = await pending.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toMatchObject({ code: expect.any(Number) });
  return error as ApiError;
};
const requestsTo = (server: FakeHubSpot, path: string) => server.requests.filter((request) => request.path === path);

describe('fake HubSpot, driven by @hubspot/api-client', () => {
  it('pages contacts with getPage by following paging.next.after, in id order, with no paging on the last page', async () => {
    const contacts = contactsOf(fake);
    const before = requestsTo(fake, '/crm/v3/objects/contacts').length;
    const ids: string[] = [];
    let after: string | undefined;
    let pages = 0;
    do {
      const page = await contacts.basicApi.getPage(100, after, ['email', 'phone']);
      pages += 1;
      ids.push(...page.results.map((record) => record.id));
      const first = page.results[0];
      expect(first).toBeDefined();
      expect(Object.keys(first?.properties ?? {}).sort()).toEqual(['createdate', 'email', 'hs_object_id', 'lastmodifieddate', 'phone']);
      expect(first?.createdAt).toBeInstanceOf(Date);
      after = page.paging?.next?.after;
      if (after !== undefined) expect(page.paging?.next?.link).toContain(`${fake.url}/crm/v3/objects/contacts?`);
    } while (after !== undefined);
    expect(pages).toBe(3);
    expect(ids).toHaveLength(250);
    expect(new Set(ids).size).toBe(250);
    expect(ids.every((id) => /^\d+$/.test(id))).toBe(true);
    expect(ids).toEqual([...ids].sort((a, b) => Number(a) - Number(b)));
    const logged = requestsTo(fake, '/crm/v3/objects/contacts').slice(before);
    expect(logged.map((request) => request.query.after === undefined)).toEqual([true, false, false]);
    expect(logged[0]?.query).toMatchObject({ limit: '100', properties: 'email,phone' });
  });

  it('reads every contact with the client getAll', async () => {
    const all = await contactsOf(fake).getAll(100);
    expect(all).toHaveLength(250);
    expect(all[0]?.properties).toMatchObject({ email: expect.stringMatching(/@example\.test$/), firstname: expect.any(String) });
  });

  it('lists archived records only with archived=true, and 404s them by id', async () => {
    const companies = new Client({ accessToken: token, basePath: fake.url }).crm.companies;
    const target = fake.all('companies')[3];
    expect(target).toBeDefined();
    fake.archive('companies', target?.id as string);
    const live = await companies.getAll(100);
    expect(live.map((record) => record.id)).not.toContain(target?.id);
    const archived = await companies.basicApi.getPage(100, undefined, undefined, undefined, undefined, true);
    expect(archived.results.map((record) => record.id)).toEqual([target?.id]);
    expect(archived.results[0]?.archived).toBe(true);
    expect((await failure(companies.basicApi.getById(target?.id as string))).code).toBe(404);
  });

  it('updates with basicApi.update, bumping lastmodifieddate past every earlier write', async () => {
    const contacts = contactsOf(fake);
    const target = fake.all('contacts')[10];
    expect(target).toBeDefined();
    const latestBefore = Math.max(...fake.all('contacts').map((record) => Date.parse(record.properties.lastmodifieddate ?? '')));
    const updated = await contacts.basicApi.update(target?.id as string, { properties: { phone: '+44 20 7946 0000' } });
    expect(updated.id).toBe(target?.id);
    expect(updated.properties.phone).toBe('+44 20 7946 0000');
    expect(Date.parse(updated.properties.lastmodifieddate ?? '')).toBeGreaterThan(latestBefore);
    expect(fake.get('contacts', target?.id as string)?.properties.phone).toBe('+44 20 7946 0000');
    const patch = fake.requests.at(-1);
    expect(patch).toMatchObject({ method: 'PATCH', status: 200, body: { properties: { phone: '+44 20 7946 0000' } } });
  });

  it('searches with a GT filter on lastmodifieddate and sorts, paging by offset, with epoch-ms or ISO values', async () => {
    const contacts = contactsOf(fake);
    const sinceMs = Math.max(...fake.all('contacts').map((record) => Date.parse(record.properties.lastmodifieddate ?? '')));
    const changed = fake.all('contacts').slice(20, 25);
    expect(changed).toHaveLength(5);
    for (const record of [...changed].reverse()) fake.update('contacts', record.id, { company: 'Changed Co' });
    // The client types sorts as strings; HubSpot's guide (and this fake) also take {propertyName, direction}.
    const sorts = [{ propertyName: 'lastmodifieddate', direction: 'ASCENDING' }] as unknown as string[];
    const filterGroups = (value: string) => [{ filters: [{ propertyName: 'lastmodifieddate', operator: 'GT' as never, value }] }];
    const first = await contacts.searchApi.doSearch({ filterGroups: filterGroups(String(sinceMs)), sorts, properties: ['company'], limit: 3 });
    expect(first.total).toBe(5);
    expect(first.paging?.next?.after).toBe('3');
    const second = await contacts.searchApi.doSearch({ filterGroups: filterGroups(String(sinceMs)), sorts, properties: ['company'], limit: 3, after: '3' });
    expect(second.paging).toBeUndefined();
    const found = [...first.results, ...second.results];
    expect(found.map((record) => record.id)).toEqual([...changed].reverse().map((record) => record.id));
    expect(found.every((record) => record.properties.company === 'Changed Co')).toBe(true);
    const byIso = await contacts.searchApi.doSearch({ filterGroups: filterGroups(new Date(sinceMs).toISOString()), sorts: ['-lastmodifieddate'], limit: 10 });
    expect(byIso.results.map((record) => record.id)).toEqual(changed.map((record) => record.id));
  });

  it('refuses a search page past the 10,000-result ceiling with a 400, the default ceiling included', async () => {
    const small = await startFakeHubSpot({ accessToken: token, searchCeiling: 30 });
    try {
      small.seed('contacts', 45);
      const contacts = contactsOf(small);
      let after: string | undefined = '0';
      let served = 0;
      let error: ApiError | undefined;
      while (after !== undefined && error === undefined) {
        const pending = contacts.searchApi.doSearch({ limit: 10, after });
        error = await pending.then(
          (page) => {
            served += page.results.length;
            after = page.paging?.next?.after;
            return undefined;
          },
          (thrown: unknown) => thrown as ApiError,
        );
      }
      expect(served).toBe(30);
      expect(error?.code).toBe(400);
      expect(error?.body).toMatchObject({ status: 'error', category: 'VALIDATION_ERROR', correlationId: expect.any(String) });
    } finally {
      await small.close();
    }
    const beyond = await failure(contactsOf(fake).searchApi.doSearch({ limit: 100, after: '9950' }));
    expect(beyond).toMatchObject({ code: 400, body: { category: 'VALIDATION_ERROR' } });
  });

  it('answers a bad token with HubSpot 401 body, never echoing the token', async () => {
    const error = await failure(contactsOf(fake, { accessToken: 'pat-na1-wrong' }).basicApi.getPage(10));
    expect(error.code).toBe(401);
    expect(error.body).toMatchObject({
      status: 'error',
      category: 'INVALID_AUTHENTICATION',
      message: expect.stringMatching(/^Authentication credentials not found\. This API supports OAuth 2\.0 authentication/),
    });
    expect(JSON.stringify(error.body)).not.toContain('pat-na1-wrong');
  });

  it('answers a missing object with 404 OBJECT_NOT_FOUND', async () => {
    const error = await failure(contactsOf(fake).basicApi.getById('999999999'));
    expect(error).toMatchObject({ code: 404, body: { status: 'error', category: 'OBJECT_NOT_FOUND', correlationId: expect.any(String) } });
  });

  it('refuses invalid property values with 400 VALIDATION_ERROR naming each, and a duplicate email with 409', async () => {
    const contacts = contactsOf(fake);
    const error = await failure(contacts.basicApi.create({ properties: { email: 'not-an-email', favourite_colour: 'blue' }, associations: [] }));
    expect(error.code).toBe(400);
    expect(error.body).toMatchObject({ status: 'error', category: 'VALIDATION_ERROR' });
    expect(String(error.body.message)).toMatch(/^Property values were not valid: \[/);
    expect(error.body.errors).toEqual([
      expect.objectContaining({ code: 'INVALID_EMAIL' }),
      expect.objectContaining({ code: 'PROPERTY_DOESNT_EXIST' }),
    ]);
    const created = await contacts.basicApi.create({ properties: { email: 'new.person@example.test', firstname: 'New' }, associations: [] });
    expect(created).toMatchObject({ id: expect.stringMatching(/^\d+$/), properties: { email: 'new.person@example.test', hs_object_id: created.id } });
    expect(fake.requests.at(-1)?.status).toBe(201);
    const duplicate = await failure(contacts.basicApi.create({ properties: { email: 'new.person@example.test' }, associations: [] }));
    expect(duplicate).toMatchObject({ code: 409, body: { category: 'CONFLICT', message: `Contact already exists. Existing ID: ${created.id}` } });
  });

  it('sends the rate-limit headers on every answer', async () => {
    const info = await contactsOf(fake).basicApi.getPageWithHttpInfo(1);
    for (const name of ['max', 'remaining', 'interval-milliseconds', 'daily', 'daily-remaining']) {
      expect(info.headers[`x-hubspot-ratelimit-${name}`]).toMatch(/^\d+$/);
    }
  });

  it('is retried by the client after a ten-secondly 429, as the request log shows', async () => {
    const limited = await startFakeHubSpot({ accessToken: token, rateLimit: { max: 2, intervalMs: 10_000 } });
    try {
      limited.seed('contacts', 3);
      const contacts = contactsOf(limited, { numberOfApiCallRetries: 2 });
      const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined);
      // The client waits 10 s before retrying; fake time (Date too, which the fake's window reads) skips it.
      vi.useFakeTimers({ toFake: ['setTimeout', 'Date'] });
      await contacts.basicApi.getPage(1);
      await contacts.basicApi.getPage(1);
      const third = contacts.basicApi.getPage(1);
      await vi.waitFor(() => expect(logged).toHaveBeenCalled());
      await vi.advanceTimersByTimeAsync(10_000);
      const page = await third;
      expect(page.results).toHaveLength(1);
      expect(limited.requests.map((request) => request.status)).toEqual([200, 200, 429, 200]);
      expect(String(logged.mock.calls[0]?.[0])).toContain('[429]');
    } finally {
      await limited.close();
    }
  });

  it('is retried by the client after a search secondly 429, whose body carries the message the client knows', async () => {
    const limited = await startFakeHubSpot({ accessToken: token, rateLimit: { searchesPerSecond: 1 } });
    try {
      limited.seed('contacts', 2);
      const contacts = contactsOf(limited, { numberOfApiCallRetries: 2 });
      const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined);
      vi.useFakeTimers({ toFake: ['setTimeout', 'Date'] });
      await contacts.searchApi.doSearch({ limit: 1 });
      const second = contacts.searchApi.doSearch({ limit: 1 });
      await vi.waitFor(() => expect(logged).toHaveBeenCalled());
      await vi.advanceTimersByTimeAsync(1_000);
      expect((await second).total).toBe(2);
      expect(limited.requests.map((request) => request.status)).toEqual([200, 429, 200]);
      // A plain GET is not a search: the search limit leaves it alone.
      expect((await contacts.basicApi.getPage(1)).results).toHaveLength(1);
    } finally {
      await limited.close();
    }
  });

  it('is not retried by the client after the daily 429, whose body names the DAILY policy', async () => {
    const capped = await startFakeHubSpot({ accessToken: token, rateLimit: { daily: 1 } });
    try {
      const contacts = contactsOf(capped, { numberOfApiCallRetries: 3 });
      await contacts.basicApi.getPage(1);
      const error = await failure(contacts.basicApi.getPage(1));
      expect(error).toMatchObject({
        code: 429,
        body: { status: 'error', message: 'You have reached your daily limit.', errorType: 'RATE_LIMIT', policyName: 'DAILY' },
      });
      expect(capped.requests.map((request) => request.status)).toEqual([200, 429]);
    } finally {
      await capped.close();
    }
  });

  it('accepts live OAuth access tokens through verifyBearer and refuses them once revoked', async () => {
    const oauth = await startFakeOAuthServer({ clientId: 'app-1', clientSecret: 'app-secret' });
    const withOAuth = await startFakeHubSpot({ verifyBearer: (presented) => oauth.isLiveAccessToken(presented) });
    try {
      withOAuth.seed('deals', 2);
      const response = await fetch(oauth.tokenUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: oauth.issueRefreshToken(), client_id: 'app-1', client_secret: 'app-secret' }),
      });
      expect(response.status).toBe(200);
      const { access_token: accessToken } = (await response.json()) as { access_token: string };
      const deals = new Client({ accessToken, basePath: withOAuth.url }).crm.deals;
      expect(await deals.getAll()).toHaveLength(2);
      oauth.revokeAll();
      expect((await failure(deals.basicApi.getPage(10))).code).toBe(401);
    } finally {
      await withOAuth.close();
      await oauth.close();
    }
  });
});

describe('fake HubSpot webhooks', () => {
  let receiver: Server;
  let receiverUrl = '';
  const received: { headers: Record<string, string | string[] | undefined>; body: string }[] = [];

  beforeAll(async () => {
    receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk)).on('end', () => {
        received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const address = receiver.address();
    if (address === null || typeof address === 'string') throw new Error('no receiver address');
    receiverUrl = `http://127.0.0.1:${address.port}/hooks/hubspot?tenant=t1`;
  });
  afterAll(() => new Promise<void>((resolve) => receiver.close(() => resolve())));

  it('signs v3 deliveries as the client Signature.isValid checks them', async () => {
    const sent = await sendWebhook(
      receiverUrl,
      [{ subscriptionType: 'contact.propertyChange', objectId: 101, propertyName: 'email', propertyValue: 'a@example.test' }],
      { clientSecret: 'client-secret-1', version: 'v3' },
    );
    expect(sent.status).toBe(204);
    const delivery = received.at(-1);
    expect(delivery?.body).toBe(sent.sentBody);
    const timestamp = Number(delivery?.headers['x-hubspot-request-timestamp']);
    const signature = String(delivery?.headers['x-hubspot-signature-v3']);
    expect(signature).toBe(signV3('POST', receiverUrl, sent.sentBody, timestamp, 'client-secret-1'));
    const valid = Signature.isValid({ signatureVersion: 'v3', method: 'POST', url: receiverUrl, requestBody: sent.sentBody, timestamp, signature, clientSecret: 'client-secret-1' });
    expect(valid).toBe(true);
    const events = JSON.parse(sent.sentBody) as Record<string, unknown>[];
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ subscriptionType: 'contact.propertyChange', objectId: 101, eventId: expect.any(Number), portalId: expect.any(Number), occurredAt: expect.any(Number) });
  });

  it('signs an old timestamp faithfully, which the client then rejects as a replay', async () => {
    const timestampMs = Date.now() - 10 * 60 * 1000;
    const sent = await sendWebhook(receiverUrl, [{ subscriptionType: 'deal.creation', objectId: 9001 }], { clientSecret: 'client-secret-1', version: 'v3', timestampMs });
    const signature = String(received.at(-1)?.headers['x-hubspot-signature-v3']);
    expect(signature).toBe(signV3('POST', receiverUrl, sent.sentBody, timestampMs, 'client-secret-1'));
    expect(() =>
      Signature.isValid({ signatureVersion: 'v3', method: 'POST', url: receiverUrl, requestBody: sent.sentBody, timestamp: timestampMs, signature, clientSecret: 'client-secret-1' }),
    ).toThrow(/Timestamp is invalid/);
  });

  it('signs v1 deliveries as hex SHA-256 of secret and body', async () => {
    const sent = await sendWebhook(receiverUrl, [{ subscriptionType: 'contact.deletion', objectId: 102 }], { clientSecret: 'client-secret-1', version: 'v1' });
    expect(sent.status).toBe(204);
    const signature = String(received.at(-1)?.headers['x-hubspot-signature']);
    expect(Signature.isValid({ signatureVersion: 'v1', requestBody: sent.sentBody, signature, clientSecret: 'client-secret-1' })).toBe(true);
    expect(Signature.isValid({ signatureVersion: 'v1', requestBody: sent.sentBody, signature, clientSecret: 'another-secret' })).toBe(false);
  });
});
