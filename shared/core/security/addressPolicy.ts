import ipaddr from 'ipaddr.js';

type IPv4 = ipaddr.IPv4;
type IPv6 = ipaddr.IPv6;

/** What each special-purpose range of ipaddr.js is, for messages. */
const rangeDescriptions: Readonly<Record<string, string>> = {
  unspecified: 'the unspecified address',
  broadcast: 'the broadcast address',
  multicast: 'a multicast address',
  // 169.254.169.254, where cloud metadata and managed-identity tokens are served.
  linkLocal: 'a link-local address',
  loopback: 'a loopback address',
  carrierGradeNat: 'a carrier-grade NAT address',
  private: 'a private address',
  uniqueLocal: 'a unique-local address',
  deprecatedSiteLocal: 'a site-local address',
  reserved: 'a reserved address',
  benchmarking: 'a benchmarking address',
  // Only the local-use NAT64 prefix (64:ff9b:1::/48) gets here; the well-known one is decoded.
  rfc6052: 'a local-use NAT64 address',
  // Tunnels to whatever IPv4 address its bits name.
  teredo: 'a Teredo tunnel address',
};

/** Public by range, yet the cloud's own: Azure's platform endpoint (WireServer, platform DNS, probes). */
const platformAddresses: ReadonlyMap<string, string> = new Map([['168.63.129.16', 'the Azure platform endpoint']]);

/** IPv6 global unicast space (RFC 4291 §2.4); anything outside it is special or unassigned. */
const globalUnicast = ipaddr.IPv6.parseCIDR('2000::/3');

/**
 * Why a tenant-supplied URL must not reach `address` (an IPv4 or IPv6 literal, without brackets),
 * or undefined when it may: only public unicast addresses may be reached. IPv6 forms that carry
 * an IPv4 address (IPv4-mapped, -translated, -compatible, NAT64, 6to4) are judged by that address.
 */
export function addressRefusal(address: string): string | undefined {
  if (!ipaddr.isValid(address)) return 'not an IP address';
  const parsed = ipaddr.parse(address);
  return parsed.kind() === 'ipv4' ? ipv4Refusal(parsed as IPv4) : ipv6Refusal(parsed as IPv6);
}

function ipv4Refusal(address: IPv4): string | undefined {
  const platform = platformAddresses.get(address.toString());
  if (platform !== undefined) return platform;
  const range = address.range();
  return range === 'unicast' ? undefined : describe(range);
}

function ipv6Refusal(address: IPv6): string | undefined {
  const range = address.range();
  // `::` and `::1` lie inside the IPv4-compatible block but are not IPv4 addresses.
  if (range === 'unspecified' || range === 'loopback') return describe(range);
  const embedded = embeddedIPv4(address, range);
  if (embedded) {
    const refusal = ipv4Refusal(embedded.ipv4);
    return refusal && `${embedded.form} of ${embedded.ipv4.toString()}, ${refusal}`;
  }
  if (range !== 'unicast') return describe(range);
  return address.match(globalUnicast) ? undefined : 'outside the global unicast range';
}

/** The IPv4 address an IPv6 address stands for, when it is one of the forms that carry one. */
function embeddedIPv4(address: IPv6, range: string): { form: string; ipv4: IPv4 } | undefined {
  const bytes = address.toByteArray();
  const last32 = () => new ipaddr.IPv4(bytes.slice(12, 16));
  switch (range) {
    case 'ipv4Mapped':
      return { form: 'an IPv4-mapped address', ipv4: last32() };
    case 'rfc6145':
      return { form: 'an IPv4-translated address', ipv4: last32() };
    case 'rfc6052':
      // 64:ff9b::/96 (RFC 6052 §2.1): the IPv4 address is the last 32 bits.
      return bytes.slice(4, 12).every((byte) => byte === 0) ? { form: 'a NAT64 address', ipv4: last32() } : undefined;
    case '6to4':
      // 2002:AABB:CCDD::/48 (RFC 3056 §2).
      return { form: 'a 6to4 address', ipv4: new ipaddr.IPv4(bytes.slice(2, 6)) };
    default:
      // ::a.b.c.d (RFC 4291 §2.5.5.1, deprecated).
      return bytes.slice(0, 12).every((byte) => byte === 0) ? { form: 'an IPv4-compatible address', ipv4: last32() } : undefined;
  }
}

const describe = (range: string): string => rangeDescriptions[range] ?? `a special-purpose address (${range})`;
