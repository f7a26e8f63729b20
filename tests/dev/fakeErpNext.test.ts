import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FrappeApp } from 'frappe-js-sdk';
import { startFakeErpNext, type FakeErpNext } from '../../dev/fakes/erpnext/fakeErpNext.js';

// The community client is the judge: if it reads the fake as a Frappe site, so will a connector.
const apiKey = 'fakeapikey01';
const apiSecret = 'fakeapisecret01';
let fake: FakeErpNext;

beforeAll(async () => {
  fake = await startFakeErpNext({ apiKey, apiSecret });
  fake.seed('Customer', 45);
  fake.seed('Item', 12);
  fake.seed('Sales Invoice', 30);
});
afterAll(() => fake.close());

const appOf = (server: FakeErpNext, token = `${apiKey}:${apiSecret}`) => new FrappeApp(server.url, { useToken: true, token: () => token, type: 'token' });

/** The SDK rejects with Frappe's error body spread, plus `httpStatus`. */
const failure = async (pending: Promise<unknown>) => {
  const error = await pending.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeDefined();
  return error as { httpStatus: number; exc_type?: string; exception: string; _server_messages?: string };
};
const messageOf = (error: { _server_messages?: string }) => (JSON.parse(JSON.parse(error._server_messages ?? '[]')[0] ?? '{}') as { message?: string }).message;

