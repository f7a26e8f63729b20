import { createHmac } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Connection } from 'jsforce';
import { startFakeSalesforce, type FakeSalesforce } from '../../dev/fakes/salesforce/fakeSalesforce.js';

// jsforce 3.10.16 is the client the connector's authors would reach for: if it reads the fake as
// Salesforce (locators, session refresh, error parsing), the fake behaves as Salesforce does.
const clientId = 'fake-consumer-key';
const clientSecret = 'fake-consumer-secret';
const version = '59.0';
const accountsSoql = 'SELECT Id, Name, SystemModstamp FROM Account ORDER BY SystemModstamp, Id';

interface Row {
  Id: string;
  Name: string;
  SystemModstamp: string;
}

interface JsforceError {
  errorCode?: string;
  message: string;
  data?: { fields?: string[] };
}

let fake: FakeSalesforce;

beforeAll(async () => {
  fake = await startFakeSalesforce({ clientId, clientSecret });
  fake.seed('Account', 2500);
  fake.seed('Contact', 30);
});
afterAll(() => fake.close());
afterEach(() => fake.resetApiUsage());

const connect = (target: FakeSalesforce = fake) =>
  new Connection({ instanceUrl: target.url, accessToken: target.accessToken, version, oauth2: { loginUrl: target.url, clientId, clientSecret }, refreshToken: target.refreshToken });

/** jsforce's Query is a thenable, not a Promise. */
const failure = async (pending: PromiseLike<unknown>): Promise<JsforceError> => {
  const error = await Promise.resolve(pending).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(Error);
  return error as JsforceError;
};

const sinceLength = () => fake.requests.length;
const stampOrder = (a: Row, b: Row) => Date.parse(a.SystemModstamp.replace('+0000', 'Z')) - Date.parse(b.SystemModstamp.replace('+0000', 'Z')) || (a.Id < b.Id ? -1 : 1);

describe('fake Salesforce queries, driven by jsforce', () => {
  it('reads past one 2,000-record batch by following nextRecordsUrl with autoFetch', async () => {
    const before = sinceLength();
    const result = await connect().query<Row>(accountsSoql, { autoFetch: true, maxFetch: 10_000 });
    expect(result.records).toHaveLength(2500);
    expect(result.totalSize).toBe(2500);
    expect(new Set(result.records.map((row) => row.Id)).size).toBe(2500);
    expect(result.records).toEqual([...result.records].sort(stampOrder));
    const first = result.records[0] as Row & { attributes: { type: string; url: string } };
    expect(first.attributes).toEqual({ type: 'Account', url: `/services/data/v${version}/sobjects/Account/${first.Id}` });
    expect(first.Id).toMatch(/^001[A-Za-z0-9]{15}$/);
    expect(first.SystemModstamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000\+0000$/);
    const pages = fake.requests.slice(before);
    expect(pages.map((page) => page.path)).toEqual([`/services/data/v${version}/query`, expect.stringMatching(new RegExp(`^/services/data/v${version}/query/\\w+-2000$`))]);
    expect(pages[0]?.query.q).toBe(accountsSoql);
  });

  it('honours Sforce-Query-Options batchSize, clamped to at least 200, and continues with queryMore', async () => {
    const conn = connect();
    const soql = 'select Id, Name, SystemModstamp from Account where SystemModstamp > 2024-01-01T00:05:00Z order by SystemModstamp, Id limit 450';
    const first = await conn.query<Row>(soql, { headers: { 'Sforce-Query-Options': 'batchSize=50' } });
    expect(first.records).toHaveLength(200);
    expect(first.done).toBe(false);
    expect(first.totalSize).toBe(450);
    expect(first.nextRecordsUrl).toMatch(/-200$/);
    const second = await conn.queryMore<Row>(first.nextRecordsUrl as string);
    const third = await conn.queryMore<Row>(second.nextRecordsUrl as string);
    expect([second.records.length, third.records.length, third.done]).toEqual([200, 50, true]);
    const rows = [...first.records, ...second.records, ...third.records];
    expect(rows).toEqual([...rows].sort(stampOrder));
    for (const row of rows) expect(Date.parse(row.SystemModstamp.replace('+0000', 'Z'))).toBeGreaterThan(Date.parse('2024-01-01T00:05:00Z'));
  });

  it('serves a SystemModstamp window, and a record updated after it moves to the end of a later read', async () => {
    const conn = connect();
    const window = await conn.query<Row>('SELECT Id, SystemModstamp FROM Contact WHERE SystemModstamp > 2024-01-01T00:00:02Z AND SystemModstamp <= 2024-01-01T00:00:05Z ORDER BY SystemModstamp, Id');
    // Seeded two to a second: seconds 3, 4 and 5 hold six contacts.
    expect(window.records).toHaveLength(6);
    const moved = window.records[0] as Row;
    fake.update('Contact', moved.Id, { Email: 'moved@example.test' });
    const later = await conn.query<Row>('SELECT Id, Email, SystemModstamp FROM Contact WHERE SystemModstamp > 2024-01-01T00:00:05Z ORDER BY SystemModstamp, Id');
    expect(later.records.at(-1)).toMatchObject({ Id: moved.Id, Email: 'moved@example.test' });
  });

  it('answers SOQL outside its grammar with MALFORMED_QUERY and unknown fields with INVALID_FIELD', async () => {
    const conn = connect();
    const malformed = await failure(conn.query("SELECT Id FROM Account WHERE Name = 'Acme' ORDER BY SystemModstamp, Id"));
    expect(malformed.errorCode).toBe('MALFORMED_QUERY');
    const invalid = await failure(conn.query('SELECT Id, Revenue FROM Account ORDER BY SystemModstamp, Id'));
    expect(invalid.errorCode).toBe('INVALID_FIELD');
    expect(invalid.message).toContain("No such column 'Revenue' on entity 'Account'");
    const quoted = await failure(conn.query("SELECT Id FROM Account WHERE SystemModstamp > '2024-01-01T00:00:00Z' ORDER BY SystemModstamp, Id"));
    expect(quoted.errorCode).toBe('INVALID_FIELD');
    const unknownType = await failure(conn.query('SELECT Id FROM Lead ORDER BY SystemModstamp, Id'));
    expect(unknownType.errorCode).toBe('INVALID_TYPE');
  });
});

