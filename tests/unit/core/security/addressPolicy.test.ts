import { describe, expect, it } from 'vitest';
import { addressRefusal } from '../../../../shared/core/security/addressPolicy.js';

/** Each internal form with the words the refusal must use. */
const refused: Array<[address: string, reason: RegExp]> = [
  ['127.0.0.1', /loopback/],
  ['127.255.255.254', /loopback/],
  ['10.0.0.1', /private/],
  ['172.16.0.1', /private/],
  ['172.31.255.255', /private/],
  ['192.168.1.1', /private/],
  ['169.254.169.254', /link-local/],
  ['169.254.0.1', /link-local/],
  ['0.0.0.0', /unspecified/],
  ['0.1.2.3', /unspecified/],
  ['100.64.0.1', /carrier-grade NAT/],
  ['100.127.255.255', /carrier-grade NAT/],
  ['224.0.0.1', /multicast/],
  ['239.255.255.250', /multicast/],
  ['255.255.255.255', /broadcast/],
  ['240.0.0.1', /reserved/],
  ['192.0.0.192', /reserved/],
  ['192.0.2.1', /reserved/],
  ['198.18.0.1', /reserved/],
  ['168.63.129.16', /Azure platform/],
  ['::1', /loopback/],
  ['::', /unspecified/],
  ['fe80::1', /link-local/],
  ['fd00::1', /unique-local/],
  ['fc00::1', /unique-local/],
  ['fd00:ec2::254', /unique-local/],
  ['fec0::1', /site-local/],
  ['ff02::1', /multicast/],
  ['::ffff:169.254.169.254', /IPv4-mapped address of 169\.254\.169\.254, a link-local/],
  ['::ffff:a9fe:a9fe', /IPv4-mapped address of 169\.254\.169\.254/],
  ['::ffff:127.0.0.1', /IPv4-mapped address of 127\.0\.0\.1, a loopback/],
  ['::ffff:10.0.0.1', /IPv4-mapped address of 10\.0\.0\.1, a private/],
  ['::a9fe:a9fe', /IPv4-compatible address of 169\.254\.169\.254/],
  // How a resolver prints ::a9fe:a9fe (ipaddr.js reads this spelling as IPv4-mapped: the same verdict).
  ['::169.254.169.254', /of 169\.254\.169\.254, a link-local/],
  ['::7f00:1', /IPv4-compatible address of 127\.0\.0\.1/],
  ['::ffff:0:a9fe:a9fe', /IPv4-translated address of 169\.254\.169\.254/],
  ['64:ff9b::a9fe:a9fe', /NAT64 address of 169\.254\.169\.254/],
  ['64:ff9b::127.0.0.1', /NAT64 address of 127\.0\.0\.1/],
  ['64:ff9b:1::1', /local-use NAT64/],
  ['2002:a9fe:a9fe::', /6to4 address of 169\.254\.169\.254/],
  ['2002:7f00:1::1', /6to4 address of 127\.0\.0\.1/],
  ['2001:0:4136:e378:8000:63bf:3fff:fdd2', /Teredo/],
  ['2001:db8::1', /reserved/],
  ['100::1', /special-purpose/],
  ['1::1', /outside the global unicast range/],
];

const publicAddresses = [
  '93.184.216.34',
  '8.8.8.8',
  '1.1.1.1',
  '172.32.0.1',
  '100.128.0.1',
  '169.255.0.1',
  '2606:4700:4700::1111',
  '2a00:1450:4001:80b::200e',
  '::ffff:93.184.216.34',
  '64:ff9b::5db8:d822',
  '2002:5db8:d822::1',
];

describe('address policy', () => {
  it('refuses every internal, special-purpose and embedded-internal address, saying what it is', () => {
    expect(refused.length).toBeGreaterThan(0);
    for (const [address, reason] of refused) expect(addressRefusal(address), address).toMatch(reason);
  });

  it('lets public unicast addresses through, also when IPv6 forms carry a public IPv4 address', () => {
    expect(publicAddresses.length).toBeGreaterThan(0);
    for (const address of publicAddresses) expect(addressRefusal(address), address).toBeUndefined();
  });

  it('refuses what is not an address at all', () => {
    expect(addressRefusal('example.com')).toBe('not an IP address');
  });
});
