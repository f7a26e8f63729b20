/** Pure: turn a captured registration's RPC bindings into what the local host needs to drive it. */
import type { RpcBindingInfo, RpcFunctionMetadata } from './functionsCore.js';

export type SupportedTrigger = 'httpTrigger' | 'timerTrigger' | 'serviceBusTrigger';

export interface FunctionDescription {
  name: string;
  trigger: SupportedTrigger;
  /** Route template relative to the route prefix (http only; defaults to the function name). */
  route?: string;
  /** Upper-case HTTP methods. */
  methods?: string[];
  authLevel?: string;
  /** The largest request body the route takes (`shardsyncMaxBodyBytes` on its binding; the Functions host ignores it). */
  maxBodyBytes?: number;
  /** Who may call the route (`shardsyncAccess` on its binding): read, operate, admin, signature or anonymous. */
  access?: string;
  schedule?: string;
  runOnStartup?: boolean;
  queueName?: string;
  connection?: string;
}

export type Settings = Readonly<Record<string, string | undefined>>;

export type DescribeResult =
  | { supported: true; description: FunctionDescription; triggerBindingName: string }
  | { supported: false; triggerType: string };

/** Resolve `%NAME%` app-setting references the way the host does; a missing setting is an error. */
export function resolveSettingReferences(value: string, settings: Settings): string {
  return value.replace(/%([^%]+)%/g, (_whole, name: string) => {
    const resolved = settings[name];
    if (resolved === undefined) throw new Error(`'%${name}%' does not resolve to an app setting value`);
    return resolved;
  });
}

function optionalString(binding: RpcBindingInfo, key: string): string | undefined {
  const value = binding[key];
  return typeof value === 'string' ? value : undefined;
}

export function describeFunction(metadata: RpcFunctionMetadata, settings: Settings): DescribeResult {
  const entry = Object.entries(metadata.bindings).find(([, b]) => /trigger$/i.test(b.type ?? ''));
  if (!entry) throw new Error(`function "${metadata.name}" has no trigger binding`);
  const [triggerBindingName, binding] = entry;
  const type = binding.type ?? '';
  const name = metadata.name;
  switch (type.toLowerCase()) {
    case 'httptrigger': {
      const methods = Array.isArray(binding['methods']) ? (binding['methods'] as unknown[]) : ['GET', 'POST'];
      const route = (optionalString(binding, 'route') ?? name).replace(/^\/+/, '');
      const authLevel = optionalString(binding, 'authLevel');
      const access = optionalString(binding, 'shardsyncAccess');
      const maxBodyBytes = binding['shardsyncMaxBodyBytes'];
      const description: FunctionDescription = {
        name,
        trigger: 'httpTrigger',
        route,
        methods: methods.map((m) => String(m).toUpperCase()),
        ...(authLevel === undefined ? {} : { authLevel }),
        ...(access === undefined ? {} : { access }),
        ...(typeof maxBodyBytes === 'number' && Number.isInteger(maxBodyBytes) && maxBodyBytes >= 0 ? { maxBodyBytes } : {}),
      };
      return { supported: true, triggerBindingName, description };
    }
    case 'timertrigger': {
      const schedule = optionalString(binding, 'schedule');
      if (schedule === undefined) throw new Error(`timer function "${name}" has no schedule`);
      const description: FunctionDescription = {
        name,
        trigger: 'timerTrigger',
        schedule: resolveSettingReferences(schedule, settings),
        runOnStartup: binding['runOnStartup'] === true,
      };
      return { supported: true, triggerBindingName, description };
    }
    case 'servicebustrigger': {
      const queueName = optionalString(binding, 'queueName');
      if (queueName === undefined) {
        throw new Error(`Service Bus function "${name}" has no queueName (topics are not supported locally)`);
      }
      const connection = optionalString(binding, 'connection');
      const description: FunctionDescription = {
        name,
        trigger: 'serviceBusTrigger',
        queueName: resolveSettingReferences(queueName, settings),
        ...(connection === undefined ? {} : { connection }),
      };
      return { supported: true, triggerBindingName, description };
    }
    default:
      return { supported: false, triggerType: type };
  }
}

/** Output bindings other than the HTTP response have nowhere to go in the local host. */
export function unsupportedOutputs(metadata: RpcFunctionMetadata): string[] {
  return Object.entries(metadata.bindings)
    .filter(([name, b]) => b.direction === 'out' && !(name === '$return' && b.type === 'http'))
    .map(([name, b]) => `${name} (${b.type ?? 'unknown'})`);
}
