import { createServer, type IncomingMessage } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import OAuthClient from 'intuit-oauth';
import quickBooksModule from 'node-quickbooks';
import { signQuickBooksWebhook, startFakeQuickBooks, type FakeQuickBooks, type FakeQuickBooksOptions } from '../../dev/fakes/quickbooks/fakeQuickBooks.js';

// node-quickbooks and intuit-oauth are the judges: if they read the fake as QuickBooks, so will a connector.
// The package's module.exports is the class, but its typings declare it as `export default` (an ES
// default), which a CommonJS import under nodenext types as the whole module: the cast restores the truth.
const QuickBooks = quickBooksModule as unknown as typeof import('node-quickbooks').QuickBooks;
type QuickBooks = InstanceType<typeof QuickBooks>;
const clientId = 'ABfakeClientId';
const clientSecret = 'fake-client-secret';
let fake: FakeQuickBooks;

beforeAll(async () => {
  fake = await startFakeQuickBooks({ clientId, clientSecret });
  fake.seed('Customer', 250);
  fake.seed('Item', 5);
  fake.seed('Invoice', 12);
});
afterAll(() => fake.close());

/** The client pointed at a fake: the static base URL with `useSandbox`, and OAuth 2 bearer tokens from the constructor. */
function clientFor(server: FakeQuickBooks, tokens = server.issueTokens()): QuickBooks {
  QuickBooks.V3_ENDPOINT_BASE_URL = server.v3BaseUrl;
  QuickBooks.TOKEN_URL = server.tokenUrl;
  return new QuickBooks(clientId, clientSecret, tokens.access_token, false, server.realmId, true, false, null, '2.0', tokens.refresh_token);
}

/** Loose on purpose: the client's typings describe each callback's data differently from what is asserted here. */
type Callback = (err: unknown, data?: any) => void;
/** The client's callbacks as a promise; a rejection carries what the client handed its callback. */
function call<T>(invoke: (done: Callback) => void): Promise<T> {
  return new Promise((resolve, reject) => invoke((err, data) => (err ? reject(err) : resolve(data as T))));
}

/** node-quickbooks rejects with axios' error for a non-2xx answer and with the body itself for a Fault in a 200. */
async function failure(pending: Promise<unknown>): Promise<{ status: number; body: Record<string, any> }> {
  const error: any = await pending.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeDefined();
  if (error.response) return { status: error.response.status, body: error.response.data };
  return { status: 200, body: error };
}

type Customer = Record<string, any>;
type Query = { QueryResponse: Record<string, any>; time: string };

