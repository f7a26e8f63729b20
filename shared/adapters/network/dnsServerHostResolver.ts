import { Resolver } from 'node:dns/promises';
import type { HostResolver, ResolvedAddress } from '../../ports/hostResolver.js';
import { isNoSuchHost } from './noSuchHost.js';

export interface DnsServerHostResolverOptions {
  /** Per query try. */
  timeoutMs?: number;
  tries?: number;
}

/**
 * Resolves A and AAAA records by asking the given DNS servers (`127.0.0.1:5353`, `[::1]:53`)
 * directly, bypassing the hosts file and the system's resolver configuration.
 */
export class DnsServerHostResolver implements HostResolver {
  private readonly resolver: Resolver;

  constructor(servers: readonly string[], options: DnsServerHostResolverOptions = {}) {
    this.resolver = new Resolver({ timeout: options.timeoutMs ?? 2_000, tries: options.tries ?? 2 });
    this.resolver.setServers([...servers]);
  }

  async resolve(hostName: string): Promise<ResolvedAddress[]> {
    const [v4, v6] = await Promise.all([
      this.records(() => this.resolver.resolve4(hostName)),
      this.records(() => this.resolver.resolve6(hostName)),
    ]);
    return [...v4.map((address) => ({ address, family: 4 as const })), ...v6.map((address) => ({ address, family: 6 as const }))];
  }

  /** A name with addresses of one family only answers the other family with NODATA. */
  private async records(query: () => Promise<string[]>): Promise<string[]> {
    try {
      return await query();
    } catch (error) {
      if (isNoSuchHost(error)) return [];
      throw error;
    }
  }
}
