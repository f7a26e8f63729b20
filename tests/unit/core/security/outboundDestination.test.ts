import { describe, expect, it } from 'vitest';
import { judgeOutboundUrl, judgeResolvedAddresses } from '../../../../shared/core/security/outboundDestination.js';
import { emptyAllowList, parseOutboundAllowList } from '../../../../shared/core/security/outboundAllowList.js';

const refusal = (url: string, allow = '') => {
  const verdict = judgeOutboundUrl(url, parseOutboundAllowList(allow).allowList);
  return verdict.kind === 'refused' ? verdict.reason : undefined;
};

describe('outbound URL policy', () => {
  it('WHATWG URL parsing turns every numeric IPv4 spelling into the dotted quad the policy judges', () => {
    const spellings: Array<[url: string, host: string]> = [
      ['http://2852039166/', '169.254.169.254'],
      ['http://0xa9fea9fe/', '169.254.169.254'],
      ['http://0251.0376.0251.0376/', '169.254.169.254'],
      ['http://0xa9.0xfe.0xa9.0xfe/', '169.254.169.254'],
      ['http://169.254.43518/', '169.254.169.254'],
      ['http://127.1/', '127.0.0.1'],
      ['http://0/', '0.0.0.0'],
      ['http://%31%32%37.0.0.1/', '127.0.0.1'],
      ['http://127.0.0.1./', '127.0.0.1'],
      ['http://①②⑦.0.0.1/', '127.0.0.1'],
      ['http://０ｘ７ｆ.1/', '127.0.0.1'],
    ];
    expect(spellings.length).toBeGreaterThan(0);
    for (const [url, host] of spellings) {
      expect(new URL(url).hostname, url).toBe(host);
      expect(refusal(url), url).toMatch(new RegExp(`^${host.replaceAll('.', '\\.')} is (a|an|the) `));
    }
  });

  it('refuses IPv6 literals of internal addresses, IPv4 embeddings included', () => {
    const urls: Array<[string, RegExp]> = [
      ['http://[::1]:8080/', /^::1 is a loopback address$/],
      ['http://[::]/', /unspecified/],
      ['http://[fd00::1]/', /unique-local/],
      ['http://[fe80::1]/', /link-local/],
      ['http://[::ffff:169.254.169.254]/', /^::ffff:a9fe:a9fe is an IPv4-mapped address of 169\.254\.169\.254, a link-local address$/],
      ['http://[0:0:0:0:0:ffff:7f00:1]/', /IPv4-mapped address of 127\.0\.0\.1/],
      ['http://[::127.0.0.1]/', /IPv4-compatible address of 127\.0\.0\.1/],
      ['http://[64:ff9b::169.254.169.254]/', /NAT64 address of 169\.254\.169\.254/],
      ['http://[2002:a9fe:a9fe::1]/', /6to4 address of 169\.254\.169\.254/],
    ];
    expect(urls.length).toBeGreaterThan(0);
    for (const [url, reason] of urls) expect(refusal(url), url).toMatch(reason);
  });

  it('refuses internal IPv4 literals, the managed-identity token path included', () => {
    expect(refusal('http://169.254.169.254/metadata/identity/oauth2/token?resource=https://vault.azure.net')).toBe(
      '169.254.169.254 is a link-local address',
    );
    expect(refusal('https://10.0.0.8/shop')).toBe('10.0.0.8 is a private address');
    expect(refusal('http://192.168.0.1:8080')).toBe('192.168.0.1 is a private address');
    expect(refusal('http://100.100.100.200/latest/meta-data')).toBe('100.100.100.200 is a carrier-grade NAT address');
  });

  it('refuses metadata and local host names however they are written', () => {
    expect(refusal('http://metadata.google.internal/computeMetadata/v1/')).toBe('metadata.google.internal is a cloud metadata host name');
    expect(refusal('http://METADATA.google.internal./')).toBe('metadata.google.internal is a cloud metadata host name');
    expect(refusal('http://metadata.azure.com/')).toBe('metadata.azure.com is a cloud metadata host name');
    expect(refusal('http://instance-data/latest/')).toBe('instance-data is a cloud metadata host name');
    expect(refusal('http://LOCALHOST:7071/')).toMatch(/^localhost is a name under \.localhost/);
    expect(refusal('http://api.localhost/')).toMatch(/^api\.localhost is a name under \.localhost/);
  });

  it('accepts only http and https URLs without credentials', () => {
    expect(refusal('file:///etc/passwd')).toBe('the scheme is file:, not http: or https:');
    expect(refusal('ftp://files.example.com/')).toBe('the scheme is ftp:, not http: or https:');
    expect(refusal('gopher://example.com:70/')).toBe('the scheme is gopher:, not http: or https:');
    expect(refusal('javascript:alert(1)')).toBe('the scheme is javascript:, not http: or https:');
    expect(refusal('http://user:pass@example.com/')).toBe('it carries a user name or password');
    expect(refusal('https://token@example.com/')).toBe('it carries a user name or password');
    for (const text of ['not a url', '', 'http:', 'http://', '//example.com']) expect(refusal(text), text).toBe('it is not a URL');
  });

  it('leaves public names to their addresses and lets public literals through', () => {
    expect(judgeOutboundUrl('https://shop.example.com/store', emptyAllowList)).toEqual({ kind: 'resolve', hostName: 'shop.example.com' });
    expect(judgeOutboundUrl('https://93.184.216.34/', emptyAllowList)).toEqual({ kind: 'allowed' });
    expect(judgeOutboundUrl('https://[2606:4700:4700::1111]/', emptyAllowList)).toEqual({ kind: 'allowed' });
  });

  it('the allow-list lets its addresses, ranges and names through and nothing next to them', () => {
    const allow = '127.0.0.1,10.1.0.0/16,localhost,store.corp.internal';
    expect(refusal('http://127.0.0.1:8080/', allow)).toBeUndefined();
    expect(refusal('http://[::ffff:127.0.0.1]/', allow)).toBeUndefined();
    expect(refusal('http://127.0.0.2/', allow)).toBe('127.0.0.2 is a loopback address');
    expect(refusal('http://10.1.9.9/', allow)).toBeUndefined();
    expect(refusal('http://10.2.0.1/', allow)).toBe('10.2.0.1 is a private address');
    expect(refusal('http://localhost:7071/', allow)).toBeUndefined();
    expect(refusal('http://store.corp.internal/', allow)).toBeUndefined();
    expect(refusal('http://other.corp.internal/', allow)).toMatch(/^other\.corp\.internal is a name under \.internal/);
    // The allow-list never makes another scheme or credentials acceptable.
    expect(refusal('file://localhost/etc/passwd', allow)).toBe('the scheme is file:, not http: or https:');
  });
});

describe('resolved addresses', () => {
  it('a name is refused when any address it resolves to is internal, naming that address', () => {
    expect(judgeResolvedAddresses('shop.example.com', ['93.184.216.34', '10.0.0.5'], emptyAllowList)).toBe(
      'shop.example.com resolves to 10.0.0.5, a private address',
    );
    expect(judgeResolvedAddresses('v6.example.com', ['2606:4700::1', '::ffff:169.254.169.254'], emptyAllowList)).toMatch(
      /^v6\.example\.com resolves to ::ffff:169\.254\.169\.254, an IPv4-mapped address of 169\.254\.169\.254/,
    );
  });

  it('a name whose addresses are all public or allowed passes', () => {
    expect(judgeResolvedAddresses('shop.example.com', ['93.184.216.34', '2606:4700::1'], emptyAllowList)).toBeUndefined();
    expect(judgeResolvedAddresses('dev.example.com', ['127.0.0.1'], parseOutboundAllowList('127.0.0.1').allowList)).toBeUndefined();
  });
});