describe('fake QuickBooks: queries', () => {
  it('pages a full read through STARTPOSITION and MAXRESULTS until a short page', async () => {
    const qbo = clientFor(fake);
    const before = fake.requests.length;
    const data = await call<Query>((done) => qbo.findCustomers({ fetchAll: true, limit: 100 }, done));
    const customers: Customer[] = data.QueryResponse.Customer;
    expect(customers).toHaveLength(250);
    expect(new Set(customers.map((customer) => customer.Id)).size).toBe(250);
    const queries = fake.requests.slice(before).map((logged) => logged.query.query ?? '');
    expect(queries).toHaveLength(3);
    expect(queries.map((text) => /startposition (\d+)/.exec(text)?.[1])).toEqual(['1', '101', '201']);
    expect(data.time).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}-08:00$/);
  });

  it('answers one page with startPosition and the count served as maxResults', async () => {
    const qbo = clientFor(fake);
    const data = await call<Query>((done) => qbo.findCustomers({ limit: 20, offset: 241 }, done));
    expect(data.QueryResponse).toMatchObject({ startPosition: 241, maxResults: 10 });
    expect(data.QueryResponse.Customer.map((customer: Customer) => customer.Id)[0]).toBe('241');
  });

  it('serves realistic records with Id, SyncToken and MetaData', async () => {
    const qbo = clientFor(fake);
    const customer = await call<Customer>((done) => qbo.getCustomer('3', done));
    expect(customer).toMatchObject({
      Id: '3',
      SyncToken: '0',
      DisplayName: expect.any(String),
      PrimaryEmailAddr: { Address: expect.stringContaining('@') },
      Active: true,
      MetaData: { CreateTime: expect.stringMatching(/-08:00$/), LastUpdatedTime: expect.stringMatching(/-08:00$/) },
    });
    const invoices = await call<Query>((done) => qbo.findInvoices({ CustomerRef: '2' }, done));
    expect(invoices.QueryResponse.Invoice.length).toBeGreaterThan(0);
    for (const invoice of invoices.QueryResponse.Invoice) expect(invoice).toMatchObject({ CustomerRef: { value: '2' }, TotalAmt: expect.any(Number), Line: expect.any(Array) });
  });

  it('filters on MetaData.LastUpdatedTime and orders by it', async () => {
    const qbo = clientFor(fake);
    const all: Customer[] = (await call<Query>((done) => qbo.findCustomers({ fetchAll: true }, done))).QueryResponse.Customer;
    const times = all.map((customer) => Date.parse(customer.MetaData.LastUpdatedTime)).sort((a, b) => a - b);
    const cut = new Date((times[199] as number) + 1000).toISOString();
    const criteria = [{ field: 'MetaData.LastUpdatedTime', value: cut, operator: '>' }, { field: 'asc', value: 'MetaData.LastUpdatedTime' }];
    const newer: Customer[] = (await call<Query>((done) => qbo.findCustomers(criteria, done))).QueryResponse.Customer;
    expect(newer.length).toBeGreaterThan(0);
    expect(newer.length).toBeLessThan(250);
    const served = newer.map((customer) => Date.parse(customer.MetaData.LastUpdatedTime));
    expect(served).toEqual([...served].sort((a, b) => a - b));
    for (const at of served) expect(at).toBeGreaterThanOrEqual(Date.parse(cut) - 1000);
  });

  it('answers an empty page with an empty QueryResponse and counts with COUNT(*)', async () => {
    const qbo = clientFor(fake);
    const empty = await call<Query>((done) => qbo.findCustomers({ DisplayName: 'Nobody At All' }, done));
    expect(empty.QueryResponse).toEqual({});
    const counted = await call<Query>((done) => qbo.findItems({ count: true }, done));
    expect(counted.QueryResponse).toEqual({ totalCount: 5 });
  });

  it('hides inactive customers unless the query names Active', async () => {
    const server = await startFakeQuickBooks({ clientId, clientSecret });
    try {
      server.seed('Customer', 4);
      server.update('Customer', '2', { Active: false });
      const qbo = clientFor(server);
      const active: Customer[] = (await call<Query>((done) => qbo.findCustomers(done))).QueryResponse.Customer;
      expect(active.map((customer) => customer.Id)).toEqual(['1', '3', '4']);
      const every: Customer[] = (await call<Query>((done) => qbo.findCustomers({ Active: [true, false] }, done))).QueryResponse.Customer;
      expect(every.map((customer) => customer.Id)).toEqual(['1', '2', '3', '4']);
    } finally {
      await server.close();
    }
  });

  it('refuses a malformed query with the 4000 parse fault', async () => {
    const qbo = clientFor(fake);
    // The client appends a string criterion verbatim (criteriaToString), though its typings omit strings.
    const criterion = 'where DisplayName ~ 3' as unknown as Record<string, unknown>;
    const { status, body } = await failure(call((done) => qbo.findCustomers(criterion, done)));
    expect(status).toBe(400);
    expect(body.Fault).toMatchObject({ type: 'ValidationFault', Error: [{ code: '4000', Message: 'Error parsing query' }] });
  });
});

describe('fake QuickBooks: writes', () => {
  it('updates sparsely with the SyncToken, bumping it and LastUpdatedTime, and refuses the stale one with 5010', async () => {
    const qbo = clientFor(fake);
    const before = await call<Customer>((done) => qbo.getCustomer('7', done));
    const updated = await call<Customer>((done) => qbo.updateCustomer({ Id: '7', SyncToken: before.SyncToken, sparse: true, CompanyName: 'Renamed Co' }, done));
    expect(updated).toMatchObject({ Id: '7', SyncToken: String(Number(before.SyncToken) + 1), CompanyName: 'Renamed Co', DisplayName: before.DisplayName });
    expect(Date.parse(updated.MetaData.LastUpdatedTime)).toBeGreaterThanOrEqual(Date.parse(before.MetaData.LastUpdatedTime));
    expect(fake.get('Customer', '7')?.CompanyName).toBe('Renamed Co');

    const { status, body } = await failure(call((done) => qbo.updateCustomer({ Id: '7', SyncToken: before.SyncToken, sparse: true, CompanyName: 'Lost Write' }, done)));
    expect(status).toBe(400);
    expect(body).toMatchObject({ Fault: { type: 'ValidationFault', Error: [{ Message: 'Stale Object Error', code: '5010' }] }, time: expect.any(String) });
    expect(fake.get('Customer', '7')?.CompanyName).toBe('Renamed Co');
  });

  it('creates with SyncToken 0 and refuses a taken display name with 6240', async () => {
    const qbo = clientFor(fake);
    const created = await call<Customer>((done) => qbo.createCustomer({ GivenName: 'Ada', FamilyName: 'Lovelace', PrimaryEmailAddr: { Address: 'ada@example.com' } }, done));
    expect(created).toMatchObject({ DisplayName: 'Ada Lovelace', SyncToken: '0', Active: true, Balance: 0 });
    const { status, body } = await failure(call((done) => qbo.createCustomer({ DisplayName: 'ada lovelace' }, done)));
    expect(status).toBe(400);
    expect(body.Fault.Error[0]).toMatchObject({ Message: 'Duplicate Name Exists Error', code: '6240', Detail: expect.stringContaining(`Id=${created.Id}`) });
  });

  it('answers a missing id with 610 Object Not Found', async () => {
    const qbo = clientFor(fake);
    const { status, body } = await failure(call((done) => qbo.getCustomer('99999', done)));
    expect(status).toBe(400);
    expect(body.Fault).toMatchObject({ type: 'ValidationFault', Error: [{ Message: 'Object Not Found', code: '610' }] });
  });
});

