import { startFakeWooCommerceProcess } from './fakes/fakeWooCommerceProcess.js';
import { startLocalHost } from './host/startLocalHost.js';
import { AdminClient } from './adminClient.js';
import { DEMO_CREDENTIALS, DEMO_TASK, DEMO_TENANT, demoCounts, ensureDemoResources } from './demoSetup.js';

export interface DemoOptions {
  records: number;
  seed?: number;
  /** Port of the local host; default from SHARDSYNC_PORT (7071). */
  port?: number;
  onProgress?: (view: any) => void;
  log?: (line: string) => void;
}

export interface DemoOutcome {
  executionId: string;
  status: string;
  counts: Record<string, number>;
  /** From the 202 to the terminal status; host start-up excluded. */
  durationMs: number;
  view: any;
  hostUrl: string;
  /** Stops the host (closing the database) and the fake store. */
  stop(): Promise<void>;
}

/**
 * The demo: a local host on embedded defaults and a seeded fake WooCommerce store, the demo
 * resources created through the admin API, then one full sync watched until it ends.
 */
export async function runDemo(options: DemoOptions): Promise<DemoOutcome> {
  const fake = await startFakeWooCommerceProcess({
    seed: options.seed ?? 42,
    counts: demoCounts(options.records),
    ...DEMO_CREDENTIALS,
  });
  const { host } = await startLocalHost({
    ...(options.port === undefined ? {} : { port: options.port }),
    log: options.log ?? (() => {}),
  });
  const stop = async () => {
    await host.stop();
    await fake.close();
  };
  try {
    const api = new AdminClient(host.url);
    await ensureDemoResources(api, fake.url);
    const accepted = await api.ok('POST', `tenants/${DEMO_TENANT}/tasks/${DEMO_TASK}/executions`, { mode: 'full' });
    const acceptedAt = performance.now();
    const view = await api.waitForExecution(DEMO_TENANT, accepted.executionId, {
      timeoutMs: 600_000,
      intervalMs: 25,
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    });
    const durationMs = Math.round(performance.now() - acceptedAt);
    return { executionId: accepted.executionId, status: view.status, counts: view.counts, durationMs, view, hostUrl: host.url, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
