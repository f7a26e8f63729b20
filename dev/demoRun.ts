import { loadConfig } from '../shared/config.js';
import { allowDemoStoreAddress, demoStoreFile, keptDataDir, readDemoStore, recordDemoStore, startDemoStore } from './demoStore.js';
import { startLocalHost } from './host/startLocalHost.js';
import { startLocalAzureServers, type BusChoice, type LocalAzureServers, type StoreChoice } from './localAzureServers.js';
import { AdminClient } from './adminClient.js';
import type { LocalAdminKey } from '../shared/adapters/embedded/localAdminKey.js';
import { DEMO_TASK, DEMO_TENANT, demoCounts, ensureDemoResources } from './demoSetup.js';

export interface DemoOptions {
  records: number;
  seed?: number;
  /** Port of the local host; default from SHARDSYNC_PORT (7071). */
  port?: number;
  /** Adapters: embedded defaults, or the Azure SDK adapters against local test servers. */
  store?: StoreChoice;
  bus?: BusChoice;
  log?: (line: string) => void;
}

export interface SyncOutcome {
  executionId: string;
  status: string;
  counts: Record<string, number>;
  /** From the 202 to the terminal status; host start-up excluded. */
  durationMs: number;
  view: any;
}

export interface RunningDemo {
  hostUrl: string;
  /** The local admin key the demo calls the API with (made on the first run, kept in the data directory). */
  adminKey: LocalAdminKey | undefined;
  /** The local Azure stand-ins started for `store`/`bus`, to inspect (e.g. count their requests). */
  servers: LocalAzureServers;
  /** Where the fake store's port, seed and counts are kept for `npm start` to bring it back; none when the data does not outlive the demo. */
  storeRecord: string | undefined;
  /** Runs one full sync of the demo task and watches it until it ends. */
  sync(options?: { onProgress?: (view: any) => void; pollMs?: number }): Promise<SyncOutcome>;
  /** Stops the host (closing the database), the fake store and the local Azure stand-ins. */
  stop(): Promise<void>;
}

/**
 * The demo's setting: a local host (embedded defaults, or the Azure adapters on local test
 * servers), a seeded fake WooCommerce store in its own process, and the demo resources created
 * through the admin API (idempotently).
 */
export async function startDemo(options: DemoOptions): Promise<RunningDemo> {
  const servers = await startLocalAzureServers({ store: options.store ?? 'embedded', bus: options.bus ?? 'embedded' });
  // The runtime reads its settings from the environment on first use (as under the Functions host).
  Object.assign(process.env, servers.settings);
  allowDemoStoreAddress(process.env);
  const dataDir = keptDataDir(loadConfig());
  const store = { seed: options.seed ?? 42, counts: demoCounts(options.records) };
  // Back on the port it had, so the demo connection's URL stays the same from run to run; elsewhere when that port is taken.
  const recorded = dataDir === undefined ? undefined : await readDemoStore(dataDir).catch(() => undefined);
  const fake = recorded
    ? await startDemoStore({ ...store, port: recorded.port }).catch(() => startDemoStore(store))
    : await startDemoStore(store);
  const { host, runtime } = await startLocalHost({
    ...(options.port === undefined ? {} : { port: options.port }),
    log: options.log ?? (() => {}),
  });
  const stop = async () => {
    await host.stop();
    await fake.close();
    await servers.close();
  };
  try {
    const api = new AdminClient(host.url, runtime.localAdminKey?.key);
    await ensureDemoResources(api, fake.url);
    // Once the demo connection points at the store: `npm start` on this data brings the store back (dev/demoStore.ts).
    if (dataDir !== undefined) await recordDemoStore(dataDir, { port: Number(new URL(fake.url).port), ...store });
    return {
      hostUrl: host.url,
      adminKey: runtime.localAdminKey,
      servers,
      storeRecord: dataDir === undefined ? undefined : demoStoreFile(dataDir),
      stop,
      sync: async ({ onProgress, pollMs = 25 } = {}) => {
        const accepted = await api.ok('POST', `tenants/${DEMO_TENANT}/tasks/${DEMO_TASK}/executions`, { mode: 'full' });
        const acceptedAt = performance.now();
        const view = await api.waitForExecution(DEMO_TENANT, accepted.executionId, {
          timeoutMs: 600_000,
          intervalMs: pollMs,
          ...(onProgress ? { onProgress } : {}),
        });
        const durationMs = Math.round(performance.now() - acceptedAt);
        return { executionId: accepted.executionId, status: view.status, counts: view.counts, durationMs, view };
      },
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
