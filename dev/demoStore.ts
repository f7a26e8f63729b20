import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { Config } from '../shared/config.js';
import { startFakeWooCommerceProcess, type FakeWooCommerceProcess } from './fakes/fakeWooCommerceProcess.js';
import { DEMO_CREDENTIALS } from './demoSetup.js';

/**
 * What brings the demo's fake store back as the demo left it: the same port (the demo
 * connection's base URL names it) and the same seed and counts (the same records, so a run after
 * the demo finds them unchanged).
 */
const demoStoreRecord = z.strictObject({
  port: z.number().int().min(1).max(65_535),
  seed: z.number().int(),
  counts: z.strictObject({
    customers: z.number().int().min(0),
    products: z.number().int().min(0),
    orders: z.number().int().min(0),
  }),
});
export type DemoStoreRecord = z.infer<typeof demoStoreRecord>;

/** The fake store the demo starts: seeded data, the demo's credentials, 127.0.0.1 on `port` (any free one without). */
export const startDemoStore = (store: Omit<DemoStoreRecord, 'port'> & { port?: number }): Promise<FakeWooCommerceProcess> =>
  startFakeWooCommerceProcess({ ...store, ...DEMO_CREDENTIALS });

/** Where the demo keeps the record, next to the database whose demo connection points at the store. */
export const demoStoreFile = (dataDir: string): string => join(dataDir, 'demo-store.json');

/**
 * The data directory the demo's connection outlives the demo in: the embedded store's, on disk.
 * (Cosmos DB stand-ins and `:memory:` keep nothing between runs.)
 */
export const keptDataDir = (config: Config): string | undefined =>
  config.SHARDSYNC_STORE === 'embedded' && config.SHARDSYNC_DATA_DIR !== ':memory:' ? config.SHARDSYNC_DATA_DIR : undefined;

/** The record the demo left in `dataDir`; undefined when the demo never ran there. */
export async function readDemoStore(dataDir: string): Promise<DemoStoreRecord | undefined> {
  const file = demoStoreFile(dataDir);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const parsed = demoStoreRecord.safeParse(parseJson(text));
  if (!parsed.success) throw new Error(`${file} is not a record of the demo's store (${z.prettifyError(parsed.error)}); delete it, or run the demo again`);
  return parsed.data;
}

export async function recordDemoStore(dataDir: string, record: DemoStoreRecord): Promise<void> {
  await writeFile(demoStoreFile(dataDir), `${JSON.stringify(record, null, 2)}\n`);
}

/** The demo's store listens on 127.0.0.1, which tenant URLs may reach only when allowed explicitly. */
export function allowDemoStoreAddress(env: NodeJS.ProcessEnv): void {
  env.SHARDSYNC_OUTBOUND_ALLOW = [env.SHARDSYNC_OUTBOUND_ALLOW, '127.0.0.1'].filter(Boolean).join(',');
}

/**
 * `npm start` after the demo: when the demo left a record in the data directory, the fake store
 * is started again on its port with its data, so the demo task's next run finds it (and does not
 * fail with ECONNREFUSED). Without a record nothing happens. A store that cannot start (the port
 * taken meanwhile) is reported and the host starts anyway. Call before the runtime reads its
 * settings: it allows 127.0.0.1 as an outbound destination.
 */
export async function restartRecordedDemoStore(config: Config, log: (line: string) => void): Promise<FakeWooCommerceProcess | undefined> {
  const dataDir = keptDataDir(config);
  const record = dataDir === undefined ? undefined : await readDemoStore(dataDir);
  if (dataDir === undefined || record === undefined) return undefined;
  const url = `http://127.0.0.1:${record.port}`;
  log(`restarting the demo's fake WooCommerce store at ${url} (from ${demoStoreFile(dataDir)}); SHARDSYNC_OUTBOUND_ALLOW includes 127.0.0.1 for it`);
  try {
    const store = await startDemoStore(record);
    allowDemoStoreAddress(process.env);
    return store;
  } catch (error) {
    log(`could not restart the demo's store at ${url}: ${error instanceof Error ? error.message : String(error)}; runs of the demo task fail until \`npm run demo\` starts it again`);
    return undefined;
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
