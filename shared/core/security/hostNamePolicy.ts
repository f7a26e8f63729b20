/**
 * Names that lead to the platform rather than the internet. Inside a cloud VM they resolve to the
 * metadata service (which the address check refuses too); outside it they may not resolve at all,
 * so the name itself is refused.
 */
const metadataHostNames: ReadonlySet<string> = new Set([
  'metadata',
  'metadata.google.internal',
  'metadata.goog',
  'metadata.azure.com',
  'instance-data',
  'instance-data.ec2.internal',
]);

/** Domains for local networks only (RFC 6761, RFC 6762, RFC 8375, ICANN's .internal). */
const localDomains = ['localhost', 'local', 'internal', 'home.arpa', 'localdomain'];

/**
 * Why a tenant-supplied URL must not name `hostName` (a host name, not an IP literal), or undefined
 * when its addresses decide. Case and a trailing dot do not matter.
 */
export function hostNameRefusal(hostName: string): string | undefined {
  const name = normalizeHostName(hostName);
  if (name === '') return 'an empty host name';
  if (metadataHostNames.has(name)) return 'a cloud metadata host name';
  const domain = localDomains.find((suffix) => name === suffix || name.endsWith(`.${suffix}`));
  if (domain !== undefined) return `a name under .${domain}, which is for local networks`;
  // A single label is completed by the resolver's search domains: an intranet name.
  if (!name.includes('.')) return 'a single-label name, which resolves in local search domains';
  return undefined;
}

/** Lower case without trailing dots: `Metadata.Google.Internal.` and `metadata.google.internal` are one name. */
export const normalizeHostName = (hostName: string): string => hostName.toLowerCase().replace(/\.+$/, '');
