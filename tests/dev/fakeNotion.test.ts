import { createServer, type Server } from 'node:http';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { APIErrorCode, APIResponseError, Client, isFullPage, LogLevel, UnknownHTTPResponseError, verifyWebhookSignature, type PageObjectResponse } from '@notionhq/client';
import { sendVerification, sendWebhook, startFakeNotion, type FakeNotion } from '../../dev/fakes/notion/fakeNotion.js';

// The official client is the judge: if it reads the fake as Notion, so will a connector.
const token = 'ntn_fake_integration_token';
const dataSourceId = '2a3b4c5d-0000-4000-8000-00000000a001';
let fake: FakeNotion;

beforeAll(async () => {
  // Generous limits here; the rate-limit tests start their own fake with Notion's.
  fake = await startFakeNotion({ token, rateLimit: { perSecond: 1000, burst: 1000 } });
  fake.seed(dataSourceId, 230);
});
afterAll(() => fake.close());

const clientOf = (server: FakeNotion, options: Partial<ConstructorParameters<typeof Client>[0]> = {}) =>
  new Client({ auth: token, baseUrl: server.url, logLevel: LogLevel.ERROR, ...options });

const failure = async (pending: Promise<unknown>): Promise<APIResponseError> => {
  const error = await pending.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(APIResponseError);
  return error as APIResponseError;
};

const fullPages = (results: unknown[]): PageObjectResponse[] =>
  results.map((result) => {
    expect(isFullPage(result as PageObjectResponse)).toBe(true);
    return result as PageObjectResponse;
  });

const titleOf = (page: PageObjectResponse) => {
  const name = page.properties.Name;
  return name?.type === 'title' ? name.title.map((item) => item.plain_text).join('') : undefined;
};

