import { join } from 'node:path';
import type { TokenCredential } from '@azure/identity';
import { loadConfig, type Config } from './config.js';
import { systemClock, type Clock } from './ports/clock.js';
import type { Bus } from './ports/bus.js';
import type { QueueConsumer } from './ports/queueConsumer.js';
import type { Secrets } from './ports/secrets.js';
import type { Store } from './ports/store.js';
import type { SqliteDatabase } from './adapters/embedded/sqliteDatabase.js';
import { ConnectorRegistry } from './connectors/connectorRegistry.js';
import { wooCommerceProvider } from './connectors/woocommerce/wooCommerceProvider.js';
import { createConsoleLogger } from './consoleLogger.js';
import type { SyncDeps } from './sync/syncDeps.js';

/** The object graph of one process: what use cases get, plus what the local host consumes. */
export interface Runtime {
  config: Config;
  deps: SyncDeps;
  /** Where the local host takes queue messages from (the embedded bus, or Service Bus). */
  consumer: QueueConsumer;
  close(): Promise<void>;
}

/**
 * Builds each port from its configured adapter. Adapters are imported only when chosen, so an
 * Azure deployment never loads the SQLite native module and a local run never needs Azure.
 */
export async function createRuntime(
  config: Config,
  env: Record<string, string | undefined> = process.env,
  clock: Clock = systemClock,
): Promise<Runtime> {
  const closers: Array<() => Promise<void>> = [];
  const inMemory = config.SHARDSYNC_DATA_DIR === ':memory:';
  let database: SqliteDatabase | undefined;
  const embeddedDatabase = async (): Promise<SqliteDatabase> => {
    if (!database) {
      const { openDatabase } = await import('./adapters/embedded/sqliteDatabase.js');
      const opened = openDatabase(inMemory ? ':memory:' : join(config.SHARDSYNC_DATA_DIR, 'shardsync.db'));
      database = opened;
      closers.push(async () => {
        opened.close();
      });
    }
    return database;
  };
  let credential: TokenCredential | undefined;
  const azureCredential = async (): Promise<TokenCredential> => {
    credential ??= new (await import('@azure/identity')).DefaultAzureCredential();
    return credential;
  };

  try {
    const store = await buildStore(config, clock, embeddedDatabase, azureCredential, closers);
    const bus = await buildBus(config, clock, embeddedDatabase, azureCredential, closers);
    const secrets = await buildSecrets(config, env, azureCredential);
    const deps: SyncDeps = {
      store,
      bus,
      secrets,
      clock,
      connectors: new ConnectorRegistry([wooCommerceProvider]),
      log: createConsoleLogger(config.SHARDSYNC_LOG_LEVEL),
    };
    return { config, deps, consumer: bus, close: () => closeAll(closers) };
  } catch (error) {
    await closeAll(closers);
    throw error;
  }
}

/** Closes in reverse order of opening: the bus stops receiving before the database goes. */
async function closeAll(closers: Array<() => Promise<void>>): Promise<void> {
  for (const close of closers.splice(0).reverse()) await close();
}

async function buildStore(
  config: Config,
  clock: Clock,
  embeddedDatabase: () => Promise<SqliteDatabase>,
  azureCredential: () => Promise<TokenCredential>,
  closers: Array<() => Promise<void>>,
): Promise<Store> {
  if (config.SHARDSYNC_STORE === 'embedded') {
    const { SqliteStore } = await import('./adapters/embedded/sqliteStore.js');
    return new SqliteStore(await embeddedDatabase(), clock);
  }
  const { createCosmosStore } = await import('./adapters/azure/cosmosStore.js');
  const store = await createCosmosStore({
    endpoint: config.COSMOS_ENDPOINT!,
    ...(config.COSMOS_KEY ? { key: config.COSMOS_KEY } : { credential: await azureCredential() }),
    databaseId: config.COSMOS_DATABASE,
    ensure: config.COSMOS_ENSURE,
    testServer: config.COSMOS_TEST_SERVER,
  });
  closers.push(() => store.close());
  return store;
}

async function buildBus(
  config: Config,
  clock: Clock,
  embeddedDatabase: () => Promise<SqliteDatabase>,
  azureCredential: () => Promise<TokenCredential>,
  closers: Array<() => Promise<void>>,
): Promise<Bus & QueueConsumer> {
  if (config.SHARDSYNC_BUS === 'embedded') {
    const { SqliteBus } = await import('./adapters/embedded/sqliteBus.js');
    return new SqliteBus(await embeddedDatabase(), {
      clock,
      lockDurationMs: config.SHARDSYNC_LOCK_DURATION_MS,
      maxDeliveryCount: config.SHARDSYNC_MAX_DELIVERY_COUNT,
      duplicateDetectionWindowMs: config.SHARDSYNC_DUPLICATE_WINDOW_MS,
    });
  }
  const { createServiceBusBus } = await import('./adapters/azure/serviceBusBus.js');
  const bus = createServiceBusBus(
    config.ServiceBusConnection
      ? { connectionString: config.ServiceBusConnection }
      : { fullyQualifiedNamespace: config.ServiceBusConnection__fullyQualifiedNamespace!, credential: await azureCredential() },
  );
  closers.push(() => bus.close());
  return bus;
}

async function buildSecrets(
  config: Config,
  env: Record<string, string | undefined>,
  azureCredential: () => Promise<TokenCredential>,
): Promise<Secrets> {
  if (config.SHARDSYNC_SECRETS === 'keyvault') {
    const { KeyVaultSecrets } = await import('./adapters/azure/keyVaultSecrets.js');
    return new KeyVaultSecrets({ vaultUrl: config.KEY_VAULT_URL!, credential: await azureCredential() });
  }
  const { LocalSecrets } = await import('./adapters/embedded/localSecrets.js');
  const inMemory = config.SHARDSYNC_DATA_DIR === ':memory:';
  return new LocalSecrets({ settings: env, ...(inMemory ? {} : { file: join(config.SHARDSYNC_DATA_DIR, 'secrets.json') }) });
}

let current: Promise<Runtime> | undefined;

/** Built once, on first use, from the process settings: function files call this inside handlers. */
export function getRuntime(): Promise<Runtime> {
  if (!current) {
    const building = createRuntime(loadConfig());
    current = building;
    building.catch(() => {
      if (current === building) current = undefined;
    });
  }
  return current;
}

/** Closes the process's runtime (on shutdown); the next getRuntime builds a fresh one. */
export async function closeRuntime(): Promise<void> {
  const closing = current;
  current = undefined;
  await (await closing)?.close();
}
