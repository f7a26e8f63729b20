import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeWooCommerce, type FakeWooCommerce } from '../../dev/fakes/fakeWooCommerce.js';
import type { AdminClient } from '../../dev/adminClient.js';
import { apiClient } from './apiClient.js';
import { DEMO_CREDENTIALS, ensureDemoResources } from '../../dev/demoSetup.js';
import { openDatabase } from '../../shared/adapters/embedded/sqliteDatabase.js';
import { SqliteBus } from '../../shared/adapters/embedded/sqliteBus.js';
import { startHostProcess, type HostProcess } from './hostProcess.js';

describe('messages that cannot be processed', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'shardsync-poison-'));
  let host: HostProcess;
  let fake: FakeWooCommerce;
  let api: AdminClient;

  beforeAll(async () => {
    fake = await startFakeWooCommerce({ seed: 3, counts: { customers: 120, products: 0, orders: 0 }, ...DEMO_CREDENTIALS });
    host = await startHostProcess({ SHARDSYNC_DATA_DIR: dataDir, SHARDSYNC_MAX_DELIVERY_COUNT: '2' });
    api = apiClient(host.url, host.adminKey);
    await ensureDemoResources(api, fake.url);
  });
  afterAll(async () => {
    await host?.stop();
    await fake?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('a page the provider keeps refusing is retried by schedule, then fails its execution with RetryExhausted', async () => {
    fake.setFaults({ serverErrorEvery: 1 });
    const failing = await api.ok('POST', 'tenants/demo/tasks/demo-full-sync/executions', { streams: ['customers'], maxRetries: 1 });
    const failed = await api.waitForExecution('demo', failing.executionId, { timeoutMs: 60_000 });
    expect(failed.status).toBe('failed');
    expect(failed.streams.customers).toMatchObject({ failedPages: 1, pagesDone: 1 });
    expect(failed.lastErrors).toEqual([expect.objectContaining({ stage: 'fetch', errorClass: 'RetryExhausted', stream: 'customers' })]);
    // Two attempts, the second scheduled later by a message: never a sleep inside the function.
    expect(fake.requestLog.filter((entry) => entry.status === 500)).toHaveLength(2);
    fake.setFaults({});
  }, 60_000);

  it('a poison message is dead-lettered after its deliveries and becomes a failure of its execution; nothing else stops', async () => {
    const first = await api.ok('POST', 'tenants/demo/tasks/demo-full-sync/executions', { streams: ['customers'] });
    expect((await api.waitForExecution('demo', first.executionId)).status).toBe('success');

    // A batch message no version of the app can read (its page is not a number): every delivery
    // fails. Published into the host's queue through the same database file.
    const db = openDatabase(join(dataDir, 'shardsync.db'));
    try {
      await new SqliteBus(db).publish('sync-batch', [
        { body: { tenantId: 'demo', executionId: first.executionId, stream: 'customers', page: 'ninety-nine' }, messageId: 'poison-1' },
      ]);
    } finally {
      db.close();
    }

    const deadline = Date.now() + 30_000;
    let view = await api.ok('GET', `tenants/demo/executions/${first.executionId}`);
    while (!view.lastErrors.some((e: { stage: string }) => e.stage === 'dead-letter') && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      view = await api.ok('GET', `tenants/demo/executions/${first.executionId}`);
    }
    expect(view.lastErrors).toEqual([
      expect.objectContaining({ stage: 'dead-letter', errorClass: 'MaxDeliveryCountExceeded' }),
    ]);
    expect(view.lastErrors[0].message).toContain('sync-batch message poison-1 was dead-lettered');

    const next = await api.ok('POST', 'tenants/demo/tasks/demo-full-sync/executions', { streams: ['customers'] });
    expect(await api.waitForExecution('demo', next.executionId)).toMatchObject({ status: 'success', counts: { unchanged: 120, failed: 0 } });
  }, 60_000);
});
