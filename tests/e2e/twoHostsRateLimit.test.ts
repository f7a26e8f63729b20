import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startFakeWooCommerce, type FakeWooCommerce } from '../../dev/fakes/fakeWooCommerce.js';
import type { AdminClient } from '../../dev/adminClient.js';
import { apiClient } from './apiClient.js';
import { DEMO_CREDENTIALS, ensureDemoResources } from '../../dev/demoSetup.js';
import { startHostProcess, type HostProcess } from './hostProcess.js';

const REQUESTS_PER_MINUTE = 120;
/** The guard's default burst: one second's worth. */
const BURST = REQUESTS_PER_MINUTE / 60;

/**
 * Two host processes share one data directory — one store, one set of queues — and sync from one
 * provider that records the time of every request. The connection's rate limit holds across
 * both, and a 429's Retry-After holds every worker back.
 */
describe('a rate limit shared by two hosts', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'shardsync-two-hosts-'));
  const hosts: HostProcess[] = [];
  let fake: FakeWooCommerce | undefined;
  afterAll(async () => {
    for (const host of hosts) await host.stop();
    await fake?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('no window exceeds the configured rate, and Retry-After is honoured', async () => {
    fake = await startFakeWooCommerce({
      seed: 17,
      counts: { customers: 600, products: 0, orders: 0 },
      ...DEMO_CREDENTIALS,
      faults: { rateLimitEvery: 6, retryAfterSeconds: 1 },
    });
    const env = { SHARDSYNC_DATA_DIR: dataDir };
    hosts.push(await startHostProcess(env));
    hosts.push(await startHostProcess(env));
    const [a, b] = hosts.map((host) => apiClient(host.url, host.adminKey)) as [AdminClient, AdminClient];
    await ensureDemoResources(a, fake.url);
    await a.ok('PUT', 'tenants/demo/connections/demo-woo', {
      provider: 'woocommerce',
      settings: { baseUrl: fake.url },
      protection: { requestsPerMinute: REQUESTS_PER_MINUTE },
    });
    // The run's requests: saving the connection tested it, once, before the run and outside its rate limit.
    const runRequestsFrom = fake.requestLog.length;

    const { executionId } = await a.ok('POST', 'tenants/demo/tasks/demo-full-sync/executions', { streams: ['customers'], batchSize: 25 });
    const view = await b.waitForExecution('demo', executionId, { timeoutMs: 90_000, intervalMs: 200 });
    expect(view).toMatchObject({ status: 'success', counts: { fetched: 600, created: 600, failed: 0 } });

    const requests = fake.requestLog.slice(runRequestsFrom).filter((entry) => entry.path.endsWith('/customers'));
    const times = requests.map((entry) => entry.at).sort((x, y) => x - y);
    // Any window of W ms holds at most burst + rate·W requests (a little slack for clocks).
    for (const windowMs of [1000, 3000]) {
      const allowed = BURST + (REQUESTS_PER_MINUTE / 60_000) * windowMs + 1;
      for (let i = 0; i < times.length; i++) {
        const inWindow = times.filter((t) => t >= times[i]! && t < times[i]! + windowMs).length;
        expect(inWindow, `requests in the ${windowMs} ms after request ${i}`).toBeLessThanOrEqual(allowed);
      }
    }
    // After each 429 (Retry-After: 1 s) nothing was sent for a second.
    const refusals = requests.filter((entry) => entry.status === 429);
    expect(refusals.length).toBeGreaterThan(0);
    expect(refusals.some((refused) => times.some((t) => t > refused.at))).toBe(true);
    for (const refused of refusals) {
      const next = times.find((t) => t > refused.at);
      if (next !== undefined) expect(next - refused.at).toBeGreaterThanOrEqual(950);
    }
    // Neither host hit an error along the way.
    for (const host of hosts) expect(host.output()).not.toContain('ERROR');
  }, 120_000);
});
