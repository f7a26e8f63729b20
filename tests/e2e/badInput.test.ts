import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AdminClient } from '../../dev/adminClient.js';
import { apiClient } from './apiClient.js';
import { startHostProcess, type HostProcess } from './hostProcess.js';
import { createMinimalTenant } from './minimalTenant.js';

/** Bad requests get a 4xx with a body that says what and where; nothing is half-written. */
describe('bad input to the admin API', () => {
  let host: HostProcess;
  let api: AdminClient;

  beforeAll(async () => {
    host = await startHostProcess({});
    api = apiClient(host.url, host.adminKey);
    await createMinimalTenant(api);
  });
  afterAll(async () => {
    await host?.stop();
  });

  it('malformed JSON is a 400 that says the body is not JSON', async () => {
    const response = await api.request('PUT', 'tenants/acme', '{"name": ');
    expect(response.status).toBe(400);
    expect(response.body.error).toMatchObject({ code: 'bad_request', issues: [{ path: '(body)' }] });
    expect(response.body.error.message).toMatch(/not valid JSON/);
  });

  it('unknown fields and wrong types are a 422 naming each field', async () => {
    const response = await api.request('PUT', 'tenants/acme/tasks/other', {
      connectionId: 'shop',
      streams: [{ stream: 'customers', schemaId: 'customers', colour: 'red' }],
      defaults: { batchSize: 'many' },
    });
    expect(response.status).toBe(422);
    const paths = response.body.error.issues.map((issue: { path: string }) => issue.path);
    expect(paths).toEqual(expect.arrayContaining(['streams.0.colour', 'defaults.batchSize']));
    expect((await api.request('GET', 'tenants/acme/tasks/other')).status).toBe(404);
  });

  it('a task that references what does not exist is refused with every problem listed', async () => {
    const response = await api.request('PUT', 'tenants/acme/tasks/broken', {
      connectionId: 'nope',
      streams: [{ stream: 'customers', schemaId: 'missing' }],
    });
    expect(response.status).toBe(422);
    expect(response.body.error.issues).toEqual([
      { path: 'connectionId', message: 'connection "nope" does not exist' },
      { path: 'streams.0.schemaId', message: 'schema "missing" does not exist' },
    ]);
  });

  it('a stream the provider does not offer is refused', async () => {
    const response = await api.request('PUT', 'tenants/acme/tasks/broken', { connectionId: 'shop', streams: [{ stream: 'invoices', schemaId: 'customers' }] });
    expect(response.status).toBe(422);
    expect(response.body.error.issues[0]).toMatchObject({ path: 'streams.0.stream' });
  });

  it('every tenant route answers 404 for a tenant that does not exist', async () => {
    for (const [method, path] of [
      ['GET', 'tenants/ghost'],
      ['GET', 'tenants/ghost/connections'],
      ['GET', 'tenants/ghost/connections/shop'],
      ['PUT', 'tenants/ghost/connections/shop'],
      ['POST', 'tenants/ghost/schemas'],
      ['GET', 'tenants/ghost/tasks/sync'],
      ['POST', 'tenants/ghost/tasks/sync/executions'],
      ['GET', 'tenants/ghost/executions'],
      ['GET', 'tenants/ghost/executions/exe_1'],
      ['GET', 'tenants/ghost/shards'],
      ['GET', 'tenants/ghost/shards/shd_1'],
    ] as const) {
      const response = await api.request(method, path, method === 'GET' ? undefined : {});
      expect(response.status, `${method} ${path}`).toBe(404);
      expect(response.body.error, `${method} ${path}`).toMatchObject({ code: 'not_found', resource: 'tenant', id: 'ghost' });
    }
  });

  it('unknown tasks, executions and shards are 404s naming the resource', async () => {
    expect((await api.request('POST', 'tenants/acme/tasks/nope/executions', {})).body.error).toMatchObject({ resource: 'task', id: 'nope' });
    expect((await api.request('GET', 'tenants/acme/executions/exe_nope')).body.error).toMatchObject({ resource: 'execution', id: 'exe_nope' });
    expect((await api.request('GET', 'tenants/acme/shards/shd_nope')).status).toBe(404);
  });

  it('start options out of range are a 422 naming the field', async () => {
    const response = await api.request('POST', 'tenants/acme/tasks/sync/executions', { streams: ['orders'], mode: 'sideways' });
    expect(response.status).toBe(422);
    expect(response.body.error.issues.map((issue: { path: string }) => issue.path)).toContain('mode');
  });

  it('more execution starts than the tenant allows per minute are answered 429 with Retry-After', async () => {
    await api.ok('PUT', 'tenants/busy', { settings: { limits: { startRequestsPerMinute: 3 } } });
    await api.ok('PUT', 'tenants/busy/connections/shop', { provider: 'woocommerce', settings: { baseUrl: 'http://127.0.0.1:9' }, credentials: { consumerKey: 'ck_busy_key', consumerSecret: 'cs_busy_secret' } });
    await api.ok('PUT', 'tenants/busy/schemas/customers', { shardType: 'customer', fields: [{ from: 'email', to: 'email' }] });
    await api.ok('PUT', 'tenants/busy/tasks/sync', { connectionId: 'shop', streams: [{ stream: 'customers', schemaId: 'customers' }] });
    const statuses: number[] = [];
    let refused: Awaited<ReturnType<AdminClient['request']>> | undefined;
    for (let i = 0; i < 4; i++) {
      const response = await api.request('POST', 'tenants/busy/tasks/sync/executions', { idempotencyKey: `start-${i}` });
      statuses.push(response.status);
      if (response.status === 429) refused = response;
    }
    expect(statuses).toEqual([202, 202, 202, 429]);
    expect(Number(refused!.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect((refused!.body as { error: { code: string } }).error.code).toBe('rate_limited');
    // Other tenants are not affected.
    expect((await api.request('POST', 'tenants/acme/tasks/sync/executions', {})).status).toBe(202);
  });

  it('a bad continuation token or limit is a 4xx, not a 500', async () => {
    expect((await api.request('GET', 'tenants/acme/shards?limit=0')).status).toBe(422);
    const response = await api.request('GET', 'tenants/acme/shards?continuationToken=garbage');
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
  });

  it('a body id that contradicts the path is refused', async () => {
    const response = await api.request('PUT', 'tenants/acme/schemas/customers', { id: 'other', shardType: 'customer', fields: [{ from: 'email', to: 'email' }] });
    expect(response.status).toBe(422);
    expect(response.body.error.issues).toEqual([{ path: 'id', message: 'must equal the id in the path ("customers") or be omitted' }]);
    expect((await api.ok('GET', 'tenants/acme/schemas/customers')).definition.fields).toEqual([{ from: 'email', to: 'email', transforms: [] }]);
  });

  it('health answers ok after a real store round trip', async () => {
    expect(await api.ok('GET', 'health')).toMatchObject({ status: 'ok', checks: { store: 'ok' } });
  });

  it('credentials are never returned', async () => {
    const connection = await api.ok('GET', 'tenants/acme/connections/shop');
    expect(connection).toMatchObject({ id: 'shop', provider: 'woocommerce', hasCredentials: true });
    const listing = await api.ok('GET', 'tenants/acme/connections');
    for (const body of [connection, listing]) {
      expect(JSON.stringify(body)).not.toContain('cs_very_secret');
      expect(JSON.stringify(body)).not.toContain('ck_secret_key');
    }
    expect(host.output()).not.toContain('cs_very_secret');
  });

  it('a connection without credentials on creation is refused and nothing is stored', async () => {
    const response = await api.request('PUT', 'tenants/acme/connections/bare', { provider: 'woocommerce', settings: { baseUrl: 'https://shop.example.com' } });
    expect(response.status).toBe(422);
    expect(response.body.error.issues).toEqual([{ path: 'credentials', message: 'required when creating a connection' }]);
    expect((await api.request('GET', 'tenants/acme/connections/bare')).status).toBe(404);
  });
});
