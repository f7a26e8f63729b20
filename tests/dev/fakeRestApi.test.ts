import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import got, { HTTPError, type Got } from 'got';
import { ClientCredentials } from 'simple-oauth2';
import { startFakeRestApi, type FakeRestApi, type FakeRestRecord } from '../../dev/fakes/restApi/fakeRestApi.js';
import { startFakeOAuthServer } from '../../dev/fakes/fakeOAuthServer.js';

// got (sindresorhus', one of the most used Node HTTP clients) follows RFC 8288 `Link: rel="next"`
// in its paginate API by default: if it reads the fake as a real API, so will our connector.
interface Page {
  data: FakeRestRecord[];
  next_cursor: string | null;
}
interface ErrorBody {
  error: { code: string; message: string; fields?: Record<string, string> };
}

const token = 'static-token-1';
let fake: FakeRestApi;
let client: Got;

beforeAll(async () => {
  fake = await startFakeRestApi({ collections: ['contacts', 'companies', 'deals'], auth: { bearer: token, apiKey: 'key-1' } });
  fake.seed('contacts', 250);
  fake.seed('companies', 20);
  fake.seed('deals', 5);
  // No retries: a refusal must surface, not be retried away.
  client = got.extend({ headers: { authorization: `Bearer ${token}` }, responseType: 'json', retry: { limit: 0 } });
});
afterAll(() => fake.close());

/** got's HTTPError, with the status and the body the fake sent. */
const refusal = async (pending: Promise<unknown>) => {
  const error = await pending.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(HTTPError);
  const response = (error as HTTPError<ErrorBody>).response;
  return { status: response.statusCode, body: response.body, headers: response.headers };
};

const pathRequests = (path: string) => fake.requests.filter((request) => request.path === path);

