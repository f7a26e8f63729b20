import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeRestApi, type FakeRestApi, type FakeRestRequest } from '../../dev/fakes/restApi/fakeRestApi.js';
import type { AdminClient } from '../../dev/adminClient.js';
import { startHostProcess, type HostProcess } from './hostProcess.js';
import { apiClient } from './apiClient.js';

/**
 * A `generic-rest` connection defined only through the admin API: a spec with a cursor-paged and a
 * Link-paged stream against the fake REST API, read in full (5,000 records, 25 + 25 pages of 100)
 * and then incrementally, and the refusals a save answers for a spec, a base URL or credentials
 * that cannot work.
 */
const TOKEN = 'e2e-generic-rest-token';
const PER_STREAM = 2_500;
const PAGE = 100;

const stream = (name: string, paginator: Record<string, unknown>) => ({
  name,
  path: name,
  recordsPath: 'data',
  idField: 'id',
  modifiedField: 'updated_at',
  paginator,
  incremental: { param: 'updated_since', format: 'iso8601' },
});

const specFor = (baseUrl: string) => ({
  title: 'Acme CRM (fake)',
  baseUrl,
  auth: { kind: 'bearer' },
  maxPageSize: PAGE,
  errors: { codePath: 'error.code', messagePath: 'error.message' },
  streams: [
    stream('contacts', { kind: 'cursor', cursorParam: 'cursor', sizeParam: 'limit', nextCursorPath: 'next_cursor' }),
    stream('companies', { kind: 'linkHeader', sizeParam: 'limit' }),
  ],
});

