import { join } from 'node:path';
import { loadConfig, type Config } from './config.js';
import { systemClock, type Clock } from './ports/clock.js';
import type { QueueConsumer } from './ports/queueConsumer.js';
import { openDatabase, type SqliteDatabase } from './adapters/embedded/sqliteDatabase.js';
import { SqliteStore } from './adapters/embedded/sqliteStore.js';
import { SqliteBus } from './adapters/embedded/sqliteBus.js';
import { LocalSecrets } from './adapters/embedded/localSecrets.js';
import { ConnectorRegistry } from './connectors/connectorRegistry.js';
import { wooCommerceProvider } from './connectors/woocommerce/wooCommerceProvider.js';
import { createConsoleLogger } from './consoleLogger.js';
import type { SyncDeps } from './sync/syncDeps.js';

/** The object graph of one process: what use cases get, plus what the local host consumes. */
export interface Runtime {
  config: Config;
  deps: SyncDeps;
  /** Where the local host takes queue messages from. */
  consumer: QueueConsumer;
  close(): Promise<void>;
}

export async function createRuntime(
  config: Config,
  env: Record<string, string | undefined> = process.env,
  clock: Clock = systemClock,
): Promise<Runtime> {
  const inMemory = config.SHARDSYNC_DATA_DIR === ':memory:';
  const db: SqliteDatabase = openDatabase(inMemory ? ':memory:' : join(config.SHARDSYNC_DATA_DIR, 'shardsync.db'));
  const bus = new SqliteBus(db, {
    clock,
    lockDurationMs: config.SHARDSYNC_LOCK_DURATION_MS,
    maxDeliveryCount: config.SHARDSYNC_MAX_DELIVERY_COUNT,
    duplicateDetectionWindowMs: config.SHARDSYNC_DUPLICATE_WINDOW_MS,
  });
  const deps: SyncDeps = {
    store: new SqliteStore(db, clock),
    bus,
    secrets: new LocalSecrets({ settings: env, ...(inMemory ? {} : { file: join(config.SHARDSYNC_DATA_DIR, 'secrets.json') }) }),
    clock,
    connectors: new ConnectorRegistry([wooCommerceProvider]),
    log: createConsoleLogger(config.SHARDSYNC_LOG_LEVEL),
  };
  return {
    config,
    deps,
    consumer: bus,
    close: async () => {
      db.close();
    },
  };
}

let current: Promise<Runtime> | undefined;

/** Built once, on first use, from the process settings: function files call this inside handlers. */
export function getRuntime(): Promise<Runtime> {
  current ??= createRuntime(loadConfig());
  current.catch(() => (current = undefined));
  return current;
}

/** Closes the process's runtime (on shutdown); the next getRuntime builds a fresh one. */
export async function closeRuntime(): Promise<void> {
  const closing = current;
  current = undefined;
  await (await closing)?.close();
}
