import ipaddr from 'ipaddr.js';
import { normalizeHostName } from './hostNamePolicy.js';

/**
 * Destinations tenant URLs may reach although the policy would refuse them (for development: the
 * demo and the tests allow 127.0.0.1). An allowed host name is trusted with whatever it resolves
 * to; an allowed address or range lets exactly those addresses through.
 */
export interface OutboundAllowList {
  readonly hostNames: readonly string[];
  readonly ranges: ReadonlyArray<readonly [ipaddr.IPv4 | ipaddr.IPv6, number]>;
}

export const emptyAllowList: OutboundAllowList = { hostNames: [], ranges: [] };

const hostNamePattern = /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/;

/**
 * Parses a comma-separated list of IP addresses (`127.0.0.1`, `::1`), CIDR ranges
 * (`10.1.0.0/16`) and host names (`store.dev.example`); every entry that is none of these is a
 * problem.
 */
export function parseOutboundAllowList(text: string): { allowList: OutboundAllowList; problems: string[] } {
  const hostNames: string[] = [];
  const ranges: Array<readonly [ipaddr.IPv4 | ipaddr.IPv6, number]> = [];
  const problems: string[] = [];
  for (const entry of text.split(',').map((part) => part.trim()).filter(Boolean)) {
    const bare = entry.replace(/^\[(.*)\]$/, '$1');
    const range = parseRange(bare);
    if (range) ranges.push(range);
    else if (isHostName(normalizeHostName(entry))) hostNames.push(normalizeHostName(entry));
    else problems.push(`"${entry}" is not an IP address, a CIDR range or a host name`);
  }
  return { allowList: { hostNames, ranges }, problems };
}

export function allowsHostName(allowList: OutboundAllowList, hostName: string): boolean {
  return allowList.hostNames.includes(normalizeHostName(hostName));
}

/** An IPv4-mapped IPv6 address counts as its IPv4 address. */
export function allowsAddress(allowList: OutboundAllowList, address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  const parsed = ipaddr.process(address);
  return allowList.ranges.some(([network, bits]) => network.kind() === parsed.kind() && parsed.match(network, bits));
}

/**
 * A name whose last label is a number is an IPv4 address in a form URL parsing rewrites (`127.1`
 * becomes `127.0.0.1`), so as a name it would never match: refused rather than silently useless.
 */
function isHostName(name: string): boolean {
  return hostNamePattern.test(name) && !/^(\d+|0x[0-9a-f]*)$/.test(name.slice(name.lastIndexOf('.') + 1));
}

/** Strict forms only: ipaddr.js would also read `127.1` or `0x7f.1`, which nobody means in a setting. */
function parseRange(entry: string): readonly [ipaddr.IPv4 | ipaddr.IPv6, number] | undefined {
  const [address = '', bits, ...rest] = entry.split('/');
  if (rest.length > 0) return undefined;
  const isIPv4 = ipaddr.IPv4.isValidFourPartDecimal(address);
  if (!isIPv4 && !ipaddr.IPv6.isValid(address)) return undefined;
  if (bits === undefined) return [ipaddr.parse(address), isIPv4 ? 32 : 128];
  return ipaddr.isValidCIDR(entry) ? ipaddr.parseCIDR(entry) : undefined;
}
