import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AdminClient } from '../../dev/adminClient.js';
import { apiClient } from './apiClient.js';
import { startHostProcess, type HostProcess } from './hostProcess.js';
import { createMinimalTenant } from './minimalTenant.js';

/** The schedule routes through the real host: CRUD, 422 naming the field, 404s. */
describe('schedules over the admin API', () => {
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

  it('creates, lists, reads, updates and deletes a schedule', async () => {
    const created = await api.request('POST', 'tenants/acme/schedules', { taskId: 'sync', cron: '30 2 * * *', timeZone: 'Europe/Berlin' });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    expect(created.headers.get('location')).toBe(`/api/tenants/acme/schedules/${id}`);
    expect(created.body).toMatchObject({ taskId: 'sync', mode: 'incremental', enabled: true, missedRunPolicy: 'once', maxCatchUp: 10, lastFiredAt: null });
    expect(new Date(created.body.nextFireAt).toISOString()).toBe(created.body.nextFireAt);
    expect(created.body).not.toHaveProperty('_etag');

    expect((await api.ok('GET', 'tenants/acme/schedules')).items.map((s: { id: string }) => s.id)).toEqual([id]);
    expect(await api.ok('GET', `tenants/acme/schedules/${id}`)).toMatchObject({ id, nextFireAt: created.body.nextFireAt, lastFiredAt: null });

    const updated = await api.request('PUT', `tenants/acme/schedules/${id}`, { taskId: 'sync', interval: { every: 15, unit: 'minutes' }, enabled: false });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ id, interval: { every: 15, unit: 'minutes' }, enabled: false, nextFireAt: null, lastFiredAt: null });
    expect(updated.body).not.toHaveProperty('cron');

    const deleted = await api.request('DELETE', `tenants/acme/schedules/${id}`);
    expect(deleted.status).toBe(204);
    expect(deleted.body).toBeUndefined();
    expect((await api.request('GET', `tenants/acme/schedules/${id}`)).body.error).toMatchObject({ code: 'not_found', resource: 'schedule', id });
    expect((await api.request('DELETE', `tenants/acme/schedules/${id}`)).status).toBe(404);
  });

  it('bad input is a 422 naming the field, and nothing is written', async () => {
    for (const [body, path] of [
      [{ taskId: 'sync', cron: '* * * *' }, 'cron'],
      [{ taskId: 'sync', interval: { every: 0, unit: 'minutes' } }, 'interval.every'],
      [{ taskId: 'sync', cron: '0 * * * *', timeZone: 'Mars/Olympus' }, 'timeZone'],
      [{ taskId: 'sync', cron: '0 * * * *', interval: { every: 5, unit: 'minutes' } }, 'cron'],
      [{ taskId: 'missing', cron: '0 * * * *' }, 'taskId'],
    ] as const) {
      const response = await api.request('PUT', 'tenants/acme/schedules/bad', body);
      expect(response.status, JSON.stringify(body)).toBe(422);
      expect(response.body.error.code).toBe('validation_failed');
      expect(response.body.error.issues.map((issue: { path: string }) => issue.path), JSON.stringify(body)).toEqual([path]);
    }
    expect((await api.request('GET', 'tenants/acme/schedules/bad')).status).toBe(404);
  });

  it('every schedule route answers 404 for a tenant that does not exist', async () => {
    for (const [method, path] of [
      ['POST', 'tenants/ghost/schedules'],
      ['GET', 'tenants/ghost/schedules'],
      ['GET', 'tenants/ghost/schedules/s1'],
      ['PUT', 'tenants/ghost/schedules/s1'],
      ['DELETE', 'tenants/ghost/schedules/s1'],
    ] as const) {
      const response = await api.request(method, path, method === 'POST' || method === 'PUT' ? { taskId: 'sync', cron: '0 * * * *' } : undefined);
      expect(response.status, `${method} ${path}`).toBe(404);
      expect(response.body.error, `${method} ${path}`).toMatchObject({ code: 'not_found', resource: 'tenant', id: 'ghost' });
    }
  });
});
