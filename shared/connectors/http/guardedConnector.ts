import type { LookupFunction } from 'node:net';
import { buildConnector } from 'undici';
import type { HostResolver, ResolvedAddress } from '../../ports/hostResolver.js';
import type { OutboundAllowList } from '../../core/security/outboundAllowList.js';
import { judgeHost, judgeResolvedAddresses } from '../../core/security/outboundDestination.js';
import { DestinationRefusedError } from './destinationRefusedError.js';

/**
 * An undici connector that connects only to destinations the outbound policy allows, judged at
 * the moment of connecting. A host name is resolved once, through `resolver`; every address is
 * checked and the socket connects to exactly those addresses (net.connect's `lookup` hook), so a
 * name that answers differently between the check and the connection (DNS rebinding) gains
 * nothing. IP-literal hosts never reach `lookup` (net.connect skips it), so they are checked
 * before connecting. `options` are undici's connect options (timeout, TLS `ca`…).
 */
export function guardedConnector(
  allowList: OutboundAllowList,
  resolver: HostResolver,
  options: buildConnector.BuildOptions = {},
): buildConnector.connector {
  const connect = buildConnector({ ...options, lookup: guardedLookup(allowList, resolver) });
  return (params, callback) => {
    const verdict = judgeHost(params.hostname, allowList);
    if (verdict.kind === 'refused') {
      callback(new DestinationRefusedError(verdict.reason), null);
      return;
    }
    connect(params, callback);
  };
}

function guardedLookup(allowList: OutboundAllowList, resolver: HostResolver): LookupFunction {
  return (hostName, options, callback) => {
    checkedAddresses(hostName, allowList, resolver).then(
      (addresses) => {
        const family = options.family === 4 || options.family === 6 ? options.family : undefined;
        const usable = family === undefined ? addresses : addresses.filter((entry) => entry.family === family);
        const first = usable[0];
        if (first === undefined) callback(noAddress(hostName), '', 0);
        // With happy eyeballs (autoSelectFamily) net asks for all addresses and tries them in turn.
        else if (options.all) callback(null, usable);
        else callback(null, first.address, first.family);
      },
      (error: NodeJS.ErrnoException) => callback(error, '', 0),
    );
  };
}

async function checkedAddresses(hostName: string, allowList: OutboundAllowList, resolver: HostResolver): Promise<ResolvedAddress[]> {
  const verdict = judgeHost(hostName, allowList);
  if (verdict.kind === 'refused') throw new DestinationRefusedError(verdict.reason);
  const addresses = await resolver.resolve(hostName);
  if (verdict.kind === 'resolve') {
    const refusal = judgeResolvedAddresses(hostName, addresses.map((entry) => entry.address), allowList);
    if (refusal !== undefined) throw new DestinationRefusedError(refusal);
  }
  return addresses;
}

/** Shaped like the system resolver's own error, so callers classify it as they always have. */
function noAddress(hostName: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostName}`), { code: 'ENOTFOUND', hostname: hostName });
}
