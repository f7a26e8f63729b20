import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeWooCommerce, type FakeWooCommerce } from '../../dev/fakes/fakeWooCommerce.js';
import { AdminClient } from '../../dev/adminClient.js';
import { DEMO_CREDENTIALS, ensureDemoResources } from '../../dev/demoSetup.js';
import { startHostProcess, type HostProcess } from './hostProcess.js';

describe('poison messages', () => {
  let host: HostProcess;
  let fake: FakeWooCommerce;
  let api: AdminClient;

  beforeAll(async () => {
    fake = await startFakeWooCommerce({ seed: 3, counts: { customers: 120, products: 0, orders: 0 }, ...DEMO_CREDENTIALS });
    host = await startHostProcess({ SHARDSYNC_MAX_DELIVERY_COUNT: '2' });
    api = new AdminClient(host.url);
    await ensureDemoResources(api, fake.url);
  });
  afterAll(async () => {
    await host?.stop();
    await fake?.close();
  });

  it('a message that keeps failing is dead-lettered and becomes a failure of its execution; the next run is unaffected', async () => {
    fake.setFaults({ serverErrorEvery: 1 });
    const failing = await api.ok('POST', 'tenants/demo/tasks/demo-full-sync/executions', { streams: ['customers'] });
    const failed = await api.waitForExecution('demo', failing.executionId, { timeoutMs: 60_000 });
    expect(failed.status).toBe('failed');
    expect(failed.streams.customers).toMatchObject({ failedPages: 1, pagesDone: 1 });
    expect(failed.lastErrors).toEqual([
      expect.objectContaining({ stage: 'dead-letter', errorClass: 'MaxDeliveryCountExceeded', stream: 'customers' }),
    ]);
    expect(failed.lastErrors[0].message).toContain('sync-page');

    fake.setFaults({});
    const next = await api.ok('POST', 'tenants/demo/tasks/demo-full-sync/executions', { streams: ['customers'] });
    const view = await api.waitForExecution('demo', next.executionId);
    expect(view).toMatchObject({ status: 'success', counts: { created: 120, failed: 0 } });
  }, 90_000);
});
