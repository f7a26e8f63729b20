import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeWooCommerce, type FakeWooCommerce } from '../../dev/fakes/fakeWooCommerce.js';
import type { AdminClient } from '../../dev/adminClient.js';
import { apiClient } from './apiClient.js';
import { DEMO_CREDENTIALS, ensureDemoResources } from '../../dev/demoSetup.js';
import { startHostProcess, type HostProcess } from './hostProcess.js';

const CUSTOMERS = 2500;

/** Retrying thousands of failures through the real host: one call, no cap, outside the automation start budget. */
describe('retrying every failure of a run', () => {
  let host: HostProcess;
  let fake: FakeWooCommerce;
  let api: AdminClient;

  beforeAll(async () => {
    fake = await startFakeWooCommerce({ seed: 3, counts: { customers: CUSTOMERS, products: 0, orders: 0 }, ...DEMO_CREDENTIALS });
    host = await startHostProcess({});
    api = apiClient(host.url, host.adminKey);
    await ensureDemoResources(api, fake.url);
    // Two starts a minute for automation (and, in their own bucket, two retries).
    await api.ok('PUT', 'tenants/demo', { name: 'Demo tenant', settings: { limits: { startRequestsPerMinute: 2 } } });
  });
  afterAll(async () => {
    await host?.stop();
    await fake?.close();
  });

  it('one call retries all 2,500 failures while automation has no starts left; a second call retries nothing; counts agree', async () => {
    for (let id = 1; id <= CUSTOMERS; id++) fake.updateRecord('customers', id, { email: '' });
    const failed = await api.ok('POST', 'tenants/demo/tasks/demo-full-sync/executions', {});
    expect(await api.waitForExecution('demo', failed.executionId)).toMatchObject({ status: 'failed', counts: { failed: CUSTOMERS, created: 0 } });
    expect(await api.ok('GET', `tenants/demo/failures?executionId=${failed.executionId}&status=open&count=true`)).toEqual({ count: CUSTOMERS });
    const another = await api.ok('POST', 'tenants/demo/tasks/demo-full-sync/executions', { streams: ['customers'], ids: { customers: ['1'] } });
    await api.waitForExecution('demo', another.executionId);
    expect((await api.request('POST', 'tenants/demo/tasks/demo-full-sync/executions', {})).status).toBe(429);

    for (let id = 1; id <= CUSTOMERS; id++) fake.updateRecord('customers', id, { email: `fixed${id}@example.com` });
    const retry = await api.request('POST', `tenants/demo/executions/${failed.executionId}/retry`);
    expect(retry.status).toBe(202);
    expect(retry.body).toMatchObject({ retried: CUSTOMERS, skipped: { notOpen: 0, withoutTask: 0, takenByAnother: 0 } });
    expect(retry.body.executions).toHaveLength(3);

    const again = await api.request('POST', `tenants/demo/executions/${failed.executionId}/retry`);
    expect(again).toMatchObject({ status: 202, body: { retried: 0, executions: [] } });

    for (const { executionId } of retry.body.executions as Array<{ executionId: string }>) {
      expect(await api.waitForExecution('demo', executionId)).toMatchObject({ status: 'success', retryOf: failed.executionId });
    }
    // Each retry closed the failures it took over once it synced their records.
    expect(await api.ok('GET', `tenants/demo/failures?executionId=${failed.executionId}&status=resolved&count=true`)).toEqual({ count: CUSTOMERS });
    expect(await api.ok('GET', `tenants/demo/failures?executionId=${failed.executionId}&status=open&count=true`)).toEqual({ count: 0 });
    expect(await api.ok('GET', 'tenants/demo/shards?type=customer&connectionId=demo-woo&count=true')).toEqual({ count: CUSTOMERS });
    expect((await api.request('GET', 'tenants/demo/shards?count=maybe')).status).toBe(422);
  });
});