describe('a generic-rest connection defined through the admin API', () => {
  let host: HostProcess;
  let fake: FakeRestApi;
  let api: AdminClient;

  beforeAll(async () => {
    fake = await startFakeRestApi({ collections: ['contacts', 'companies'], auth: { bearer: TOKEN } });
    fake.seed('contacts', PER_STREAM);
    fake.seed('companies', PER_STREAM);
    host = await startHostProcess({});
    api = apiClient(host.url, host.adminKey);
    await api.ok('PUT', 'tenants/rest', { name: 'REST tenant' });
  });
  afterAll(async () => {
    await host?.stop();
    await fake?.close();
  });

  const saveConnection = (id: string, settings: unknown, credentials: unknown = { token: TOKEN }) =>
    api.request('PUT', `tenants/rest/connections/${id}`, { provider: 'generic-rest', name: 'Acme CRM', settings, credentials });
  const issuePaths = (body: { error: { issues: Array<{ path: string }> } }) => body.error.issues.map((issue) => issue.path);
  const listRequests = (since: number, collection: string): FakeRestRequest[] =>
    fake.requests.slice(since).filter((request) => request.method === 'GET' && request.path === `/v1/${collection}`);
  const run = async (mode: 'full' | 'incremental') => {
    const accepted = await api.request('POST', 'tenants/rest/tasks/crm/executions', { mode });
    expect(accepted.status).toBe(202);
    return api.waitForExecution('rest', accepted.body.executionId, { timeoutMs: 180_000 });
  };
  const shardOf = async (shardType: string, externalId: string) => {
    const { items } = await api.ok('GET', `tenants/rest/shards?type=${shardType}&externalId=${externalId}&connectionId=crm`);
    expect(items).toHaveLength(1);
    return items[0];
  };

  it('saves the connection, tests it with one call, and offers the spec\'s streams to a task', async () => {
    const saved = await saveConnection('crm', { spec: specFor(`${fake.url}/v1`) });
    expect(saved.status).toBe(201);
    expect(saved.body).toMatchObject({ provider: 'generic-rest', hasCredentials: true, connectionTest: { ok: true } });
    expect(JSON.stringify(saved.body)).not.toContain(TOKEN);
    for (const [type, stream] of [
      ['contact', 'contacts'],
      ['company', 'companies'],
    ]) {
      await api.ok('PUT', `tenants/rest/schemas/${stream}`, {
        shardType: type,
        fields: [
          { from: 'name', to: 'name' },
          { from: 'email', to: 'email' },
        ],
        validations: [{ path: 'email', rule: 'required' }],
      });
    }
    await api.ok('PUT', 'tenants/rest/tasks/crm', {
      connectionId: 'crm',
      streams: [
        { stream: 'contacts', schemaId: 'contacts' },
        { stream: 'companies', schemaId: 'companies' },
      ],
    });
  });

  it('a full run follows the cursor and the Link pages in order and creates a shard per record', { timeout: 240_000 }, async () => {
    const before = fake.requests.length;
    const view = await run('full');
    expect(view).toMatchObject({ status: 'success', counts: { fetched: 2 * PER_STREAM, created: 2 * PER_STREAM, failed: 0 } });
    expect(view.streams.contacts).toMatchObject({ counts: { created: PER_STREAM }, read: { kind: 'full' } });
    expect(view.streams.companies).toMatchObject({ counts: { created: PER_STREAM }, read: { kind: 'full' } });
    expect(await api.ok('GET', 'tenants/rest/shards?type=contact&count=true')).toEqual({ count: PER_STREAM });
    expect(await api.ok('GET', 'tenants/rest/shards?type=company&count=true')).toEqual({ count: PER_STREAM });
    const page = await api.ok('GET', 'tenants/rest/shards?type=contact&connectionId=crm&limit=50');
    expect(page.items).toHaveLength(50);
    expect(page.continuationToken).toEqual(expect.any(String));
    expect((await shardOf('contact', 'contacts_002500')).data).toEqual({ name: 'contacts 002500', email: 'contacts.002500@example.test' });

    const pages = PER_STREAM / PAGE;
    for (const collection of ['contacts', 'companies']) {
      const requests = listRequests(before, collection);
      expect(requests).toHaveLength(pages);
      for (const request of requests) expect(request).toMatchObject({ status: 200, query: { limit: String(PAGE) } });
      expect(requests[0]!.query.cursor).toBeUndefined();
      // Each cursor is the last id of the page before (the fake's cursor is base64url of it).
      const afterIds = requests.slice(1).map((request) => Buffer.from(request.query.cursor!, 'base64url').toString('utf8'));
      expect(afterIds).toEqual(Array.from({ length: pages - 1 }, (_, index) => `${collection}_${String((index + 1) * PAGE).padStart(6, '0')}`));
    }
  });

  it('an incremental run reads only the records modified since, with updated_since on every page', { timeout: 120_000 }, async () => {
    const changed = [
      ['contacts', 'contacts_000001'],
      ['contacts', 'contacts_000777'],
      ['contacts', 'contacts_001500'],
      ['contacts', 'contacts_002500'],
      ['companies', 'companies_000002'],
      ['companies', 'companies_001234'],
      ['companies', 'companies_002499'],
    ] as const;
    for (const [collection, id] of changed) fake.upsert(collection, { id, name: `renamed ${id}` });
    const before = fake.requests.length;
    const view = await run('incremental');
    expect(view).toMatchObject({ status: 'success', counts: { updated: changed.length, failed: 0 } });
    // The 5 s overlap before the cursor may re-read the latest record of each stream, unchanged.
    expect(view.counts.fetched).toBeGreaterThanOrEqual(changed.length);
    expect(view.counts.fetched).toBeLessThanOrEqual(changed.length + 4);
    expect(view.counts.created).toBe(0);
    for (const name of ['contacts', 'companies']) {
      expect(view.streams[name].read).toEqual({ kind: 'incremental', reason: null });
      const requests = listRequests(before, name);
      expect(requests.length).toBeGreaterThan(0);
      for (const request of requests) expect(request.query.updated_since).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    }
    for (const [collection, id] of changed) {
      const shard = await shardOf(collection === 'contacts' ? 'contact' : 'company', id);
      expect(shard.data.name).toBe(`renamed ${id}`);
    }
    expect(await api.ok('GET', 'tenants/rest/shards?type=contact&count=true')).toEqual({ count: PER_STREAM });
  });

  it('a spec with several mistakes is a 422 listing each one with its path', async () => {
    const spec = specFor(`${fake.url}/v1`);
    const broken = {
      ...spec,
      headers: { 'X-Api-Token': 'abc' },
      streams: [
        { ...spec.streams[0], paginator: { kind: 'scroll' } },
        { ...spec.streams[1], modifiedField: undefined },
        {
          ...stream('deals', { kind: 'cursor', nextCursorPath: 'next_cursor' }),
          dependsOn: ['invoices'],
          writes: { update: { method: 'PATCH', path: 'deals' } },
        },
      ],
    };
    const response = await saveConnection('broken', { spec: broken });
    expect(response.status).toBe(422);
    expect(issuePaths(response.body).sort()).toEqual([
      'settings.spec.headers.X-Api-Token',
      'settings.spec.streams.0.paginator.kind',
      'settings.spec.streams.1.modifiedField',
      'settings.spec.streams.2.dependsOn.0',
      'settings.spec.streams.2.writes.update.path',
    ]);
    expect((await api.request('GET', 'tenants/rest/connections/broken')).status).toBe(404);
  });

  it('a base URL at an internal address is refused on save', async () => {
    const response = await saveConnection('metadata', { spec: specFor('http://169.254.169.254/v1') });
    expect(response.status).toBe(422);
    expect(issuePaths(response.body)).toEqual(['settings.spec.baseUrl']);
    expect((await api.request('GET', 'tenants/rest/connections/metadata')).status).toBe(404);
  });

  it('credentials missing for the auth kind are refused, naming the field', async () => {
    const response = await saveConnection('nokey', { spec: specFor(`${fake.url}/v1`) }, {});
    expect(response.status).toBe(422);
    expect(issuePaths(response.body)).toEqual(['credentials.token']);
    expect(JSON.stringify(response.body)).not.toContain(TOKEN);
  });
});