describe('fake ERPNext, driven by frappe-js-sdk', () => {
  it('pages customers with limit_start and limit, ordered stably, every one once; names only without fields', async () => {
    const db = appOf(fake).db();
    const names: string[] = [];
    for (let start = 0; ; start += 20) {
      const page = await db.getDocList('Customer', { fields: ['name', 'customer_name', 'modified'], orderBy: { field: 'creation', order: 'asc' }, limit_start: start, limit: 20 });
      expect(page.length).toBeLessThanOrEqual(20);
      for (const doc of page) {
        expect(doc.modified).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{6}$/);
        names.push(doc.name);
      }
      if (page.length < 20) break;
    }
    expect(names).toHaveLength(45);
    expect(new Set(names).size).toBe(45);
    expect(await db.getDocList('Customer', { limit: 3 })).toEqual(expect.arrayContaining([{ name: expect.any(String) }]));
    expect(Object.keys((await db.getDocList('Customer', { limit: 1 }))[0]!)).toEqual(['name']);
  });

  it('filters on modified with microsecond instants and orders by modified then name', async () => {
    const db = appOf(fake).db();
    const all = await db.getDocList('Customer', { fields: ['name', 'modified'], orderBy: { field: 'modified', order: 'asc' }, limit: 0 });
    expect(all).toHaveLength(45);
    const pivot = all[30]!.modified as string;
    const after = await db.getDocList('Customer', { fields: ['name', 'modified'], filters: [['modified', '>', pivot]], orderBy: { field: 'modified', order: 'asc' }, limit: 100 });
    expect(after.map((doc) => doc.name)).toEqual(all.slice(31).map((doc) => doc.name));
    // A filter without microseconds compares as the same instant.
    const seconds = await db.getDocList('Customer', { fields: ['name'], filters: [['modified', '>=', pivot.slice(0, 19)]], limit: 100 });
    expect(seconds.length).toBeGreaterThanOrEqual(all.length - 31);
  });

  it('lists "*" fields without child tables; getDoc has them', async () => {
    const db = appOf(fake).db();
    const [row] = await db.getDocList('Sales Invoice', { fields: ['*'], limit: 1 });
    expect(row).toMatchObject({ name: expect.stringMatching(/^ACC-SINV-\d{4}-\d{5}$/), customer: expect.any(String), grand_total: expect.any(Number), docstatus: 0 });
    expect(row).not.toHaveProperty('items');
    const doc = await db.getDoc('Sales Invoice', row!.name);
    expect(doc.items).toEqual([expect.objectContaining({ item_code: expect.stringMatching(/^SKU-/) })]);
  });

  it('creates, updates and deletes; updateDoc with the modified last read is checked, a stale one is 417 TimestampMismatchError', async () => {
    const db = appOf(fake).db();
    const created = await db.createDoc('Supplier', { supplier_name: 'Acme Parts', supplier_group: 'Raw Material' });
    expect(created).toMatchObject({ doctype: 'Supplier', supplier_name: 'Acme Parts', name: expect.any(String) });
    const first = await db.updateDoc('Supplier', created.name, { supplier_group: 'Hardware', modified: created.modified });
    expect(first.modified > created.modified).toBe(true);
    const stale = await failure(db.updateDoc('Supplier', created.name, { supplier_group: 'Services', modified: created.modified }));
    expect(stale).toMatchObject({ httpStatus: 417, exc_type: 'TimestampMismatchError' });
    expect(messageOf(stale)).toMatch(/Document has been modified after you have opened it/);
    expect(fake.get('Supplier', created.name)?.supplier_group).toBe('Hardware');
    // Without `modified` there is no check.
    await db.updateDoc('Supplier', created.name, { supplier_group: 'Services' });
    expect(await db.deleteDoc('Supplier', created.name)).toEqual({ data: 'ok' });
    expect(fake.requests.at(-1)).toMatchObject({ method: 'DELETE', status: 202 });
    const gone = await failure(db.getDoc('Supplier', created.name));
    expect(gone).toMatchObject({ httpStatus: 404, exc_type: 'DoesNotExistError' });
  });

  it('answers Frappe error bodies: 401 AuthenticationError, 403 PermissionError, 409 DuplicateEntryError, 417 MandatoryError', async () => {
    const wrong = await failure(appOf(fake, `${apiKey}:not-the-secret`).db().getDocList('Customer'));
    expect(wrong).toMatchObject({ httpStatus: 401, exc_type: 'AuthenticationError' });
    const db = appOf(fake).db();
    const existing = fake.all('Customer')[0]!;
    const duplicate = await failure(db.createDoc('Customer', { customer_name: existing.customer_name }));
    expect(duplicate).toMatchObject({ httpStatus: 409, exc_type: 'DuplicateEntryError' });
    expect(messageOf(duplicate)).toContain(existing.name);
    const missing = await failure(db.createDoc('Customer', { customer_group: 'Commercial' }));
    expect(missing).toMatchObject({ httpStatus: 417, exc_type: 'MandatoryError' });
    expect(missing.exception).toMatch(/^frappe\.exceptions\.MandatoryError: /);

    const guarded = await startFakeErpNext({ apiKey, apiSecret, forbiddenDoctypes: ['Item'] });
    try {
      expect(await failure(appOf(guarded).db().getDocList('Item'))).toMatchObject({ httpStatus: 403, exc_type: 'PermissionError' });
    } finally {
      await guarded.close();
    }
  });

  it('rate-limits with X-RateLimit headers and a 429 carrying Retry-After', async () => {
    const limited = await startFakeErpNext({ apiKey, apiSecret, rateLimit: { limit: 3, windowSeconds: 60 } });
    try {
      const app = appOf(limited);
      const ok = await app.axios.get('/api/resource/Customer');
      expect(ok.headers['x-ratelimit-limit']).toBe('3');
      expect(ok.headers['x-ratelimit-remaining']).toBe('2');
      await app.db().getDocList('Customer');
      await app.db().getDocList('Customer');
      const refused = await failure(app.db().getDocList('Customer'));
      expect(refused).toMatchObject({ httpStatus: 429, exc_type: 'TooManyRequestsError' });
      expect(limited.requests.at(-1)).toMatchObject({ status: 429 });
      const raw = await fetch(`${limited.url}/api/resource/Customer`, { headers: { authorization: `token ${apiKey}:${apiSecret}` } });
      expect(raw.status).toBe(429);
      expect(Number(raw.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(raw.headers.get('x-ratelimit-remaining')).toBe('0');
    } finally {
      await limited.close();
    }
  });

  it('sends webhooks signed with base64 HMAC-SHA256 of the raw body', async () => {
    const received: Array<{ signature: string | undefined; body: string }> = [];
    const receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        received.push({ signature: req.headers['x-frappe-webhook-signature'] as string | undefined, body: Buffer.concat(chunks).toString('utf8') });
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    try {
      const address = receiver.address() as { port: number };
      const status = await fake.sendWebhook(`http://127.0.0.1:${address.port}/hook`, 'webhook-secret', { doctype: 'Customer', name: 'Customer 00001', event: 'on_update' });
      expect(status).toBe(200);
      expect(received).toHaveLength(1);
      const [delivery] = received;
      expect(delivery!.signature).toBe(createHmac('sha256', 'webhook-secret').update(delivery!.body).digest('base64'));
      expect(JSON.parse(delivery!.body)).toEqual({ doctype: 'Customer', name: 'Customer 00001', event: 'on_update' });
    } finally {
      receiver.close();
    }
  });
});
