import { describe, expect, it } from 'vitest';
import { allowsAddress, allowsHostName, parseOutboundAllowList } from '../../../../shared/core/security/outboundAllowList.js';

describe('outbound allow-list', () => {
  it('reads IP addresses, CIDR ranges and host names, ignoring blanks and spaces', () => {
    const { allowList, problems } = parseOutboundAllowList(' 127.0.0.1, ::1 ,10.1.0.0/16,, fd00:1::/32, Store.Dev.Example. ,[::2]');
    expect(problems).toEqual([]);
    expect(allowList.hostNames).toEqual(['store.dev.example']);
    expect(allowList.ranges.map(([network, bits]) => `${network.toString()}/${bits}`)).toEqual([
      '127.0.0.1/32',
      '::1/128',
      '10.1.0.0/16',
      'fd00:1::/32',
      '::2/128',
    ]);
  });

  it('names every entry that is none of these', () => {
    const { problems } = parseOutboundAllowList('127.0.0.1,not a host!,10.0.0.0/33,127.1,0x7f000001,http://127.0.0.1');
    expect(problems).toEqual([
      '"not a host!" is not an IP address, a CIDR range or a host name',
      '"10.0.0.0/33" is not an IP address, a CIDR range or a host name',
      '"127.1" is not an IP address, a CIDR range or a host name',
      '"0x7f000001" is not an IP address, a CIDR range or a host name',
      '"http://127.0.0.1" is not an IP address, a CIDR range or a host name',
    ]);
  });

  it('an address entry lets exactly that address through, also in its IPv4-mapped form', () => {
    const { allowList } = parseOutboundAllowList('127.0.0.1');
    expect(allowsAddress(allowList, '127.0.0.1')).toBe(true);
    expect(allowsAddress(allowList, '::ffff:127.0.0.1')).toBe(true);
    expect(allowsAddress(allowList, '127.0.0.2')).toBe(false);
    expect(allowsAddress(allowList, '::1')).toBe(false);
  });

  it('a range entry lets its addresses through and no others', () => {
    const { allowList } = parseOutboundAllowList('10.1.0.0/16,fd00:1::/32');
    expect(allowsAddress(allowList, '10.1.255.3')).toBe(true);
    expect(allowsAddress(allowList, '10.2.0.1')).toBe(false);
    expect(allowsAddress(allowList, 'fd00:1:ffff::9')).toBe(true);
    expect(allowsAddress(allowList, 'fd00:2::9')).toBe(false);
  });

  it('a host name entry matches that name whatever its case or trailing dot, and not its subdomains', () => {
    const { allowList } = parseOutboundAllowList('store.dev.example');
    expect(allowsHostName(allowList, 'STORE.dev.example.')).toBe(true);
    expect(allowsHostName(allowList, 'evil.store.dev.example')).toBe(false);
  });

  it('is empty by default', () => {
    const { allowList, problems } = parseOutboundAllowList('');
    expect(problems).toEqual([]);
    expect(allowsAddress(allowList, '127.0.0.1')).toBe(false);
  });
});
