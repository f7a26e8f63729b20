import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startFakeWooCommerce, type FakeWooCommerce } from '../../dev/fakes/fakeWooCommerce.js';
import { apiClient } from './apiClient.js';
import { DEMO_CREDENTIALS, ensureDemoResources } from '../../dev/demoSetup.js';
import { startHostProcess, type HostProcess } from './hostProcess.js';

describe('crash recovery', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'shardsync-crash-'));
  const hosts: HostProcess[] = [];
  let fake: FakeWooCommerce | undefined;
  afterAll(async () => {
    for (const host of hosts) await host.kill();
    await fake?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('a host killed mid-sync resumes after a restart and counts every record exactly once', async () => {
    const records = 3000;
    // Slow pages keep messages in flight (locked) when the kill lands.
    fake = await startFakeWooCommerce({ seed: 11, counts: { customers: records, products: 0, orders: 0 }, ...DEMO_CREDENTIALS, faults: { latencyMs: 150 } });
    const env = { SHARDSYNC_DATA_DIR: dataDir, SHARDSYNC_LOCK_DURATION_MS: '2000' };
    const first = await startHostProcess(env);
    hosts.push(first);
    let api = apiClient(first.url, first.adminKey);
    await ensureDemoResources(api, fake.url);
    const { executionId } = await api.ok('POST', 'tenants/demo/tasks/demo-full-sync/executions', {});

    for (;;) {
      const view = await api.ok('GET', `tenants/demo/executions/${executionId}`);
      expect(view.status).toBe('running');
      if (view.streams.customers.pagesDone >= 3) break;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await first.kill();

    const second = await startHostProcess(env);
    hosts.push(second);
    api = apiClient(second.url, second.adminKey);
    const view = await api.waitForExecution('demo', executionId, { timeoutMs: 60_000 });

    expect(view.status).toBe('success');
    expect(view.counts).toMatchObject({ fetched: records, created: records, updated: 0, unchanged: 0, failed: 0 });
    expect(view.streams.customers.pagesDone).toBe(view.streams.customers.pagesTotal);
    // The restarted host saw messages the killed one had locked: delivered more than once.
    expect(second.output()).toMatch(/redelivered sync-(page|batch|start) message .*"deliveryCount":[2-9]/);

    let shards = 0;
    let token: string | undefined;
    do {
      const page = await api.ok('GET', `tenants/demo/shards?type=customer&limit=1000${token ? `&continuationToken=${encodeURIComponent(token)}` : ''}`);
      shards += page.items.length;
      token = page.continuationToken;
    } while (token);
    expect(shards).toBe(records);

    // A graceful stop (SIGTERM) exits 0 well within 10 s.
    const stopping = Date.now();
    expect(await second.stop()).toBe(0);
    expect(Date.now() - stopping).toBeLessThan(10_000);
    expect(second.output()).toContain('SIGTERM: stopping');
  }, 90_000);
});
