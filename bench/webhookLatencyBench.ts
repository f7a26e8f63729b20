import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Figure } from './benchReport.js';

const DELIVERIES = 50;
const WARM_UP = 5;
const POLL_MS = 2;
const SECRET = 'whsec_bench_webhook_latency';

/**
 * Real-time sync latency on embedded defaults: with coalescing off (window 0), a customer is
 * changed on the fake store and its signed webhook POSTed, one at a time; the time from the POST
 * to the shard showing the change (polled through the admin API) is one sample.
 */
export async function webhookLatencyBench(): Promise<Figure[]> {
  const dataDir = mkdtempSync(join(tmpdir(), 'shardsync-bench-webhooks-'));
  process.env.SHARDSYNC_DATA_DIR = dataDir;
  process.env.SHARDSYNC_PORT = '0';
  // The fake store listens on 127.0.0.1, which tenant URLs may reach only when allowed explicitly.
  process.env.SHARDSYNC_OUTBOUND_ALLOW = '127.0.0.1';
  // One info line per webhook run would drown the table.
  process.env.SHARDSYNC_LOG_LEVEL ??= 'warn';
  // Imported after the settings are in place: the runtime reads them on first use.
  const { startLocalHost } = await import('../dev/host/startLocalHost.js');
  const { startFakeWooCommerce } = await import('../dev/fakes/fakeWooCommerce.js');
  const { AdminClient } = await import('../dev/adminClient.js');
  const { DEMO_CONNECTION, DEMO_CREDENTIALS, DEMO_TASK, DEMO_TENANT, ensureDemoResources } = await import('../dev/demoSetup.js');

  // In this process (not the demo's child process): the bench changes records between deliveries.
  const fake = await startFakeWooCommerce({ seed: 42, counts: { customers: 500, products: 20, orders: 20 }, ...DEMO_CREDENTIALS });
  const { host, runtime } = await startLocalHost({ log: () => {} });
  try {
    const api = new AdminClient(host.url, runtime.localAdminKey?.key);
    await ensureDemoResources(api, fake.url);
    const first = await api.ok('POST', `tenants/${DEMO_TENANT}/tasks/${DEMO_TASK}/executions`, {});
    await api.waitForExecution(DEMO_TENANT, first.executionId);
    await api.ok('PUT', `tenants/${DEMO_TENANT}/connections/${DEMO_CONNECTION}`, {
      provider: 'woocommerce',
      settings: { baseUrl: fake.url },
      webhookSecret: SECRET,
      webhooks: { coalesceWindowMs: 0 },
    });
    const hookUrl = `${host.url}/api/webhooks/${DEMO_TENANT}/${DEMO_CONNECTION}`;

    const samples: number[] = [];
    for (let i = 0; i < WARM_UP + DELIVERIES; i++) {
      const id = i + 1;
      const name = `Latency ${i}`;
      fake.updateRecord('customers', id, { first_name: name });
      const sentAt = performance.now();
      const response = await fake.sendWebhook(hookUrl, { resource: 'customer', id, secret: SECRET });
      if (response.status !== 202) throw new Error(`webhook answered ${response.status}: ${JSON.stringify(response.body)}`);
      for (;;) {
        const { items } = await api.ok('GET', `tenants/${DEMO_TENANT}/shards?type=customer&externalId=${id}`);
        if (items[0]?.data.firstName === name) break;
        if (performance.now() - sentAt > 30_000) throw new Error(`customer ${id} did not sync within 30 s of its webhook`);
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      }
      if (i >= WARM_UP) samples.push(performance.now() - sentAt);
    }
    samples.sort((a, b) => a - b);
    return [
      { bench: 'webhook-latency', metric: 'p50_ms', value: Math.round(percentile(samples, 0.5)), unit: 'ms', target: '< 100' },
      { bench: 'webhook-latency', metric: 'p95_ms', value: Math.round(percentile(samples, 0.95)), unit: 'ms' },
    ];
  } finally {
    await host.stop();
    await fake.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Nearest-rank percentile of sorted samples. */
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]!;
