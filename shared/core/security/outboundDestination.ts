import ipaddr from 'ipaddr.js';
import { addressRefusal } from './addressPolicy.js';
import { hostNameRefusal, normalizeHostName } from './hostNamePolicy.js';
import { allowsAddress, allowsHostName, type OutboundAllowList } from './outboundAllowList.js';

/**
 * Where a tenant-supplied URL may lead. `resolve`: a host name the policy does not refuse by
 * itself, so the addresses it resolves to decide (judgeResolvedAddresses).
 */
export type DestinationVerdict = { kind: 'allowed' } | { kind: 'refused'; reason: string } | { kind: 'resolve'; hostName: string };

const allowed: DestinationVerdict = { kind: 'allowed' };
const refused = (reason: string): DestinationVerdict => ({ kind: 'refused', reason });

/**
 * Judges a URL as WHATWG parsing sees it, which is how undici and fetch will see it: the host is
 * already normalised (decimal, hex, octal and short IPv4 forms become dotted quads, names are
 * lower-cased and punycoded), so no other spelling of an address can slip past.
 */
export function judgeOutboundUrl(text: string, allowList: OutboundAllowList): DestinationVerdict {
  if (!URL.canParse(text)) return refused('it is not a URL');
  const url = new URL(text);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return refused(`the scheme is ${url.protocol}, not http: or https:`);
  if (url.username !== '' || url.password !== '') return refused('it carries a user name or password');
  return judgeHost(url.hostname, allowList);
}

/** Judges a URL's host: an IP literal (brackets optional for IPv6) or a host name. */
export function judgeHost(host: string, allowList: OutboundAllowList): DestinationVerdict {
  const bare = host.replace(/^\[(.*)\]$/, '$1');
  if (ipaddr.IPv4.isValidFourPartDecimal(bare) || ipaddr.IPv6.isValid(bare)) {
    if (allowsAddress(allowList, bare)) return allowed;
    const refusal = addressRefusal(bare);
    return refusal === undefined ? allowed : refused(`${bare} is ${refusal}`);
  }
  const hostName = normalizeHostName(bare);
  if (allowsHostName(allowList, hostName)) return allowed;
  const refusal = hostNameRefusal(hostName);
  return refusal === undefined ? { kind: 'resolve', hostName } : refused(`${hostName} is ${refusal}`);
}

/**
 * Judges what a host name resolved to: every address must be one the policy allows, since the
 * connection may go to any of them. Returns why not, or undefined.
 */
export function judgeResolvedAddresses(hostName: string, addresses: readonly string[], allowList: OutboundAllowList): string | undefined {
  for (const address of addresses) {
    if (allowsAddress(allowList, address)) continue;
    const refusal = addressRefusal(address);
    if (refusal !== undefined) return `${hostName} resolves to ${address}, ${refusal}`;
  }
  return undefined;
}
