import { z } from 'zod';

const flag = z.enum(['true', 'false']).transform((value) => value === 'true');
const optionalText = z.string().trim().min(1).optional();

/**
 * Every setting the app reads, validated once at start-up. A bad value stops the process with
 * one message that lists each problem (see local.settings.example.json and the README).
 * Each port picks its adapter: embedded defaults, or Azure (Cosmos DB, Service Bus, Key Vault).
 */
const settingsSchema = z
  .object({
    /** Which adapter serves each port. */
    SHARDSYNC_STORE: z.enum(['embedded', 'cosmos']).default('embedded'),
    SHARDSYNC_BUS: z.enum(['embedded', 'servicebus']).default('embedded'),
    SHARDSYNC_SECRETS: z.enum(['local', 'keyvault']).default('local'),

    /** Directory of the SQLite database and local secrets file; `:memory:` keeps everything in memory. */
    SHARDSYNC_DATA_DIR: z.string().min(1).default('.data'),
    /** Port of the local host's HTTP server (0 = any free port). */
    SHARDSYNC_PORT: z.coerce.number().int().min(0).max(65535).default(7071),
    /** Peek-lock duration of the embedded bus; a crashed worker's messages come back after it. */
    SHARDSYNC_LOCK_DURATION_MS: z.coerce.number().int().min(100).max(300_000).default(30_000),
    /** Deliveries before the embedded bus dead-letters a message (Service Bus default: 10). */
    SHARDSYNC_MAX_DELIVERY_COUNT: z.coerce.number().int().min(1).max(100).default(10),
    /** Duplicate-detection window of the embedded bus. */
    SHARDSYNC_DUPLICATE_WINDOW_MS: z.coerce.number().int().min(0).default(600_000),
    /** `debug` also logs every invocation. */
    SHARDSYNC_LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),

    /** Cosmos DB account endpoint, e.g. https://acct.documents.azure.com:443/ */
    COSMOS_ENDPOINT: z.url().optional(),
    /** Account key for local use; without it the app's identity (DefaultAzureCredential) is used. */
    COSMOS_KEY: optionalText,
    COSMOS_DATABASE: z.string().min(1).default('shardsync'),
    /** Create the database and containers at start (local servers); infra/ creates them in Azure. */
    COSMOS_ENSURE: flag.default(false),
    /** The endpoint is the local @vercel/cosmosdb-server: emulate what it lacks (atomic batches). */
    COSMOS_TEST_SERVER: flag.default(false),

    /** Service Bus connection string (local use), or… */
    ServiceBusConnection: optionalText,
    /** …the namespace host name, used with the app's identity (as the Functions host reads it). */
    ServiceBusConnection__fullyQualifiedNamespace: optionalText,

    /** Key Vault URL, e.g. https://vault-name.vault.azure.net/ */
    KEY_VAULT_URL: z.url().optional(),
  });

/**
 * Settings that become required by the choice of adapter. Checked on the raw values, so that they
 * are reported together with any malformed value rather than after it is fixed.
 */
function missingForAdapters(env: Record<string, string>): string[] {
  const problems: string[] = [];
  if (env.SHARDSYNC_STORE === 'cosmos' && !env.COSMOS_ENDPOINT) problems.push('COSMOS_ENDPOINT: required when SHARDSYNC_STORE=cosmos');
  if (env.SHARDSYNC_BUS === 'servicebus' && !env.ServiceBusConnection && !env.ServiceBusConnection__fullyQualifiedNamespace) {
    problems.push('ServiceBusConnection: this or ServiceBusConnection__fullyQualifiedNamespace is required when SHARDSYNC_BUS=servicebus');
  }
  if (env.SHARDSYNC_SECRETS === 'keyvault' && !env.KEY_VAULT_URL) problems.push('KEY_VAULT_URL: required when SHARDSYNC_SECRETS=keyvault');
  // In Azure (App Service sets WEBSITE_INSTANCE_ID) the embedded defaults would write to a
  // read-only package and lose data between instances: a missing setting must not fall back to them.
  if (env.WEBSITE_INSTANCE_ID) {
    if (env.SHARDSYNC_STORE !== 'cosmos') problems.push('SHARDSYNC_STORE: must be "cosmos" when running in Azure');
    if (env.SHARDSYNC_BUS !== 'servicebus') problems.push('SHARDSYNC_BUS: must be "servicebus" when running in Azure');
    if (env.SHARDSYNC_SECRETS !== 'keyvault') problems.push('SHARDSYNC_SECRETS: must be "keyvault" when running in Azure');
  }
  return problems;
}

export type Config = z.infer<typeof settingsSchema>;

/** The names of every setting the app reads (infra/ must set each one it needs). */
export const SETTING_NAMES = Object.keys(settingsSchema.shape) as Array<keyof Config>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid settings:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  // Empty values count as unset, as they do in App Service settings.
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const result = settingsSchema.safeParse(present);
  const problems = [
    ...(result.success ? [] : result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`)),
    ...missingForAdapters(present as Record<string, string>),
  ];
  if (problems.length > 0 || !result.success) throw new ConfigError(problems);
  return result.data;
}