describe('fake Salesforce sObject rows, driven by jsforce', () => {
  it('creates, retrieves and updates a record; the update bumps LastModifiedDate and SystemModstamp', async () => {
    const accounts = connect().sobject('Account');
    const created = await accounts.create({ Name: 'Acme', Website: 'https://acme.example.test' });
    expect(created).toEqual({ id: expect.stringMatching(/^001\w{15}$/), success: true, errors: [] });
    const id = created.id as string;
    const retrieved = await accounts.retrieve(id);
    expect(retrieved).toMatchObject({ Id: id, Name: 'Acme', Website: 'https://acme.example.test', Phone: null, attributes: { type: 'Account' } });
    fake.update('Account', id, {}, '2024-02-01T00:00:00.000Z');
    const updated = await accounts.update({ Id: id, Phone: '+1 555 0100' });
    expect(updated).toEqual({ id, success: true, errors: [] });
    const stored = fake.get('Account', id);
    expect(stored?.Phone).toBe('+1 555 0100');
    expect(Date.parse((stored?.LastModifiedDate ?? '').replace('+0000', 'Z'))).toBeGreaterThan(Date.parse('2024-02-01T00:00:00Z'));
    expect(stored?.SystemModstamp).toBe(stored?.LastModifiedDate);
  });

  it('refuses a create without a required field, naming it, and a read of an unknown id with NOT_FOUND', async () => {
    const conn = connect();
    const missing = await failure(conn.sobject('Contact').create({ FirstName: 'Ada' }));
    expect(missing.errorCode).toBe('REQUIRED_FIELD_MISSING');
    expect(missing.data?.fields).toEqual(['LastName']);
    const readOnly = await failure(conn.sobject('Contact').create({ LastName: 'Lovelace', SystemModstamp: '2024-01-01T00:00:00.000+0000' }));
    expect(readOnly.errorCode).toBe('INVALID_FIELD_FOR_INSERT_UPDATE');
    const absent = await failure(conn.sobject('Account').retrieve('001Dn9999999999AAA'));
    expect(absent.errorCode).toBe('NOT_FOUND');
  });

  it('answers a PATCH with a stale If-Unmodified-Since with 412, and a current one with 204', async () => {
    const conn = connect();
    const account = fake.all('Account')[0];
    expect(account).toBeDefined();
    const id = (account as { Id: string }).Id;
    const lastModifiedMs = Date.parse((account?.LastModifiedDate ?? '').replace('+0000', 'Z'));
    const patch = (since: number) =>
      conn.request({
        method: 'PATCH',
        url: `/services/data/v${version}/sobjects/Account/${id}`,
        body: JSON.stringify({ Name: 'Renamed' }),
        headers: { 'content-type': 'application/json', 'If-Unmodified-Since': new Date(since).toUTCString() },
      });
    const stale = await failure(patch(lastModifiedMs - 60_000));
    expect(stale.errorCode).toBe('PRECONDITION_FAILED');
    expect(fake.requests.at(-1)?.status).toBe(412);
    expect(fake.get('Account', id)?.Name).not.toBe('Renamed');
    await patch(lastModifiedMs);
    expect(fake.requests.at(-1)?.status).toBe(204);
    expect(fake.get('Account', id)?.Name).toBe('Renamed');
  });

  it('lists deletions in a window through sobject().deleted, up to a minute-aligned latestDateCovered', async () => {
    const contacts = fake.all('Contact');
    expect(contacts.length).toBeGreaterThan(2);
    const inside = contacts[0]?.Id as string;
    const before = contacts[1]?.Id as string;
    fake.remove('Contact', inside, new Date(Date.now() - 120_000).toISOString());
    fake.remove('Contact', before, new Date(Date.now() - 1_200_000).toISOString());
    const result = await connect()
      .sobject('Contact')
      .deleted(new Date(Date.now() - 600_000), new Date(Date.now() + 600_000));
    const ids = result.deletedRecords.map((entry) => entry.id);
    expect(ids).toContain(inside);
    expect(ids).not.toContain(before);
    expect(result.deletedRecords[0]?.deletedDate).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000\+0000$/);
    // Never past the call: the next window starts here, so deletions later this minute are not lost.
    expect(result.latestDateCovered).toMatch(/:00\.000\+0000$/);
    expect(Date.parse(result.latestDateCovered.replace('+0000', 'Z'))).toBeLessThanOrEqual(Date.now());
    expect(result.earliestDateAvailable).toMatch(/\+0000$/);
    expect(fake.get('Contact', inside)).toBeUndefined();
  });
});

