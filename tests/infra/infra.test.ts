import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadConfig, SETTING_NAMES } from '../../shared/config.js';
import { QUEUES } from '../../shared/ports/bus.js';
import { CONTAINERS } from '../../shared/ports/store.js';
import { arrayObjects, objectEntries, parseBicep, propertyValue, stringLiteral, type BicepFile } from './bicepText.js';

/**
 * Keeps infra/ honest against the code: settings, queues, containers, roles, modules and
 * parameters. Bicep cannot be compiled here, so this reads the Bicep text (tests/infra/bicepText.ts).
 */

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const infra = join(root, 'infra');
const read = (path: string) => readFileSync(path, 'utf8');
const readJson = (path: string): unknown => JSON.parse(read(path));
const bicep = (path: string) => parseBicep(read(path));

const main = bicep(join(infra, 'main.bicep'));
const functionAppModule = bicep(join(infra, 'modules/functionapp.bicep'));

/**
 * Settings infra may set although the code does not read them: read by the Functions host,
 * the Service Bus extension or the platform. Anything else infra sets must be in SETTING_NAMES.
 */
const PLATFORM_SETTINGS: Record<string, string> = {
  AzureWebJobsStorage__accountName: 'host storage (timers, keys) reached with the app identity',
  APPLICATIONINSIGHTS_CONNECTION_STRING: 'where the host and worker send telemetry',
  APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'telemetry sent with Entra ID (Application Insights local auth is off)',
  FUNCTIONS_REQUEST_BODY_SIZE_LIMIT: 'the host refuses bodies over the largest route limit before the worker reads them',
};

/** Settings Flex Consumption rejects or ignores: runtime and package come from functionAppConfig. */
const NOT_ON_FLEX = [
  'FUNCTIONS_WORKER_RUNTIME',
  'FUNCTIONS_EXTENSION_VERSION',
  'WEBSITE_RUN_FROM_PACKAGE',
  'WEBSITE_NODE_DEFAULT_VERSION',
  'WEBSITE_CONTENTAZUREFILECONNECTIONSTRING',
  'WEBSITE_CONTENTSHARE',
  'AzureWebJobsStorage',
];

/** The documented built-in role definition ids the app's identity needs. */
const EXPECTED_ROLES: Record<string, string> = {
  storageBlobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b',
  storageQueueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88',
  storageTableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3',
  serviceBusDataSender: '69a216fc-b8fb-44d8-bc22-1f3c2cd27a39',
  serviceBusDataReceiver: '4f6d3b9b-027b-4f4c-9142-0e5a2a2247e0',
  keyVaultSecretsOfficer: 'b86a8fe4-44ce-4948-aee5-eccb2c155cd7',
  monitoringMetricsPublisher: '3913510d-42f4-4e42-8a64-420c390055eb',
};
const COSMOS_DATA_CONTRIBUTOR = '00000000-0000-0000-0000-000000000002';

interface AppSetting {
  name: string;
  value: string;
}

/** The `{ name, value }` entries of the function app's `appSettings` array. */
function appSettingsOf(file: BicepFile): AppSetting[] {
  const array = propertyValue(file, 'appSettings');
  if (array === undefined || !array.startsWith('[')) throw new Error('functionapp.bicep: no appSettings array literal');
  return arrayObjects(array).map((item) => {
    const entries = objectEntries(item);
    const name = stringLiteral(entries.get('name') ?? '');
    const value = entries.get('value');
    if (name === undefined || value === undefined) throw new Error(`app setting without a literal name or a value: ${item}`);
    return { name, value };
  });
}

const appSettings = appSettingsOf(functionAppModule);
const infraSettings = new Set(appSettings.map((s) => s.name));
const localOnly = readJson(join(infra, 'local-only-settings.json')) as Record<string, unknown>;

/** Problems with how a list of code settings is handled; empty when every one is accounted for. */
function unhandledSettings(codeSettings: readonly string[], setByInfra: ReadonlySet<string>, localOnlySettings: Record<string, unknown>): string[] {
  const problems: string[] = [];
  for (const name of codeSettings) {
    const set = setByInfra.has(name);
    const local = Object.hasOwn(localOnlySettings, name);
    if (!set && !local) problems.push(`${name}: neither set in infra/modules/functionapp.bicep nor listed in infra/local-only-settings.json`);
    if (set && local) problems.push(`${name}: set by infra but also listed as local-only`);
  }
  return problems;
}

