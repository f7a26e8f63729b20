/** One address a host name resolves to. */
export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/**
 * Host resolver port: what the outbound guard checks before a connection is made, and what the
 * connection then uses, so the check and the connection see the same answer.
 */
export interface HostResolver {
  /**
   * Every address (IPv4 and IPv6) `hostName` resolves to; empty when the name does not exist or
   * has no address. Rejects when resolving failed (no answer, timeout), with the resolver's code.
   */
  resolve(hostName: string): Promise<ResolvedAddress[]>;
}