describe('fake Notion, driven by @notionhq/client', () => {
  it('pages a data source with dataSources.query and start_cursor until has_more is false, each page once', async () => {
    const notion = clientOf(fake);
    const ids: string[] = [];
    let cursor: string | undefined;
    let batches = 0;
    do {
      const batch = await notion.dataSources.query({ data_source_id: dataSourceId, page_size: 100, ...(cursor === undefined ? {} : { start_cursor: cursor }) });
      batches += 1;
      expect(batch).toMatchObject({ object: 'list', type: 'page_or_data_source' });
      expect(batch.results.length).toBeGreaterThan(0);
      for (const page of fullPages(batch.results)) {
        expect(page.parent).toMatchObject({ type: 'data_source_id', data_source_id: dataSourceId });
        expect(page.properties.Email).toMatchObject({ type: 'email', email: expect.stringContaining('@example.com') });
        expect(page.properties.Status).toMatchObject({ type: 'select', select: { name: expect.any(String) } });
        ids.push(page.id);
      }
      expect(batch.has_more).toBe(batch.next_cursor !== null);
      cursor = batch.next_cursor ?? undefined;
    } while (cursor !== undefined);
    expect(batches).toBe(3);
    expect(new Set(ids).size).toBe(230);
    const sent = fake.requests.filter((request) => request.path === `/v1/data_sources/${dataSourceId}/query`);
    expect(sent.length).toBeGreaterThan(0);
    expect(sent.every((request) => request.notionVersion === Client.defaultNotionVersion)).toBe(true);
  });

  it('answers a page_size over 100 and an unknown cursor with validation_error', async () => {
    const notion = clientOf(fake);
    const tooMany = await failure(notion.dataSources.query({ data_source_id: dataSourceId, page_size: 101 }));
    expect(tooMany).toMatchObject({ code: APIErrorCode.ValidationError, status: 400 });
    const badCursor = await failure(notion.dataSources.query({ data_source_id: dataSourceId, start_cursor: 'not-a-cursor' }));
    expect(badCursor.code).toBe(APIErrorCode.ValidationError);
  });

  it('honours the last_edited_time on_or_after filter and the ascending last_edited_time sort', async () => {
    const notion = clientOf(fake);
    const seeded = fake.all(dataSourceId);
    const bound = [...seeded].map((page) => page.last_edited_time).sort()[150] as string;
    const expected = seeded.filter((page) => page.last_edited_time >= bound).map((page) => page.id);
    expect(expected.length).toBeGreaterThan(0);
    const seen: PageObjectResponse[] = [];
    let cursor: string | undefined;
    do {
      const batch = await notion.dataSources.query({
        data_source_id: dataSourceId,
        filter: { timestamp: 'last_edited_time', last_edited_time: { on_or_after: bound } },
        sorts: [{ timestamp: 'last_edited_time', direction: 'ascending' }],
        page_size: 25,
        ...(cursor === undefined ? {} : { start_cursor: cursor }),
      });
      seen.push(...fullPages(batch.results));
      cursor = batch.next_cursor ?? undefined;
    } while (cursor !== undefined);
    expect(seen.map((page) => page.id).sort()).toEqual([...expected].sort());
    const times = seen.map((page) => page.last_edited_time);
    expect(times).toEqual([...times].sort());
    expect(times.every((time) => time >= bound)).toBe(true);
  });

  it('updates properties with pages.update, bumping last_edited_time to the current minute, and reads it back', async () => {
    const notion = clientOf(fake);
    const [target] = fake.all(dataSourceId);
    expect(target).toBeDefined();
    const before = target?.last_edited_time as string;
    const updated = await notion.pages.update({
      page_id: target?.id as string,
      properties: { Name: { title: [{ text: { content: 'Renamed Person' } }] }, Email: { email: 'renamed@example.com' }, Status: { select: { name: 'Active' } } },
    });
    expect(isFullPage(updated)).toBe(true);
    const page = updated as PageObjectResponse;
    expect(titleOf(page)).toBe('Renamed Person');
    expect(page.properties.Email).toMatchObject({ email: 'renamed@example.com' });
    expect(page.last_edited_time > before).toBe(true);
    // Notion keeps edit times to the minute.
    expect(page.last_edited_time).toMatch(/:00\.000Z$/);
    const read = (await notion.pages.retrieve({ page_id: page.id })) as PageObjectResponse;
    expect(read.last_edited_time).toBe(page.last_edited_time);
    expect(titleOf(read)).toBe('Renamed Person');
    const found = await notion.dataSources.query({
      data_source_id: dataSourceId,
      filter: { timestamp: 'last_edited_time', last_edited_time: { on_or_after: page.last_edited_time } },
    });
    expect(found.results.map((result) => result.id)).toContain(page.id);
  });

  it('creates a page under a data source with pages.create', async () => {
    const notion = clientOf(fake);
    const created = (await notion.pages.create({
      parent: { type: 'data_source_id', data_source_id: dataSourceId },
      properties: { Name: { title: [{ text: { content: 'New Person' } }] }, Email: { email: 'new@example.com' } },
    })) as PageObjectResponse;
    expect(titleOf(created)).toBe('New Person');
    expect(created.in_trash).toBe(false);
    expect(fake.get(created.id)?.properties.Email.email).toBe('new@example.com');
  });

  it('hides a trashed page from queries and refuses to edit it until it is restored', async () => {
    const notion = clientOf(fake);
    const created = await notion.pages.create({ parent: { data_source_id: dataSourceId }, properties: { Name: { title: [{ text: { content: 'Short-lived' } }] } } });
    await notion.pages.update({ page_id: created.id, in_trash: true });
    const listed = await notion.dataSources.query({ data_source_id: dataSourceId, filter: { property: 'Name', title: { equals: 'Short-lived' } } });
    expect(listed.results).toEqual([]);
    const edit = await failure(notion.pages.update({ page_id: created.id, properties: { Email: { email: 'gone@example.com' } } }));
    expect(edit.code).toBe(APIErrorCode.ValidationError);
    const restored = (await notion.pages.update({ page_id: created.id, in_trash: false })) as PageObjectResponse;
    expect(restored.in_trash).toBe(false);
  });

  it('refuses with the error codes the client knows: unauthorized, object_not_found, validation_error', async () => {
    const wrongToken = await failure(clientOf(fake, { auth: 'ntn_wrong' }).pages.retrieve({ page_id: dataSourceId }));
    expect(wrongToken).toMatchObject({ code: APIErrorCode.Unauthorized, status: 401 });
    expect(wrongToken.body).not.toContain('ntn_wrong');
    const notion = clientOf(fake);
    const missing = await failure(notion.pages.retrieve({ page_id: '00000000-0000-4000-8000-000000000000' }));
    expect(missing).toMatchObject({ code: APIErrorCode.ObjectNotFound, status: 404 });
    expect(missing.request_id).toEqual(expect.any(String));
    const [target] = fake.all(dataSourceId);
    expect(target).toBeDefined();
    const unknownProperty = await failure(notion.pages.update({ page_id: target?.id as string, properties: { Phone: { phone_number: '1' } } }));
    expect(unknownProperty).toMatchObject({ code: APIErrorCode.ValidationError, status: 400, message: 'Phone is not a property that exists.' });
  });

  it('answers a conflict with conflict_error 409, which the client does not retry', async () => {
    const notion = clientOf(fake);
    const [target] = fake.all(dataSourceId);
    expect(target).toBeDefined();
    const before = fake.requests.length;
    fake.failNext('conflict_error');
    const conflict = await failure(notion.pages.update({ page_id: target?.id as string, properties: { Email: { email: 'x@example.com' } } }));
    expect(conflict).toMatchObject({ code: APIErrorCode.ConflictError, status: 409 });
    expect(fake.requests.length - before).toBe(1);
  });

  it('refuses a request without Notion-Version with 400 missing_version, a code the client does not know', async () => {
    const response = await fetch(`${fake.url}/v1/pages/${dataSourceId}`, { headers: { authorization: `Bearer ${token}` } });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ object: 'error', status: 400, code: 'missing_version', request_id: expect.any(String) });
    const bare = new Client({ auth: token, baseUrl: fake.url, logLevel: LogLevel.ERROR, notionVersion: '' });
    const error = await bare.pages.retrieve({ page_id: dataSourceId }).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(UnknownHTTPResponseError);
  });
});