describe('fake QuickBooks: change data capture', () => {
  it('reports changes since an instant, deleted records as status Deleted', async () => {
    const qbo = clientFor(fake);
    const since = new Date(Date.now() - 1000);
    await new Promise((resolve) => setTimeout(resolve, 5));
    fake.update('Customer', '11', { Notes: 'changed' });
    fake.remove('Invoice', '4');
    const data = await call<{ CDCResponse: { QueryResponse: Record<string, any>[] }[]; time: string }>((done) => qbo.changeDataCapture(['Customer', 'Invoice', 'Item'], since, done));
    const [response] = data.CDCResponse;
    expect(response?.QueryResponse).toHaveLength(3);
    const [customers, invoices, items] = response?.QueryResponse ?? [];
    expect(customers?.Customer.map((customer: Customer) => customer.Id)).toContain('11');
    expect(invoices?.Invoice).toContainEqual({ Id: '4', status: 'Deleted', domain: 'QBO', MetaData: { LastUpdatedTime: expect.any(String) } });
    expect(items).toEqual({});
  });

  it('answers at most 1,000 objects, the oldest changes first', async () => {
    const server = await startFakeQuickBooks({ clientId, clientSecret });
    try {
      const seeded = server.seed('Customer', 1001);
      const newest = seeded.reduce((latest, customer) => (customer.MetaData.LastUpdatedTime > latest.MetaData.LastUpdatedTime ? customer : latest));
      const qbo = clientFor(server);
      const data = await call<{ CDCResponse: { QueryResponse: Record<string, any>[] }[] }>((done) => qbo.changeDataCapture('Customer', new Date(Date.now() - 2 * 24 * 3600 * 1000), done));
      const customers: Customer[] = data.CDCResponse[0]?.QueryResponse[0]?.Customer ?? [];
      expect(customers).toHaveLength(1000);
      expect(customers.map((customer) => customer.Id)).not.toContain(newest.Id);
    } finally {
      await server.close();
    }
  });

  it('refuses a changedSince older than 30 days', async () => {
    const qbo = clientFor(fake);
    const since = new Date(Date.now() - 31 * 24 * 3600 * 1000);
    const { status, body } = await failure(call((done) => qbo.changeDataCapture('Customer', since, done)));
    expect(status).toBe(400);
    expect(body.Fault.Error[0].Detail).toContain('older than fixed days is not supported');
  });
});

describe('fake QuickBooks: tokens', () => {
  it('rotates the refresh token on every refresh and refuses the used one with invalid_grant', async () => {
    OAuthClient.tokenEndpoint = fake.tokenUrl;
    const oauth = new OAuthClient({ clientId, clientSecret, environment: 'sandbox', redirectUri: 'http://127.0.0.1/callback' });
    const first = fake.issueTokens();
    oauth.setToken({ ...first, realmId: fake.realmId });
    const refreshed = await oauth.refresh();
    const second = refreshed.getJson();
    expect(second).toMatchObject({ token_type: 'bearer', expires_in: 3600, x_refresh_token_expires_in: expect.any(Number) });
    expect(second.refresh_token).not.toBe(first.refresh_token);
    expect(second.access_token).not.toBe(first.access_token);

    const reused: any = await oauth.refreshUsingToken(first.refresh_token).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(reused).toMatchObject({ error: 'invalid_grant' });
    expect(reused.authResponse.response.status).toBe(400);
  });

  it('answers an expired access token with the gateway 401 (3200), and a refresh cures it', async () => {
    const server = await startFakeQuickBooks({ clientId, clientSecret });
    try {
      server.seed('Customer', 2);
      const qbo = clientFor(server);
      server.expireAccessTokens();
      const { status, body } = await failure(call((done) => qbo.getCustomer('1', done)));
      expect(status).toBe(401);
      expect(body.fault).toMatchObject({ type: 'AUTHENTICATION', error: [{ code: '3200', message: 'message=AuthenticationFailed; errorCode=003200; statusCode=401' }] });
      expect(JSON.stringify(body)).not.toContain(qbo.token);

      const oldRefresh = qbo.refreshToken;
      await call((done) => qbo.refreshAccessToken(done));
      expect(qbo.refreshToken).not.toBe(oldRefresh);
      const customer = await call<Customer>((done) => qbo.getCustomer('1', done));
      expect(customer.Id).toBe('1');
    } finally {
      await server.close();
    }
  });

  it('refuses a client with the wrong secret as invalid_client', async () => {
    const response = await fetch(fake.tokenUrl, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(`${clientId}:wrong`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: fake.issueTokens().refresh_token }).toString(),
    });
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ error: 'invalid_client' });
  });
});

