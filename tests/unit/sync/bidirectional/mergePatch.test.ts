import { describe, expect, it } from 'vitest';
import { applyMergePatch } from '../../../../shared/sync/bidirectional/localEdits.js';

describe('a JSON merge patch of shard data (RFC 7396)', () => {
  it('merges objects key by key, removes with null and replaces everything else', () => {
    const data = { name: 'Ann', address: { city: 'Oslo', postcode: '0150' }, tags: ['a'] };
    expect(applyMergePatch(data, { address: { city: 'Bergen', postcode: null }, tags: ['b'], phone: '+47' })).toEqual({
      name: 'Ann',
      address: { city: 'Bergen' },
      tags: ['b'],
      phone: '+47',
    });
    expect(data.address.city).toBe('Oslo');
  });
});
