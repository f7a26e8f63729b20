import { join } from 'node:path';
import type { TokenCredential } from '@azure/identity';
import { loadConfig, type Config } from './config.js';
import { systemClock, type Clock } from './ports/clock.js';
import type { Bus } from './ports/bus.js';
import type { QueueConsumer } from './ports/queueConsumer.js';
import type { Secrets } from './ports/secrets.js';
import type { Store } from './ports/store.js';
import type { SqliteDatabase } from './adapters/embedded/sqliteDatabase.js';
import { ProviderRegistry } from './connectors/providerRegistry.js';
import { registeredProviders } from './connectors/registeredProviders.js';
import { OutboundGuard } from './connectors/http/outboundGuard.js';
import { SystemHostResolver } from './adapters/network/systemHostResolver.js';
import { UndiciAlertTransport } from './adapters/network/undiciAlertTransport.js';
import { createConsoleLogger } from './consoleLogger.js';
import { SecretRedaction } from './sync/security/secretRedaction.js';
import { secretsWithRedaction } from './sync/security/secretsWithRedaction.js';
import type { SyncDeps } from './sync/syncDeps.js';
import { createSyncCaches } from './sync/syncCaches.js';
import { authPauses } from './sync/executions/authPause.js';
import type { AccessSettings } from './sync/access/accessSettings.js';
import type { TokenVerifier } from './ports/tokenVerifier.js';
import { ensureLocalAdminKey, type LocalAdminKey } from './adapters/embedded/localAdminKey.js';
import { startTelemetry } from './observability/startTelemetry.js';
import { tracingBus } from './observability/tracingBus.js';

/** The object graph of one process: what use cases get, plus what the local host consumes. */
export interface Runtime {
  config: Config;
  deps: SyncDeps;
  /** Where the local host takes queue messages from (the embedded bus, or Service Bus). */
  consumer: QueueConsumer;
  /** The local admin key, outside Azure: the local host prints it when it is new. */
  localAdminKey?: LocalAdminKey;
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
    // First, so everything built after it (and every invocation) is traced where export is set.
    closers.push(await startTelemetry(env));
    const store = await buildStore(config, clock, embeddedDatabase, azureCredential, closers);
    const bus = await buildBus(config, clock, embeddedDatabase, azureCredential, closers);
    // One per process: every secret read or saved through the port is redacted from logs and stored text.
    const redaction = new SecretRedaction();
    const secrets = secretsWithRedaction(await buildSecrets(config, env, azureCredential), redaction);
    const outbound = new OutboundGuard(config.SHARDSYNC_OUTBOUND_ALLOW, new SystemHostResolver());
    closers.push(() => outbound.close());
    const { access, localAdminKey } = await buildAccess(config, env);
    const deps: SyncDeps = {
      store,
      // Every publish carries the publishing span's traceparent to the consumer (the host's consumer side reads the raw bus).
      bus: tracingBus(bus),
      secrets,
      clock,
      random: Math.random,
      providers: new ProviderRegistry(registeredProviders),
      outbound,
      alertTransport: new UndiciAlertTransport(outbound),
      log: createConsoleLogger(config.SHARDSYNC_LOG_LEVEL, redaction),
      credentialsEvents: authPauses,
      redaction,
      caches: createSyncCaches(),
      access,
    };
    return { config, deps, consumer: bus, ...(localAdminKey ? { localAdminKey } : {}), close: () => closeAll(closers) };
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

/**
 * Who may call the admin API: Entra ID tokens when configured, App Service authentication's
 * principal where it fronts the app, tenant API keys always, and outside Azure the local admin key.
 */
async function buildAccess(config: Config, env: Record<string, string | undefined>): Promise<{ access: AccessSettings; localAdminKey?: LocalAdminKey }> {
  let tokenVerifier: TokenVerifier | undefined;
  if (config.SHARDSYNC_ENTRA_AUDIENCE) {
    const { EntraTokenVerifier } = await import('./adapters/azure/entraTokenVerifier.js');
    const tenant = config.SHARDSYNC_ENTRA_TENANT_ID;
    const list = (text: string) => text.split(',').map((item) => item.trim()).filter(Boolean);
    tokenVerifier = new EntraTokenVerifier({
      issuers: config.SHARDSYNC_ENTRA_ISSUER ? list(config.SHARDSYNC_ENTRA_ISSUER) : [`https://login.microsoftonline.com/${tenant}/v2.0`, `https://sts.windows.net/${tenant}/`],
      audiences: list(config.SHARDSYNC_ENTRA_AUDIENCE),
      jwksUrl: config.SHARDSYNC_ENTRA_JWKS_URL ?? `https://login.microsoftonline.com/${tenant}/discovery/v2.0/keys`,
    });
  }
  // Azure runs on Entra ID (or App Service authentication) and tenant keys: no key file on a read-only package.
  const inAzure = Boolean(env.WEBSITE_INSTANCE_ID);
  const keyFile = config.SHARDSYNC_ADMIN_KEY_FILE ?? (config.SHARDSYNC_DATA_DIR === ':memory:' ? undefined : join(config.SHARDSYNC_DATA_DIR, 'admin.key'));
  const localAdminKey = inAzure || config.SHARDSYNC_AUTH_DISABLED ? undefined : await ensureLocalAdminKey(keyFile);
  const access: AccessSettings = {
    disabled: config.SHARDSYNC_AUTH_DISABLED,
    tenantsClaim: config.SHARDSYNC_ENTRA_TENANTS_CLAIM,
    trustAppServicePrincipal: config.SHARDSYNC_TRUST_APP_SERVICE_AUTH,
    ...(tokenVerifier ? { tokenVerifier } : {}),
    ...(localAdminKey ? { localAdminKeyHash: localAdminKey.hash } : {}),
  };
  return { access, ...(localAdminKey ? { localAdminKey } : {}) };
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