describe('fake REST API, driven by got', () => {
  it('serves every record in id order through got.paginate following Link rel="next"', async () => {
    const records = await client.paginate.all<FakeRestRecord, Page>(`${fake.url}/v1/contacts`, {
      searchParams: { limit: 100 },
      pagination: { transform: (response) => response.body.data },
    });
    expect(records).toHaveLength(250);
    const ids = records.map((record) => record.id);
    expect(new Set(ids).size).toBe(250);
    expect(ids).toEqual([...ids].sort());
    expect(ids[0]).toBe('contacts_000001');
    const pages = pathRequests('/v1/contacts');
    expect(pages).toHaveLength(3);
    expect(pages.map((page) => page.query.cursor === undefined)).toEqual([true, false, false]);
    for (const page of pages) expect(page).toMatchObject({ status: 200, query: { limit: '100' } });
  });

  it('serves the max limit for a larger one, and ends with no Link and a null cursor', async () => {
    const first = await client.get<Page>(`${fake.url}/v1/contacts`, { searchParams: { limit: 1000 } });
    expect(first.body.data).toHaveLength(100);
    expect(first.headers.link).toMatch(/^<http:\/\/127\.0\.0\.1:\d+\/v1\/contacts\?limit=100&cursor=[\w-]+>; rel="next"$/);
    const last = await client.get<Page>(`${fake.url}/v1/contacts`, { searchParams: { limit: 100, cursor: Buffer.from('contacts_000200').toString('base64url') } });
    expect(last.body.data.map((record) => record.id)).toEqual(fake.all('contacts').slice(200).map((record) => record.id));
    expect(last.body.next_cursor).toBeNull();
    expect(last.headers.link).toBeUndefined();
  });

  it('keeps pages stable when records change during a read', async () => {
    const first = await client.get<Page>(`${fake.url}/v1/deals`, { searchParams: { limit: 2 } });
    expect(first.body.data.map((record) => record.id)).toEqual(['deals_000001', 'deals_000002']);
    fake.upsert('deals', { id: 'deals_000000', name: 'inserted before the cursor' });
    fake.remove('deals', 'deals_000001');
    const next = /^<([^>]+)>; rel="next"$/.exec(String(first.headers.link))?.[1];
    expect(next).toBeDefined();
    const second = await client.get<Page>(next as string);
    expect(second.body.data.map((record) => record.id)).toEqual(['deals_000003', 'deals_000004']);
  });

  it('returns only records updated at or after updated_since, and keeps the filter on next links', async () => {
    const since = new Date().toISOString();
    expect(fake.all('companies').every((record) => record.updated_at < since)).toBe(true);
    fake.upsert('companies', { id: 'companies_000007', name: 'renamed' });
    fake.upsert('companies', { id: 'companies_000099', name: 'new', email: 'new@example.test' });
    const records = await client.paginate.all<FakeRestRecord, Page>(`${fake.url}/v1/companies`, {
      searchParams: { limit: 1, updated_since: since },
      pagination: { transform: (response) => response.body.data },
    });
    expect(records.map((record) => record.id)).toEqual(['companies_000007', 'companies_000099']);
    const pages = pathRequests('/v1/companies');
    expect(pages).toHaveLength(2);
    for (const page of pages) expect(page.query.updated_since).toBe(since);
  });

  it('refuses a bad cursor, a bad updated_since and an unknown collection', async () => {
    expect(await refusal(client.get(`${fake.url}/v1/contacts`, { searchParams: { cursor: 'not a cursor!' } }))).toMatchObject({ status: 400, body: { error: { code: 'invalid_cursor' } } });
    expect(await refusal(client.get(`${fake.url}/v1/contacts`, { searchParams: { updated_since: 'yesterday' } }))).toMatchObject({
      status: 400,
      body: { error: { code: 'invalid_parameter' } },
    });
    expect(await refusal(client.get(`${fake.url}/v1/invoices`))).toMatchObject({ status: 404, body: { error: { code: 'not_found' } } });
  });

  it('answers 401 with a Bearer challenge without a credential or with a wrong one, and accepts the API key', async () => {
    const anonymous = await refusal(got.get(`${fake.url}/v1/contacts`, { responseType: 'json', retry: { limit: 0 } }));
    expect(anonymous).toMatchObject({ status: 401, body: { error: { code: 'unauthorized' } } });
    expect(anonymous.headers['www-authenticate']).toMatch(/^Bearer /);
    const wrong = await refusal(client.get(`${fake.url}/v1/contacts`, { headers: { authorization: 'Bearer wrong-token' } }));
    expect(wrong).toMatchObject({ status: 401, body: { error: { code: 'unauthorized' } } });
    expect(wrong.headers['www-authenticate']).toContain('error="invalid_token"');
    expect(JSON.stringify(wrong.body)).not.toContain('wrong-token');
    const byKey = await got.get(`${fake.url}/v1/contacts/contacts_000001`, { headers: { 'x-api-key': 'key-1' }, responseType: 'json' });
    expect(byKey.statusCode).toBe(200);
  });

  it('requires a current If-Match for PATCH: 428 without, 412 stale, 200 with a new etag', async () => {
    const read = await client.get<FakeRestRecord>(`${fake.url}/v1/deals/deals_000002`);
    const etag = read.headers.etag as string;
    expect(etag).toBe(`"${read.body.etag}"`);
    const url = `${fake.url}/v1/deals/deals_000002`;
    expect(await refusal(client.patch(url, { json: { name: 'no precondition' } }))).toMatchObject({ status: 428, body: { error: { code: 'precondition_required' } } });

    const updated = await client.patch<FakeRestRecord>(url, { json: { name: 'renamed' }, headers: { 'if-match': etag } });
    expect(updated.statusCode).toBe(200);
    expect(updated.body).toMatchObject({ id: 'deals_000002', name: 'renamed', email: read.body.email });
    expect(updated.body.etag).not.toBe(read.body.etag);
    expect(updated.headers.etag).toBe(`"${updated.body.etag}"`);
    expect(Date.parse(updated.body.updated_at)).toBeGreaterThan(Date.parse(read.body.updated_at));
    expect(updated.body.updated_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);

    expect(await refusal(client.patch(url, { json: { name: 'stale' }, headers: { 'if-match': etag } }))).toMatchObject({ status: 412, body: { error: { code: 'precondition_failed' } } });
    // Unquoted is accepted too.
    expect((await client.patch<FakeRestRecord>(url, { json: { name: 'again' }, headers: { 'if-match': updated.body.etag } })).statusCode).toBe(200);
    expect(fake.get('deals', 'deals_000002')?.name).toBe('again');
  });

  it('creates with POST (201, generated id, ETag) and refuses an invalid email with 422 fields.email', async () => {
    const created = await client.post<FakeRestRecord>(`${fake.url}/v1/deals`, { json: { name: 'Big deal', email: 'buyer@example.test', stage: 'won' } });
    expect(created.statusCode).toBe(201);
    expect(created.body).toMatchObject({ name: 'Big deal', email: 'buyer@example.test', stage: 'won' });
    expect(created.body.id).toMatch(/^deals_\d{6}$/);
    expect(created.headers.etag).toBe(`"${created.body.etag}"`);
    expect(fake.get('deals', created.body.id)).toEqual(created.body);

    const invalid = await refusal(client.post(`${fake.url}/v1/deals`, { json: { name: 'x', email: 'not-an-email' } }));
    expect(invalid).toMatchObject({ status: 422, body: { error: { code: 'validation_failed', fields: { email: 'must be an email' } } } });
    expect(await refusal(client.post(`${fake.url}/v1/deals`, { json: [1, 2] }))).toMatchObject({ status: 422, body: { error: { code: 'validation_failed' } } });
  });

  it('refuses a body over 1 MB with 413', async () => {
    const huge = await refusal(client.post(`${fake.url}/v1/deals`, { json: { name: 'x'.repeat(1024 * 1024 + 1) } }));
    expect(huge.status).toBe(413);
  });

  it('deletes with 204, after which the record is neither listed nor found', async () => {
    const deleted = await client.delete(`${fake.url}/v1/deals/deals_000003`);
    expect(deleted.statusCode).toBe(204);
    const listed = await client.paginate.all<FakeRestRecord, Page>(`${fake.url}/v1/deals`, { pagination: { transform: (response) => response.body.data } });
    expect(listed.length).toBeGreaterThan(0);
    expect(listed.map((record) => record.id)).not.toContain('deals_000003');
    expect(await refusal(client.get(`${fake.url}/v1/deals/deals_000003`))).toMatchObject({ status: 404, body: { error: { code: 'not_found' } } });
    expect(fake.get('deals', 'deals_000003')).toBeUndefined();
  });
});