describe('fake Salesforce sessions and limits, driven by jsforce', () => {
  it('refreshes once on INVALID_SESSION_ID and retries the call; the token answer has no expires_in', async () => {
    const conn = connect();
    const refreshes: Record<string, unknown>[] = [];
    conn.on('refresh', (_token: string, res: Record<string, unknown>) => refreshes.push(res));
    const id = fake.all('Account')[1]?.Id;
    expect(id).toBeDefined();
    fake.expireAccessTokens();
    const before = sinceLength();
    const record = await conn.sobject('Account').retrieve(id as string);
    expect(record.Id).toBe(id);
    expect(refreshes).toHaveLength(1);
    const answer = refreshes[0] as Record<string, string>;
    expect(answer).toMatchObject({ token_type: 'Bearer', instance_url: fake.url });
    expect(answer).not.toHaveProperty('expires_in');
    expect(answer.signature).toBe(createHmac('sha256', clientSecret).update(`${answer.id}${answer.issued_at}`).digest('base64'));
    expect(fake.requests.slice(before).map((request) => [request.path.split('/').slice(-2).join('/'), request.status])).toEqual([
      [`Account/${id}`, 401],
      ['oauth2/token', 200],
      [`Account/${id}`, 200],
    ]);
  });

  it('with refresh-token rotation, jsforce keeps the spent token unless the refresh listener stores the new one', async () => {
    const rotating = await startFakeSalesforce({ clientId, clientSecret, rotateRefreshTokens: true });
    try {
      const id = rotating.seed('Account', 1)[0]?.Id;
      expect(id).toBeDefined();
      const careless = connect(rotating);
      rotating.expireAccessTokens();
      await careless.sobject('Account').retrieve(id as string);
      rotating.expireAccessTokens();
      const refused = await failure(careless.sobject('Account').retrieve(id as string));
      expect(refused.message).toContain('expired access/refresh token');

      const live = rotating.liveRefreshTokens();
      expect(live).toHaveLength(1);
      const careful = new Connection({ instanceUrl: rotating.url, version, oauth2: { loginUrl: rotating.url, clientId, clientSecret }, refreshToken: live[0] as string });
      careful.on('refresh', (_token: string, res: { refresh_token?: string }) => {
        if (res.refresh_token !== undefined) careful.refreshToken = res.refresh_token;
      });
      for (let round = 0; round < 3; round += 1) {
        rotating.expireAccessTokens();
        expect((await careful.sobject('Account').retrieve(id as string)).Id).toBe(id);
      }
      expect(rotating.oauthCounts.refreshes).toBe(4);
    } finally {
      await rotating.close();
    }
  });

  it('refuses a refresh with a wrong client secret or a revoked token, and an unknown query locator', async () => {
    const other = await startFakeSalesforce({ clientId, clientSecret });
    try {
      const id = other.seed('Account', 1)[0]?.Id as string;
      const wrongSecret = new Connection({ instanceUrl: other.url, version, oauth2: { loginUrl: other.url, clientId, clientSecret: 'not-the-secret' }, refreshToken: other.refreshToken });
      expect((await failure(wrongSecret.sobject('Account').retrieve(id))).message).toContain('invalid client credentials');
      const conn = connect(other);
      const stale = await failure(conn.queryMore(`/services/data/v${version}/query/01gDn0000000000000-2000`));
      expect(stale.errorCode).toBe('INVALID_QUERY_LOCATOR');
      other.revokeAll();
      expect((await failure(conn.sobject('Account').retrieve(id))).message).toContain('expired access/refresh token');
      expect(other.oauthCounts).toEqual({ refreshes: 0, refusedGrants: 2 });
    } finally {
      await other.close();
    }
  });

  it('reports usage in Sforce-Limit-Info and refuses with REQUEST_LIMIT_EXCEEDED at the daily limit', async () => {
    const conn = connect();
    await conn.query('SELECT Id FROM Contact ORDER BY SystemModstamp, Id LIMIT 1');
    const { used, max } = fake.apiUsage;
    expect(max).toBe(15_000);
    expect(conn.limitInfo.apiUsage).toEqual({ used, limit: max });
    fake.resetApiUsage(max);
    const refused = await failure(conn.query('SELECT Id FROM Contact ORDER BY SystemModstamp, Id LIMIT 1'));
    expect(refused.errorCode).toBe('REQUEST_LIMIT_EXCEEDED');
    expect(refused.message).toBe('TotalRequests Limit exceeded.');
    expect(fake.requests.at(-1)?.status).toBe(403);
  });
});