describe('app settings', () => {
  it('every setting the code reads is set by infra or listed as local-only', () => {
    expect(unhandledSettings(SETTING_NAMES, infraSettings, localOnly)).toEqual([]);
  });

  it('the check fails for a setting added to shared/config.ts and not handled in infra', () => {
    const baseline = unhandledSettings(SETTING_NAMES, infraSettings, localOnly);
    const withNew = unhandledSettings([...SETTING_NAMES, 'SHARDSYNC_NEW_SETTING'], infraSettings, localOnly);
    expect(withNew.filter((problem) => !baseline.includes(problem))).toEqual([expect.stringContaining('SHARDSYNC_NEW_SETTING')]);
  });

  it('each local-only setting is one the code reads and says why it is not set in Azure', () => {
    for (const [name, reason] of Object.entries(localOnly)) {
      expect(SETTING_NAMES as readonly string[], `${name} is listed as local-only but the code does not read it`).toContain(name);
      expect(typeof reason === 'string' && reason.trim().length >= 20, `${name}: give a reason`).toBe(true);
    }
  });

  it('every setting infra sets is read by the code or is an allow-listed platform setting', () => {
    const unknown = [...infraSettings].filter((name) => !(SETTING_NAMES as readonly string[]).includes(name) && !Object.hasOwn(PLATFORM_SETTINGS, name));
    expect(unknown).toEqual([]);
  });

  it('sets each setting once and none that Flex Consumption rejects', () => {
    expect(appSettings.length).toBe(infraSettings.size);
    expect(NOT_ON_FLEX.filter((name) => infraSettings.has(name))).toEqual([]);
  });

  it('the deployed settings pass the app\'s own validation and choose the Azure adapters', () => {
    // Literal values are used as they are; a param with @allowed is tried with each allowed value;
    // other expressions (resource endpoints) get a URL-shaped placeholder.
    const candidates = appSettings.map(({ name, value }) => {
      const literal = stringLiteral(value);
      if (literal !== undefined) return { name, values: [literal] };
      const param = functionAppModule.params.get(value.trim());
      if (param?.allowed) return { name, values: param.allowed.map(String) };
      return { name, values: ['https://placeholder.invalid/'] };
    });
    const rounds = Math.max(...candidates.map((c) => c.values.length));
    for (let round = 0; round < rounds; round++) {
      const env = Object.fromEntries(candidates.map(({ name, values }) => [name, values[round % values.length]!]));
      const config = loadConfig(env);
      expect([config.SHARDSYNC_STORE, config.SHARDSYNC_BUS, config.SHARDSYNC_SECRETS]).toEqual(['cosmos', 'servicebus', 'keyvault']);
    }
  });

  it('the trigger connections and %SETTING% references in functions/ resolve to settings infra sets', () => {
    const sources = listTs(join(root, 'functions')).map((path) => ({ path, text: read(path) }));
    const connections = new Set(sources.flatMap(({ text }) => [...text.matchAll(/\bconnection:\s*'([^']+)'/g)].map((m) => m[1]!)));
    expect(connections.size).toBeGreaterThan(0);
    for (const connection of connections) {
      // Identity-based connections are `<name>__fullyQualifiedNamespace`; a plain `<name>` would be a connection string.
      expect(infraSettings.has(`${connection}__fullyQualifiedNamespace`) || infraSettings.has(connection), connection).toBe(true);
    }
    for (const { path, text } of sources) {
      for (const m of text.matchAll(/'%(\w+)%'/g)) {
        expect(infraSettings.has(m[1]!), `${relative(root, path)} references %${m[1]}%`).toBe(true);
      }
    }
  });
});

interface QueueDefinition {
  name: string;
  maxDeliveryCount: number;
  lockDuration: string;
  requiresDuplicateDetection: boolean;
  duplicateDetectionHistoryTimeWindow: string;
  deadLetteringOnMessageExpiration: boolean;
  defaultMessageTimeToLive: string;
}

/** Milliseconds of an ISO 8601 duration with days/hours/minutes/seconds (what queues.json uses). */
function isoDurationMs(duration: string): number {
  const m = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(duration);
  if (!m || duration === 'P' || duration.endsWith('T')) throw new Error(`not an ISO 8601 duration: ${duration}`);
  const [, d = '0', h = '0', min = '0', s = '0'] = m;
  return ((Number(d) * 24 + Number(h)) * 60 + Number(min)) * 60_000 + Number(s) * 1000;
}

describe('Service Bus queues', () => {
  const queues = readJson(join(infra, 'servicebus/queues.json')) as QueueDefinition[];

  it('queues.json defines exactly the queues in QUEUES, once each', () => {
    const names = queues.map((q) => q.name);
    expect(new Set(names).size).toBe(names.length);
    expect([...names].sort()).toEqual([...QUEUES].sort());
  });

  it('every queue has the delivery semantics the code relies on', () => {
    expect(queues.length).toBeGreaterThan(0);
    for (const q of queues) {
      expect(q, q.name).toMatchObject({
        maxDeliveryCount: 10,
        lockDuration: 'PT1M',
        requiresDuplicateDetection: true,
        duplicateDetectionHistoryTimeWindow: 'PT10M',
        deadLetteringOnMessageExpiration: true,
      });
      expect(isoDurationMs(q.defaultMessageTimeToLive), q.name).toBeGreaterThan(isoDurationMs(q.duplicateDetectionHistoryTimeWindow));
      // Service Bus allows a peek-lock of at most five minutes.
      expect(isoDurationMs(q.lockDuration)).toBeLessThanOrEqual(5 * 60_000);
    }
  });

  it('the embedded bus defaults behave like the Azure queues', () => {
    const defaults = loadConfig({});
    expect(queues.length).toBeGreaterThan(0);
    for (const q of queues) {
      expect(defaults.SHARDSYNC_MAX_DELIVERY_COUNT, q.name).toBe(q.maxDeliveryCount);
      expect(defaults.SHARDSYNC_DUPLICATE_WINDOW_MS, q.name).toBe(isoDurationMs(q.duplicateDetectionHistoryTimeWindow));
    }
  });

  it('every queue a function listens on is defined', () => {
    const names = new Set(queues.map((q) => q.name));
    const listened = listTs(join(root, 'functions')).flatMap((path) => [...read(path).matchAll(/\bqueueName:\s*'([^'$]+)'/g)].map((m) => ({ path, queue: m[1]! })));
    expect(listened.length).toBeGreaterThan(0);
    for (const { path, queue } of listened) {
      expect(names.has(queue.replace(/\/\$DeadLetterQueue$/, '')), `${relative(root, path)}: ${queue}`).toBe(true);
    }
  });
});

interface ContainerDefinition {
  id: string;
  partitionKeyPaths: string[];
  defaultTtl?: number | null;
  indexingPolicy?: unknown;
}

/** containers.json as a list: an array of definitions, `{ containers: [...] }`, or an object keyed by id. */
function containerDefinitions(json: unknown): ContainerDefinition[] {
  if (Array.isArray(json)) return json as ContainerDefinition[];
  const object = json as Record<string, unknown>;
  if (Array.isArray(object.containers)) return object.containers as ContainerDefinition[];
  return Object.entries(object).map(([id, definition]) => ({ id, ...(definition as Omit<ContainerDefinition, 'id'>) }));
}

describe('Cosmos DB containers', () => {
  const containersPath = join(infra, 'cosmos/containers.json');

  it('containers.json defines exactly the containers in CONTAINERS, once each', () => {
    const ids = containerDefinitions(readJson(containersPath)).map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual([...CONTAINERS].sort());
  });

  it('every container is partitioned by tenant and has the fields the Bicep reads', () => {
    const containers = containerDefinitions(readJson(containersPath));
    expect(containers.length).toBeGreaterThan(0);
    expect(containers.some((c) => c.defaultTtl !== undefined && c.defaultTtl !== null)).toBe(true);
    expect(containers.some((c) => c.indexingPolicy !== undefined)).toBe(true);
    for (const c of containers) {
      // /tenantId first: single key today, hierarchical (/tenantId, /shardType) later.
      expect(c.partitionKeyPaths[0], c.id).toBe('/tenantId');
      expect(c.partitionKeyPaths.length, c.id).toBeLessThanOrEqual(3);
      if (c.defaultTtl !== undefined && c.defaultTtl !== null) {
        expect(Number.isInteger(c.defaultTtl) && (c.defaultTtl === -1 || c.defaultTtl > 0), `${c.id}: defaultTtl`).toBe(true);
      }
      if (c.indexingPolicy !== undefined) expect(typeof c.indexingPolicy, c.id).toBe('object');
    }
  });
});

describe('Bicep structure', () => {
  it('main.bicep loads queues.json and containers.json and hands them to the modules that create them', () => {
    const expectations = [
      { file: 'servicebus/queues.json', module: 'modules/servicebus.bicep', param: 'queues' },
      { file: 'cosmos/containers.json', module: 'modules/cosmos.bicep', param: 'containers' },
    ];
    for (const { file, module, param } of expectations) {
      expect(main.jsonLoads).toContain(file);
      // loadJsonContent paths are relative to the Bicep file that loads them.
      expect(existsSync(join(infra, file)), file).toBe(true);
      const variable = [...main.vars].find(([, value]) => value === `loadJsonContent('${file}')`)?.[0];
      expect(variable, `a var holding loadJsonContent('${file}')`).toBeDefined();
      const use = main.modules.find((m) => m.path.replace(/^\.\//, '') === module);
      expect(use?.params.get(param), `${module} gets ${param}: ${variable}`).toBe(variable);
      // The module creates one resource per entry.
      expect(bicep(join(infra, module)).masked).toMatch(new RegExp(`\\[for \\w+ in ${param}:`));
    }
  });

  it('each module main.bicep references exists, gets only params it declares and every one it requires', () => {
    expect(main.modules.length).toBeGreaterThan(0);
    for (const use of main.modules) {
      const path = join(infra, use.path);
      expect(existsSync(path), use.path).toBe(true);
      const declared = bicep(path).params;
      for (const name of use.params.keys()) expect(declared.has(name), `${use.path} has no param ${name}`).toBe(true);
      for (const param of declared.values()) {
        if (param.defaultValue === undefined) expect(use.params.has(param.name), `${use.path} needs ${param.name}`).toBe(true);
      }
    }
  });

  it('every module file is used', () => {
    const used = new Set(main.modules.map((m) => resolve(infra, m.path)));
    const modules = readdirSync(join(infra, 'modules')).filter((file) => file.endsWith('.bicep'));
    expect(modules.length).toBeGreaterThan(0);
    for (const file of modules) expect(used.has(join(infra, 'modules', file)), file).toBe(true);
  });

  it('main.parameters.json provides every param without a default, and only params main.bicep declares', () => {
    const file = readJson(join(infra, 'main.parameters.json')) as { parameters: Record<string, { value?: unknown }> };
    expect([...main.params.values()].some((param) => param.defaultValue === undefined)).toBe(true);
    expect(Object.keys(file.parameters).some((name) => main.params.get(name)?.allowed)).toBe(true);
    for (const param of main.params.values()) {
      if (param.defaultValue === undefined) expect(file.parameters, `main.parameters.json: ${param.name}`).toHaveProperty(param.name);
    }
    for (const [name, { value }] of Object.entries(file.parameters)) {
      const param = main.params.get(name);
      expect(param, `main.bicep declares ${name}`).toBeDefined();
      if (param?.allowed) expect(param.allowed, `${name} = ${String(value)}`).toContain(value);
    }
  });

  it('assigns the documented role definition ids to the app identity', () => {
    const rbac = bicep(join(infra, 'modules/rbac.bicep'));
    const rolesVar = rbac.vars.get('roles');
    expect(rolesVar).toBeDefined();
    const roles = Object.fromEntries([...objectEntries(rolesVar!)].map(([key, value]) => [key, stringLiteral(value)]));
    expect(roles).toEqual(EXPECTED_ROLES);
    // Every role is actually used, and no role id is written anywhere but in `roles`.
    for (const key of Object.keys(EXPECTED_ROLES)) expect(rbac.masked, key).toMatch(new RegExp(`\\broles\\.${key}\\b`));
    const guids = [...rbac.text.matchAll(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi)].map((m) => m[0].toLowerCase());
    expect(new Set(guids)).toEqual(new Set([...Object.values(EXPECTED_ROLES), COSMOS_DATA_CONTRIBUTOR]));
    // Cosmos data access is a Cosmos SQL role assignment, not an Azure RBAC one.
    expect(rbac.text).toMatch(/'Microsoft\.DocumentDB\/databaseAccounts\/sqlRoleAssignments@[\w-]+'/);
    expect(rbac.text).toContain(`sqlRoleDefinitions/\${cosmosDataContributor}`);
    expect(rbac.vars.get('cosmosDataContributor')).toBe(`'${COSMOS_DATA_CONTRIBUTOR}'`);
  });

  it('the function app runs Node 20 on Flex Consumption with a system-assigned identity', () => {
    const text = functionAppModule.text;
    expect(text).toMatch(/tier:\s*'FlexConsumption'/);
    expect(text).toMatch(/identity:\s*\{\s*type:\s*'SystemAssigned'\s*\}/);
    const runtime = objectEntries(propertyValue(functionAppModule, 'runtime')!);
    expect([stringLiteral(runtime.get('name')!), stringLiteral(runtime.get('version')!)]).toEqual(['node', '20']);
    expect(propertyValue(functionAppModule, 'deployment')).toMatch(/type:\s*'SystemAssignedIdentity'/);
  });

  it('no service accepts keys: local auth off, Key Vault in RBAC mode', () => {
    const setting = (file: string, key: string) => propertyValue(bicep(join(infra, 'modules', file)), key);
    expect(setting('servicebus.bicep', 'disableLocalAuth')).toBe('true');
    expect(setting('cosmos.bicep', 'disableLocalAuth')).toBe('true');
    expect(setting('monitoring.bicep', 'DisableLocalAuth')).toBe('true');
    expect(setting('storage.bicep', 'allowSharedKeyAccess')).toBe('false');
    expect(setting('keyvault.bicep', 'enableRbacAuthorization')).toBe('true');
    expect(setting('keyvault.bicep', 'enableSoftDelete')).toBe('true');
  });
});

function listTs(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return listTs(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}
