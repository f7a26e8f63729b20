import { z } from 'zod';
import { parseOutboundAllowList } from './core/security/outboundAllowList.js';
import { ConfigError } from './configError.js';

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

    /** Development only: the admin API without authentication (every caller an admin). Refused in Azure. */
    SHARDSYNC_AUTH_DISABLED: flag.default(false),
    /** The local admin key's file (default `<SHARDSYNC_DATA_DIR>/admin.key`; outside Azure only). */
    SHARDSYNC_ADMIN_KEY_FILE: optionalText,
    /** Microsoft Entra ID tenant (directory) whose tokens the admin API accepts. */
    SHARDSYNC_ENTRA_TENANT_ID: optionalText,
    /** Accepted token audiences, comma-separated: the app registration's client id and/or App ID URI. */
    SHARDSYNC_ENTRA_AUDIENCE: optionalText,
    /** Accepted issuers, comma-separated (default: the tenant's v2.0 and v1 issuers). */
    SHARDSYNC_ENTRA_ISSUER: optionalText,
    /** The issuer's signing keys (default: the tenant's `discovery/v2.0/keys`). */
    SHARDSYNC_ENTRA_JWKS_URL: z.url().optional(),
    /** The token claim listing the tenants a principal may act for (`*` = all). */
    SHARDSYNC_ENTRA_TENANTS_CLAIM: z.string().trim().min(1).default('shardsync_tenants'),
    /** App Service authentication fronts the app: trust its X-MS-CLIENT-PRINCIPAL header (needs WEBSITE_AUTH_ENABLED). */
    SHARDSYNC_TRUST_APP_SERVICE_AUTH: flag.default(false),

    /**
     * Destinations tenant URLs may reach although they are internal: comma-separated IP addresses,
     * CIDR ranges and host names (development: the demo and the tests allow 127.0.0.1).
     */
    SHARDSYNC_OUTBOUND_ALLOW: z
      .string()
      .default('')
      .transform((text, context) => {
        const { allowList, problems } = parseOutboundAllowList(text);
        for (const message of problems) context.issues.push({ code: 'custom', message, input: text });
        return allowList;
      }),
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
  problems.push(...authProblems(env));
  if (env.WEBSITE_INSTANCE_ID) {
    if (env.SHARDSYNC_STORE !== 'cosmos') problems.push('SHARDSYNC_STORE: must be "cosmos" when running in Azure');
    if (env.SHARDSYNC_BUS !== 'servicebus') problems.push('SHARDSYNC_BUS: must be "servicebus" when running in Azure');
    if (env.SHARDSYNC_SECRETS !== 'keyvault') problems.push('SHARDSYNC_SECRETS: must be "keyvault" when running in Azure');
  }
  return problems;
}

/** Authentication settings that only make sense together, or never in Azure. */
function authProblems(env: Record<string, string>): string[] {
  const problems: string[] = [];
  const inAzure = Boolean(env.WEBSITE_INSTANCE_ID);
  const entra = Boolean(env.SHARDSYNC_ENTRA_TENANT_ID || env.SHARDSYNC_ENTRA_ISSUER || env.SHARDSYNC_ENTRA_JWKS_URL || env.SHARDSYNC_ENTRA_AUDIENCE);
  if (env.SHARDSYNC_AUTH_DISABLED === 'true' && inAzure) problems.push('SHARDSYNC_AUTH_DISABLED: authentication cannot be switched off in Azure');
  if (entra && !env.SHARDSYNC_ENTRA_AUDIENCE) problems.push('SHARDSYNC_ENTRA_AUDIENCE: required to accept Entra ID tokens');
  if (entra && !env.SHARDSYNC_ENTRA_TENANT_ID && !(env.SHARDSYNC_ENTRA_ISSUER && env.SHARDSYNC_ENTRA_JWKS_URL)) {
    problems.push('SHARDSYNC_ENTRA_TENANT_ID: required to accept Entra ID tokens (or both SHARDSYNC_ENTRA_ISSUER and SHARDSYNC_ENTRA_JWKS_URL)');
  }
  const appServiceAuth = env.SHARDSYNC_TRUST_APP_SERVICE_AUTH === 'true';
  // Only App Service authentication strips a caller's own X-MS-CLIENT-PRINCIPAL; anywhere else it is whatever the caller sent.
  if (appServiceAuth && env.WEBSITE_AUTH_ENABLED?.toLowerCase() !== 'true') {
    problems.push('SHARDSYNC_TRUST_APP_SERVICE_AUTH: only where App Service authentication is on (the platform sets WEBSITE_AUTH_ENABLED=True)');
  }
  if (inAzure && !entra && !appServiceAuth) {
    problems.push('SHARDSYNC_ENTRA_TENANT_ID: Azure needs a way to authenticate people (Entra ID settings or SHARDSYNC_TRUST_APP_SERVICE_AUTH)');
  }
  return problems;
}

export type Config = z.infer<typeof settingsSchema>;

/** The names of every setting the app reads (infra/ must set each one it needs). */
export const SETTING_NAMES = Object.keys(settingsSchema.shape) as Array<keyof Config>;

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
