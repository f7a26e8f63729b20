import { createSocket, type RemoteInfo } from 'node:dgram';
import { isIPv4, isIPv6 } from 'node:net';
import dnsPacket from 'dns-packet';

export interface FakeDnsQuery {
  name: string;
  type: string;
}

export interface FakeDnsServer {
  /** `127.0.0.1:PORT`, as `dns.Resolver#setServers` takes it. */
  server: string;
  /** Every question received, in order. */
  queries: FakeDnsQuery[];
  /**
   * What `name` answers from now on: A records for its IPv4 addresses, AAAA for its IPv6 ones
   * (a family it has none of answers NODATA). A name never set answers NXDOMAIN.
   */
  setAddresses(name: string, addresses: readonly string[]): void;
  close(): Promise<void>;
}

const NXDOMAIN = 3;

/**
 * An authoritative DNS server over UDP on 127.0.0.1 for tests: it answers A and AAAA questions
 * from a table the test changes at will, with TTL 0 so no resolver keeps an answer (which is what
 * a DNS-rebinding attacker's server does).
 */
export async function startFakeDnsServer(initial: Readonly<Record<string, readonly string[]>> = {}): Promise<FakeDnsServer> {
  const table = new Map<string, readonly string[]>(Object.entries(initial).map(([name, addresses]) => [name.toLowerCase(), addresses]));
  const queries: FakeDnsQuery[] = [];
  const socket = createSocket('udp4');

  socket.on('message', (message: Buffer, from: RemoteInfo) => {
    let query;
    try {
      query = dnsPacket.decode(message);
    } catch {
      return;
    }
    const question = query.questions?.[0];
    if (!question) return;
    queries.push({ name: question.name, type: question.type });
    const addresses = table.get(question.name.toLowerCase());
    const matching = (addresses ?? []).filter((address) => (question.type === 'A' ? isIPv4(address) : question.type === 'AAAA' && isIPv6(address)));
    const response = dnsPacket.encode({
      type: 'response',
      id: query.id ?? 0,
      flags: dnsPacket.AUTHORITATIVE_ANSWER | dnsPacket.RECURSION_DESIRED | (addresses === undefined ? NXDOMAIN : 0),
      questions: [question],
      answers: matching.map((data) => ({ type: question.type === 'A' ? ('A' as const) : ('AAAA' as const), name: question.name, ttl: 0, data })),
    });
    socket.send(response, from.port, from.address);
  });

  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(0, '127.0.0.1', () => resolve());
  });

  return {
    server: `127.0.0.1:${socket.address().port}`,
    queries,
    setAddresses: (name, addresses) => void table.set(name.toLowerCase(), [...addresses]),
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}
