import { lookup } from 'node:dns/promises';
import type { HostResolver, ResolvedAddress } from '../../ports/hostResolver.js';
import { isNoSuchHost } from './noSuchHost.js';

/**
 * Resolves through the operating system (getaddrinfo: hosts file, search domains, DNS), as
 * `net.connect` does by itself.
 */
export class SystemHostResolver implements HostResolver {
  async resolve(hostName: string): Promise<ResolvedAddress[]> {
    try {
      const addresses = await lookup(hostName, { all: true });
      return addresses.map(({ address, family }) => ({ address, family: family === 6 ? 6 : 4 }));
    } catch (error) {
      if (isNoSuchHost(error)) return [];
      throw error;
    }
  }
}