describe('fake REST API rate limit', () => {
  it('counts RateLimit-Remaining down and answers the request over the limit with 429 and Retry-After', async () => {
    const limited = await startFakeRestApi({ collections: ['contacts'], auth: { bearer: token }, rateLimit: { limit: 3, windowMs: 60_000 } });
    try {
      limited.seed('contacts', 1);
      const remaining: string[] = [];
      for (let i = 0; i < 3; i += 1) {
        const response = await client.get<Page>(`${limited.url}/v1/contacts`);
        expect(response.headers['ratelimit-limit']).toBe('3');
        remaining.push(response.headers['ratelimit-remaining'] as string);
      }
      expect(remaining).toEqual(['2', '1', '0']);
      const refused = await refusal(client.get(`${limited.url}/v1/contacts`));
      expect(refused).toMatchObject({ status: 429, body: { error: { code: 'rate_limited' } } });
      const retryAfter = Number(refused.headers['retry-after']);
      expect(retryAfter).toBeGreaterThan(0);
      expect(retryAfter).toBeLessThanOrEqual(60);
      expect(refused.headers['ratelimit-remaining']).toBe('0');
      expect(limited.requests.map((request) => request.status)).toEqual([200, 200, 200, 429]);
    } finally {
      await limited.close();
    }
  });

  it('sends RateLimit headers with a large limit by default', async () => {
    const response = await client.get<Page>(`${fake.url}/v1/deals`);
    expect(Number(response.headers['ratelimit-limit'])).toBeGreaterThanOrEqual(1_000_000);
    expect(response.headers['ratelimit-reset']).toMatch(/^\d+$/);
  });
});

describe('fake REST API with the fake OAuth server behind verifyBearer', () => {
  it('accepts a client_credentials token from simple-oauth2, and refuses it once revoked', async () => {
    const oauth = await startFakeOAuthServer({ clientId: 'client-1', clientSecret: 'secret-1' });
    const api = await startFakeRestApi({ collections: ['contacts'], auth: { verifyBearer: (accessToken) => oauth.isLiveAccessToken(accessToken) } });
    try {
      api.seed('contacts', 3);
      const credentials = new ClientCredentials({ client: { id: 'client-1', secret: 'secret-1' }, auth: { tokenHost: oauth.url, tokenPath: '/oauth/token' } });
      const accessToken = (await credentials.getToken({})).token.access_token as string;
      const authorized = got.extend({ headers: { authorization: `Bearer ${accessToken}` }, responseType: 'json', retry: { limit: 0 } });
      const page = await authorized.get<Page>(`${api.url}/v1/contacts`);
      expect(page.body.data).toHaveLength(3);
      expect(oauth.counts.authorizedCalls).toBe(1);

      oauth.revokeAll();
      expect(await refusal(authorized.get(`${api.url}/v1/contacts`))).toMatchObject({ status: 401, body: { error: { code: 'unauthorized' } } });
      expect(oauth.counts.unauthorizedCalls).toBe(1);
    } finally {
      await api.close();
      await oauth.close();
    }
  });
});
