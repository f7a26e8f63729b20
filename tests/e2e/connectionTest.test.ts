import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AdminClient } from '../../dev/adminClient.js';
import { apiClient } from './apiClient.js';
import { startFakeWooCommerce, type FakeWooCommerce } from '../../dev/fakes/fakeWooCommerce.js';
import { DEMO_CREDENTIALS } from '../../dev/demoSetup.js';
import { connectionTestResult } from '../../shared/core/schemas/answers/connectionTest.js';
import { startHostProcess, type HostProcess } from './hostProcess.js';

const TENANT = 'conntest';
const WRONG = { consumerKey: DEMO_CREDENTIALS.consumerKey, consumerSecret: 'cs_wrong_secret_e2e_31415' };

describe('testing a connection through the API', () => {
  let host: HostProcess;
  let fake: FakeWooCommerce;
  let api: AdminClient;

  beforeAll(async () => {
    fake = await startFakeWooCommerce({ seed: 6, counts: { customers: 10, products: 0, orders: 0 }, ...DEMO_CREDENTIALS });
    host = await startHostProcess({});
    api = apiClient(host.url, host.adminKey);
    await api.ok('PUT', `tenants/${TENANT}`, { name: 'Connection tests' });
  });
  afterAll(async () => {
    await host?.stop();
    await fake?.close();
  });

  it('a wrong secret is saved, the save says the store refused it, and the test answers unauthorized 401 without the secret', async () => {
    const saved = await api.request('PUT', `tenants/${TENANT}/connections/shop`, { provider: 'woocommerce', settings: { baseUrl: fake.url }, credentials: WRONG });
    expect(saved.status).toBe(201);
    expect(saved.body).toMatchObject({ id: 'shop', hasCredentials: true, connectionTest: { ok: false, outcome: 'unauthorized', status: 401 } });

    const tested = await api.request('POST', `tenants/${TENANT}/connections/shop/test`);
    expect(tested.status).toBe(200);
    expect(connectionTestResult.parse(tested.body)).toMatchObject({ ok: false, outcome: 'unauthorized', status: 401 });
    for (const text of [JSON.stringify(saved.body), JSON.stringify(tested.body), host.output()]) expect(text).not.toContain(WRONG.consumerSecret);
  });

  it('the right secret answers ok, and every test is in the activity log', async () => {
    const saved = await api.ok('PUT', `tenants/${TENANT}/connections/shop`, { provider: 'woocommerce', settings: { baseUrl: fake.url }, credentials: DEMO_CREDENTIALS });
    expect(saved.connectionTest).toMatchObject({ ok: true, outcome: 'ok' });
    expect(await api.ok('POST', `tenants/${TENANT}/connections/shop/test`)).toMatchObject({ ok: true, outcome: 'ok', durationMs: expect.any(Number) });
    const activity = await api.ok('GET', `tenants/${TENANT}/activity?action=connection.tested`);
    expect(activity.items.length).toBeGreaterThanOrEqual(4);
    expect(activity.items[0]).toMatchObject({ actor: { type: 'operator', id: 'local-admin' }, subject: { id: 'shop' }, details: { trigger: 'request', outcome: 'ok' } });
  });

  it('an unreachable base URL answers unreachable, not a 500', async () => {
    await api.ok('PUT', `tenants/${TENANT}/connections/nowhere`, { provider: 'woocommerce', settings: { baseUrl: 'http://127.0.0.1:9' }, credentials: DEMO_CREDENTIALS });
    const tested = await api.request('POST', `tenants/${TENANT}/connections/nowhere/test`);
    expect(tested.status).toBe(200);
    expect(tested.body).toMatchObject({ ok: false, outcome: 'unreachable' });
  });

  it('an operator may test, a reader may not; an unknown connection is a 404; a fourth test at once is a 429 with Retry-After', async () => {
    const keyFor = async (role: string) => (await api.ok('POST', `tenants/${TENANT}/api-keys`, { name: role, role })).key as string;
    const reader = api.as(await keyFor('Sync.Reader'));
    const operatorApi = api.as(await keyFor('Sync.Operator'));
    await api.ok('PUT', `tenants/${TENANT}/connections/busy`, { provider: 'woocommerce', settings: { baseUrl: fake.url }, credentials: DEMO_CREDENTIALS });
    expect((await reader.request('POST', `tenants/${TENANT}/connections/busy/test`)).status).toBe(403);
    expect((await api.request('POST', `tenants/${TENANT}/connections/ghost/test`)).status).toBe(404);
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await operatorApi.request('POST', `tenants/${TENANT}/connections/busy/test`)).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    const limited = await operatorApi.request('POST', `tenants/${TENANT}/connections/busy/test`);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(limited.body).toMatchObject({ error: { code: 'rate_limited' } });
  });
});
