import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendVerification, sendWebhook, startFakeNotion, type FakeNotion, type FakeNotionRequest, type NotionPage } from '../../dev/fakes/notion/fakeNotion.js';
import type { AdminClient } from '../../dev/adminClient.js';
import { NOTION_BUILTIN_SCHEMAS } from '../../shared/connectors/notion/notionBuiltinSchemas.js';
import { NOTION_API_VERSION } from '../../shared/connectors/notion/notionSettings.js';
import { startHostProcess, type HostProcess } from './hostProcess.js';
import { apiClient } from './apiClient.js';
import { eventually } from './eventually.js';

/**
 * A `notion` connection through the real host and the fake, with Notion's rate limit on (three a
 * second, bursts of ten): a full read of 10,000 pages that never meets a 429, an incremental read
 * of the changes only, a write-back of page properties, the webhook verification handshake and
 * signed events out of order, and deletes (pages moved to the trash).
 */
const TOKEN = 'ntn_e2e_notion_integration_token';
const TENANT = 'notes';
const CONNECTION = 'contacts-db';
const TASK = 'people';
const DATA_SOURCE = '5d0c9a4e-0000-4000-8000-00000000c001';
const PAGES = 10_000;

describe('a Notion connection through the host', () => {
  let host: HostProcess;
  let fake: FakeNotion;
  let api: AdminClient;
  let hookUrl: string;
  let verificationToken: string;

  beforeAll(async () => {
    fake = await startFakeNotion({ token: TOKEN, rateLimit: { perSecond: 3, burst: 10 } });
    fake.seed(DATA_SOURCE, PAGES);
    host = await startHostProcess({});
    api = apiClient(host.url, host.adminKey);
    hookUrl = `${host.url}/api/webhooks/${TENANT}/${CONNECTION}`;
    await api.ok('PUT', `tenants/${TENANT}`, { name: 'Notion tenant' });
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
  const shardsOf = async (externalId: string, deleted = false) =>
    (await api.ok('GET', `tenants/${TENANT}/shards?type=customer&externalId=${externalId}&connectionId=${CONNECTION}&deleted=${deleted}`)).items;
  const shardOf = async (externalId: string) => {
    const items = await shardsOf(externalId);
    expect(items).toHaveLength(1);
    return items[0];
  };
  const count = async () => (await api.ok('GET', `tenants/${TENANT}/shards?type=customer&count=true`)).count;
  const requestsSince = (since: number, predicate: (request: FakeNotionRequest) => boolean) => fake.requests.slice(since).filter(predicate);
  const isQuery = (request: FakeNotionRequest) => request.method === 'POST' && request.path === `/v1/data_sources/${DATA_SOURCE}/query`;
  const live = (): NotionPage[] => fake.all(DATA_SOURCE).filter((page) => !page.in_trash);
  const trash = async (pageId: string) => {
    const answer = await fetch(`${fake.url}/v1/pages/${pageId}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${TOKEN}`, 'notion-version': NOTION_API_VERSION, 'content-type': 'application/json' },
      body: JSON.stringify({ in_trash: true }),
    });
    expect(answer.status).toBe(200);
  };
  it('saves the connection with its token and a safe request rate, and a bidirectional task from the built-in schema', async () => {
    const saved = await api.request('PUT', `tenants/${TENANT}/connections/${CONNECTION}`, {
      provider: 'notion',
      name: 'Notion contacts (fake)',
      settings: { baseUrl: fake.url, dataSourceId: DATA_SOURCE },
      credentials: { token: TOKEN },
      // No `protection`: the provider's default (150 a minute) keeps the run under Notion's limit.
      webhooks: { coalesceWindowMs: 0 },
    });
    expect(saved.status).toBe(201);
    expect(saved.body).toMatchObject({ provider: 'notion', hasCredentials: true, hasWebhookSecret: false, connectionTest: { ok: true } });
    expect(JSON.stringify(saved.body)).not.toContain(TOKEN);
    await api.ok('PUT', `tenants/${TENANT}/schemas/notion-pages`, { name: 'Notion pages', ...NOTION_BUILTIN_SCHEMAS['notion/pages'] });
    await api.ok('PUT', `tenants/${TENANT}/tasks/${TASK}`, { connectionId: CONNECTION, direction: 'bidirectional', streams: [{ stream: 'pages', schemaId: 'notion-pages' }] });
  });

  it('a full run reads all 10,000 pages under the rate limit without receiving a single 429', { timeout: 150_000 }, async () => {
    const before = fake.requests.length;
    const startedAt = Date.now();
    const view = await run('full');
    const tookMs = Date.now() - startedAt;
    expect(view).toMatchObject({ status: 'success', counts: { fetched: PAGES, created: PAGES, failed: 0 } });
    expect(await count()).toBe(PAGES);
    const queries = requestsSince(before, isQuery);
    expect(queries).toHaveLength(PAGES / 100);
    expect(queries.every((request) => request.status === 200 && request.notionVersion === NOTION_API_VERSION)).toBe(true);
    expect(requestsSince(before, (request) => request.status === 429)).toEqual([]);
    expect(fake.rateLimited).toBe(0);
    // 100 queries at 150 a minute: the pacing is the engine's, not Notion's refusals.
    expect(tookMs).toBeGreaterThan(30_000);
    console.info(`notion e2e: full run of ${PAGES} pages took ${tookMs} ms`);

    const page = live()[1234]!;
    expect((await shardOf(page.id)).data).toMatchObject({
      externalId: page.id,
      email: page.properties.Email.email,
      displayName: page.properties.Name.title[0]!.plain_text,
      sourceModifiedAt: page.last_edited_time,
    });
  });

  it('an incremental run fetches only the pages edited since, by a last_edited_time filter', { timeout: 60_000 }, async () => {
    const changed = [live()[0]!, live()[5_000]!, live()[9_999]!];
    for (const page of changed) fake.update(page.id, { email: `moved.${page.id.slice(0, 8)}@example.org` });
    const before = fake.requests.length;
    const view = await run('incremental');
    expect(view).toMatchObject({ status: 'success', counts: { updated: changed.length, created: 0, failed: 0 } });
    expect(view.streams.pages.read).toEqual({ kind: 'incremental', reason: null });
    // The minute of the last page read is read again (Notion keeps edit times to the minute): a few unchanged ones.
    expect(view.counts.fetched).toBeGreaterThanOrEqual(changed.length);
    expect(view.counts.fetched).toBeLessThan(changed.length + 40);
    const queries = requestsSince(before, isQuery);
    expect(queries).toHaveLength(1);
    expect(queries[0]!.body).toMatchObject({ filter: { timestamp: 'last_edited_time', last_edited_time: { on_or_after: expect.stringMatching(/:00\.000Z$/) } } });
    for (const page of changed) expect((await shardOf(page.id)).data.email).toBe(`moved.${page.id.slice(0, 8)}@example.org`);
    expect(fake.rateLimited).toBe(0);
  });

  it('a shard edit is written back as a page property update, after reading the page to check last_edited_time', { timeout: 30_000 }, async () => {
    const target = live()[7]!;
    const shard = await shardOf(target.id);
    const before = fake.requests.length;
    const edited = await api.request('PATCH', `tenants/${TENANT}/shards/${shard.id}`, { data: { email: 'written.back@example.org' } });
    expect(edited.status).toBe(200);
    await eventually(async () => fake.get(target.id)?.properties.Email.email === 'written.back@example.org', 10_000, 'the edit did not reach Notion');
    const calls = requestsSince(before, (request) => request.path === `/v1/pages/${target.id}`);
    expect(calls.map((request) => request.method)).toEqual(['GET', 'PATCH']);
    expect(calls[1]).toMatchObject({ status: 200, body: { properties: { Email: { email: 'written.back@example.org' } } } });
    expect(fake.get(target.id)?.properties.Name).toEqual(target.properties.Name);
  });

  it('the webhook handshake: the first verification request sets the key, a later one is refused, an admin reads the token once', { timeout: 30_000 }, async () => {
    expect((await api.request('GET', `tenants/${TENANT}/connections/${CONNECTION}/webhook-verification`)).status).toBe(404);
    const first = await sendVerification(hookUrl);
    expect(first.status).toBe(200);
    verificationToken = first.verificationToken;
    const intruder = await sendVerification(hookUrl);
    expect(intruder.status).toBe(401);
    expect((await api.ok('GET', `tenants/${TENANT}/connections/${CONNECTION}`)).hasWebhookSecret).toBe(true);

    const read = await api.request('GET', `tenants/${TENANT}/connections/${CONNECTION}/webhook-verification`);
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ verificationToken: first.verificationToken, receivedAt: expect.any(String) });
    expect((await api.request('GET', `tenants/${TENANT}/connections/${CONNECTION}/webhook-verification`)).status).toBe(409);
    // The connection's own view never shows it.
    expect(JSON.stringify(await api.ok('GET', `tenants/${TENANT}/connections/${CONNECTION}`))).not.toContain(first.verificationToken);
  });

  it('signed events arriving out of order leave each shard as the page is now; a forged signature changes nothing', { timeout: 30_000 }, async () => {
    const [target, other] = [live()[20]!, live()[21]!];
    fake.update(target.id, { email: 'first.edit@example.org' });
    fake.update(target.id, { email: 'second.edit@example.org' });
    const before = fake.requests.length;
    // The later event first, then the earlier one: each makes the run read the page as it is now.
    const later = await sendWebhook(hookUrl, { type: 'page.properties_updated', entity: { id: target.id, type: 'page' }, timestamp: new Date().toISOString() }, verificationToken);
    const earlier = await sendWebhook(hookUrl, { type: 'page.properties_updated', entity: { id: target.id, type: 'page' }, timestamp: new Date(Date.now() - 60_000).toISOString() }, verificationToken);
    expect([later.status, earlier.status]).toEqual([202, 202]);
    await eventually(async () => (await shardOf(target.id)).data.email === 'second.edit@example.org', 15_000, 'the shard did not take the page as it is now');
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect((await shardOf(target.id)).data.email).toBe('second.edit@example.org');
    // Read by id, never by querying the data source.
    expect(requestsSince(before, isQuery)).toEqual([]);
    expect(requestsSince(before, (request) => request.method === 'GET' && request.path === `/v1/pages/${target.id}`).length).toBeGreaterThan(0);

    const shardBefore = await shardOf(other.id);
    fake.update(other.id, { email: 'forged@example.org' });
    const forged = await sendWebhook(hookUrl, { type: 'page.properties_updated', entity: { id: other.id, type: 'page' } }, verificationToken, 'sha256=' + '0'.repeat(64));
    expect(forged.status).toBe(401);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(await shardOf(other.id)).toEqual(shardBefore);
  });

  it('a page.deleted event for a page moved to the trash tombstones its shard, confirmed by reading the page', { timeout: 30_000 }, async () => {
    const target = live()[30]!;
    await trash(target.id);
    const sent = await sendWebhook(hookUrl, { type: 'page.deleted', entity: { id: target.id, type: 'page' } }, verificationToken);
    expect(sent.status).toBe(202);
    await eventually(async () => (await shardsOf(target.id)).length === 0, 15_000, 'the shard was not tombstoned');
    expect(await shardsOf(target.id, true)).toHaveLength(1);
  });

  it('a page trashed in Notion becomes a tombstone after the next full run, which again meets no 429', { timeout: 150_000 }, async () => {
    const target = live()[42]!;
    await trash(target.id);
    const view = await run('full');
    expect(view).toMatchObject({ status: 'success', counts: { fetched: PAGES - 2, deleted: 1, failed: 0 } });
    expect(await shardsOf(target.id)).toEqual([]);
    expect(await shardsOf(target.id, true)).toHaveLength(1);
    expect(await count()).toBe(PAGES - 2);
    expect(fake.rateLimited).toBe(0);
  });
});
