import { describe, expect, it } from 'vitest';
import { hostNameRefusal } from '../../../../shared/core/security/hostNamePolicy.js';

describe('host name policy', () => {
  it('refuses cloud metadata names in any case and with a trailing dot', () => {
    const names = ['metadata.google.internal', 'METADATA.Google.Internal.', 'metadata.goog', 'metadata.azure.com', 'metadata', 'instance-data', 'instance-data.ec2.internal'];
    expect(names.length).toBeGreaterThan(0);
    for (const name of names) expect(hostNameRefusal(name), name).toBe('a cloud metadata host name');
  });

  it('refuses localhost and names under local-network domains', () => {
    const names: Array<[string, string]> = [
      ['localhost', 'localhost'],
      ['localhost.', 'localhost'],
      ['shop.localhost', 'localhost'],
      ['printer.local', 'local'],
      ['db.corp.internal', 'internal'],
      ['nas.home.arpa', 'home.arpa'],
      ['box.localdomain', 'localdomain'],
    ];
    expect(names.length).toBeGreaterThan(0);
    for (const [name, domain] of names) expect(hostNameRefusal(name), name).toBe(`a name under .${domain}, which is for local networks`);
  });

  it('refuses single-label names, which the resolver completes with local search domains', () => {
    expect(hostNameRefusal('intranet')).toMatch(/single-label/);
    expect(hostNameRefusal('')).toBe('an empty host name');
  });

  it('leaves ordinary public names to their addresses', () => {
    for (const name of ['shop.example.com', 'example.org.', 'xn--bcher-kva.example', 'localhost.example.com']) {
      expect(hostNameRefusal(name), name).toBeUndefined();
    }
  });
});
