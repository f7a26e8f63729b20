/** The parts of host.json the local host honours, with the Functions host's defaults. */
export interface HostConfig {
  routePrefix: string;
  maxConcurrentCalls: number;
  maxAutoLockRenewalMs: number;
}

const defaults: HostConfig = {
  routePrefix: 'api',
  maxConcurrentCalls: 16,
  maxAutoLockRenewalMs: 5 * 60_000,
};

/** Parse a .NET TimeSpan ("hh:mm:ss", "d.hh:mm:ss", optional ".fff"). */
export function parseTimeSpanMs(value: string): number {
  const match = /^(?:(\d+)\.)?(\d{1,2}):(\d{1,2}):(\d{1,2})(?:\.(\d{1,7}))?$/.exec(value.trim());
  if (!match) throw new Error(`not a TimeSpan: "${value}"`);
  const [, days = '0', hours = '0', minutes = '0', seconds = '0', fraction = '0'] = match;
  const ms = Number(`0.${fraction}`) * 1000;
  return ((Number(days) * 24 + Number(hours)) * 60 + Number(minutes)) * 60_000 + Number(seconds) * 1000 + ms;
}

function section(value: unknown, key: string): Record<string, unknown> {
  const child = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
  return typeof child === 'object' && child !== null ? (child as Record<string, unknown>) : {};
}

/**
 * host.json with the app settings that override it applied, as the Functions host does:
 * `AzureFunctionsJobHost__extensions__serviceBus__maxConcurrentCalls=4` sets that value (numbers
 * and booleans as such), so one setting tunes a deployed app and the local host alike.
 */
export function withJobHostOverrides(hostJson: unknown, env: Readonly<Record<string, string | undefined>>): unknown {
  const root = structuredClone(typeof hostJson === 'object' && hostJson !== null ? hostJson : {}) as Record<string, unknown>;
  for (const [name, raw] of Object.entries(env)) {
    const match = /^AzureFunctionsJobHost__(.+)$/i.exec(name);
    if (!match || raw === undefined) continue;
    const path = match[1]!.split('__');
    let node = root;
    for (const key of path.slice(0, -1)) {
      const child = node[key];
      node = (node[key] = typeof child === 'object' && child !== null ? child : {}) as Record<string, unknown>;
    }
    node[path.at(-1)!] = /^-?\d+(\.\d+)?$/.test(raw) ? Number(raw) : raw === 'true' ? true : raw === 'false' ? false : raw;
  }
  return root;
}

export function hostConfigFrom(hostJson: unknown): HostConfig {
  const extensions = section(hostJson, 'extensions');
  const http = section(extensions, 'http');
  const serviceBus = section(extensions, 'serviceBus');
  const routePrefix = typeof http['routePrefix'] === 'string' ? http['routePrefix'] : defaults.routePrefix;
  const calls = serviceBus['maxConcurrentCalls'];
  const renewal = serviceBus['maxAutoLockRenewalDuration'];
  return {
    routePrefix: routePrefix.replace(/^\/+|\/+$/g, ''),
    maxConcurrentCalls: typeof calls === 'number' && calls >= 1 ? Math.floor(calls) : defaults.maxConcurrentCalls,
    maxAutoLockRenewalMs: typeof renewal === 'string' ? parseTimeSpanMs(renewal) : defaults.maxAutoLockRenewalMs,
  };
}
