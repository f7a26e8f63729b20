import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AdminClient } from '../../dev/adminClient.js';
import { apiClient } from './apiClient.js';
import { startHostProcess, type HostProcess } from './hostProcess.js';

/** The activity route through the real host process: 404s, 422s and the listing shape. */
describe('activity API', () => {
  let host: HostProcess;
  let api: AdminClient;

  beforeAll(async () => {
    host = await startHostProcess({});
    api = apiClient(host.url, host.adminKey);
    await api.ok('PUT', 'tenants/acme', { name: 'Acme' });
  });
  afterAll(async () => {
    await host?.stop();
  });

  it('an unknown tenant is a 404 naming the tenant', async () => {
    const response = await api.request('GET', 'tenants/ghost/activity');
    expect(response.status).toBe(404);
    expect(response.body.error).toMatchObject({ code: 'not_found', resource: 'tenant', id: 'ghost' });
  });

  it('a bad filter is a 422 naming the query parameter', async () => {
    const response = await api.request('GET', 'tenants/acme/activity?since=yesterday&limit=0');
    expect(response.status).toBe(422);
    expect(response.body.error.code).toBe('validation_failed');
    expect(response.body.error.issues.map((issue: { path: string }) => issue.path).sort()).toEqual(['query.limit', 'query.since']);
  });

  it('a tenant with no activity lists an empty page', async () => {
    const response = await api.request('GET', `tenants/acme/activity?since=${encodeURIComponent('2024-01-01T00:00:00+01:00')}&action=execution.started`);
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ items: [] });
  });
});