describe('fake Notion rate limit', () => {
  // A fresh fake per test, so each starts with a full bucket at Notion's three a second.
  let limited: FakeNotion;
  beforeEach(async () => {
    limited = await startFakeNotion({ token });
    limited.seed(dataSourceId, 5);
  });
  afterEach(() => limited.close());

  it('allows a burst, then answers 429 rate_limited with Retry-After in seconds and counts it', async () => {
    const notion = clientOf(limited, { retry: false });
    const outcomes = await Promise.all(Array.from({ length: 15 }, () => notion.dataSources.query({ data_source_id: dataSourceId }).then(() => 'ok', (error: unknown) => error)));
    const refusals = outcomes.filter((outcome): outcome is APIResponseError => outcome instanceof APIResponseError);
    expect(refusals.length).toBeGreaterThan(0);
    // The burst of ten, plus whatever refilled while they were answered.
    expect(outcomes.filter((outcome) => outcome === 'ok').length).toBeGreaterThanOrEqual(10);
    expect(outcomes.filter((outcome) => outcome === 'ok').length + refusals.length).toBe(15);
    for (const refusal of refusals) {
      expect(refusal).toMatchObject({ code: APIErrorCode.RateLimited, status: 429 });
      expect(Number((refusal.headers as Headers).get('retry-after'))).toBeGreaterThanOrEqual(1);
    }
    expect(limited.rateLimited).toBe(refusals.length);
  });

  it('lets the client retry a 429 after Retry-After and succeed, one extra request per refusal', async () => {
    const notion = clientOf(limited);
    const before = limited.requests.length;
    const refusedBefore = limited.rateLimited;
    const started = Date.now();
    const results = await Promise.all(Array.from({ length: 12 }, () => notion.dataSources.query({ data_source_id: dataSourceId })));
    expect(results.length).toBe(12);
    expect(results.every((result) => result.results.length === 5)).toBe(true);
    const refused = limited.rateLimited - refusedBefore;
    expect(refused).toBeGreaterThan(0);
    expect(limited.requests.length - before).toBe(12 + refused);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  }, 20_000);
});

describe('fake Notion webhooks', () => {
  let receiver: Server;
  let receiverUrl = '';
  const received: { headers: Record<string, string | string[] | undefined>; body: string }[] = [];
  beforeAll(async () => {
    receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const address = receiver.address();
    if (address === null || typeof address === 'string') throw new Error('no address');
    receiverUrl = `http://127.0.0.1:${address.port}/notion`;
  });
  afterAll(() => new Promise<void>((resolve) => receiver.close(() => resolve())));

  it('posts the verification token, then events signed so the client verifies them, and not a forged one', async () => {
    const verification = await sendVerification(receiverUrl);
    expect(verification.status).toBe(200);
    expect(JSON.parse(received.at(-1)?.body ?? '{}')).toEqual({ verification_token: verification.verificationToken });
    const [page] = fake.all(dataSourceId);
    expect(page).toBeDefined();
    const event = {
      type: 'page.properties_updated' as const,
      entity: { id: page?.id as string, type: 'page' as const },
      data: { parent: { id: page?.parent.database_id, type: 'database', data_source_id: dataSourceId }, updated_properties: ['title'] },
    };
    await sendWebhook(receiverUrl, event, verification.verificationToken);
    const delivered = received.at(-1);
    const signature = delivered?.headers['x-notion-signature'] as string;
    expect(signature).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(await verifyWebhookSignature({ body: delivered?.body ?? '', signature, verificationToken: verification.verificationToken })).toBe(true);
    expect(JSON.parse(delivered?.body ?? '{}')).toMatchObject({ type: 'page.properties_updated', entity: { id: page?.id, type: 'page' }, attempt_number: 1 });
    await sendWebhook(receiverUrl, event, verification.verificationToken, `sha256=${'0'.repeat(64)}`);
    const forged = received.at(-1);
    expect(await verifyWebhookSignature({ body: forged?.body ?? '', signature: forged?.headers['x-notion-signature'] as string, verificationToken: verification.verificationToken })).toBe(false);
  });
});