describe('fake QuickBooks: faults in a 200 and limits', () => {
  async function withServer(options: Partial<FakeQuickBooksOptions>, test: (server: FakeQuickBooks) => Promise<void>): Promise<void> {
    const server = await startFakeQuickBooks({ clientId, clientSecret, ...options });
    try {
      server.seed('Customer', 3);
      await test(server);
    } finally {
      await server.close();
    }
  }

  it('can answer a Fault inside a 200, which the client still treats as an error', () =>
    withServer({ faultsWithStatus200: true }, async (server) => {
      const qbo = clientFor(server);
      const { status, body } = await failure(call((done) => qbo.getCustomer('404', done)));
      expect(status).toBe(200);
      expect(body.Fault.Error[0].code).toBe('610');
    }));

  it('refuses the request past the per-minute allowance with 429 (3001)', () =>
    withServer({ rateLimit: { perMinute: 3 } }, async (server) => {
      const qbo = clientFor(server);
      for (let i = 0; i < 3; i += 1) await call((done) => qbo.getCustomer('1', done));
      const { status, body } = await failure(call((done) => qbo.getCustomer('1', done)));
      expect(status).toBe(429);
      expect(body.Fault.Error[0]).toMatchObject({ code: '3001', Message: 'message=ThrottleExceeded; errorCode=003001; statusCode=429' });
    }));

  it('refuses requests beyond the concurrent ceiling with 429', () =>
    withServer({ rateLimit: { concurrent: 2 }, latencyMs: 150 }, async (server) => {
      const qbo = clientFor(server);
      const outcomes = await Promise.allSettled([1, 2, 3].map(() => call((done) => qbo.getCustomer('1', done))));
      const refused = outcomes.filter((outcome) => outcome.status === 'rejected');
      expect(refused).toHaveLength(1);
      expect((refused[0] as PromiseRejectedResult).reason.response.status).toBe(429);
      await call((done) => qbo.getCustomer('1', done));
    }));
});

describe('fake QuickBooks: webhooks', () => {
  it('signs legacy and CloudEvents notifications with intuit-signature', async () => {
    const received: { signature: string; body: string }[] = [];
    const receiver = createServer((req: IncomingMessage, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        received.push({ signature: String(req.headers['intuit-signature']), body: Buffer.concat(chunks).toString('utf8') });
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    try {
      const address = receiver.address();
      if (address === null || typeof address === 'string') throw new Error('no address');
      const url = `http://127.0.0.1:${address.port}/hooks`;
      const entities = [{ name: 'Customer', id: '7', operation: 'Update' as const }];
      expect(await fake.sendWebhook(url, { verifierToken: 'verifier', format: 'legacy', entities })).toBe(200);
      expect(await fake.sendWebhook(url, { verifierToken: 'verifier', format: 'cloudevents', entities })).toBe(200);
      expect(received).toHaveLength(2);
      for (const { signature, body } of received) expect(signature).toBe(signQuickBooksWebhook('verifier', body));
      expect(JSON.parse(received[0]?.body ?? '')).toMatchObject({ eventNotifications: [{ realmId: fake.realmId, dataChangeEvent: { entities: [{ name: 'Customer', id: '7', operation: 'Update' }] } }] });
      expect(JSON.parse(received[1]?.body ?? '')).toMatchObject([{ specversion: '1.0', type: 'qbo.customer.updated.v1', intuitentityid: '7', intuitaccountid: fake.realmId }]);
    } finally {
      await new Promise<void>((resolve) => receiver.close(() => resolve()));
    }
  });
});
