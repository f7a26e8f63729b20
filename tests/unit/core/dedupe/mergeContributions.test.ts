import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { mergeContributions, type Contribution } from '../../../../shared/core/dedupe/mergeContributions.js';

const shop: Contribution = {
  source: 'shop/customers/1',
  data: { email: 'ann@example.com', phone: '+14155550100', address: { city: 'San Francisco', postcode: '94103' }, company: 'Acme' },
  modifiedAt: '2026-01-01T00:00:00Z',
  joinedAt: '2026-01-01T00:00:00Z',
};
const crm: Contribution = {
  source: 'crm/contacts/9',
  data: { email: 'ann@newjob.com', phone: '', address: { city: 'Oakland', postcode: null }, title: 'CTO' },
  modifiedAt: '2026-03-01T00:00:00Z',
  joinedAt: '2026-02-01T00:00:00Z',
};

describe('merging the records of one entity', () => {
  it('merge_fields takes the newest non-empty value per field, nested fields one by one', () => {
    expect(mergeContributions([shop, crm], 'merge_fields')).toEqual({
      email: 'ann@newjob.com',
      phone: '+14155550100',
      address: { city: 'Oakland', postcode: '94103' },
      company: 'Acme',
      title: 'CTO',
    });
  });

  it('keep_first keeps the first record as it is now', () => {
    expect(mergeContributions([crm, shop], 'keep_first')).toEqual(shop.data);
  });

  it('keep_most_complete keeps the record with the most filled fields', () => {
    expect(mergeContributions([crm, shop], 'keep_most_complete')).toEqual(shop.data);
  });

  it('the result does not depend on the order the records come in', () => {
    const contribution = fc.record({
      source: fc.string({ maxLength: 5 }),
      data: fc.dictionary(fc.constantFrom('a', 'b', 'c'), fc.oneof(fc.constant(''), fc.constant(null), fc.string({ maxLength: 3 }), fc.integer())),
      modifiedAt: fc.constantFrom('2026-01-01', '2026-02-01', '2026-03-01'),
      joinedAt: fc.constantFrom('2026-01-01', '2026-02-01'),
    });
    fc.assert(
      fc.property(fc.uniqueArray(contribution, { selector: (c) => c.source, minLength: 1, maxLength: 5 }), fc.constantFrom('merge_fields', 'keep_first', 'keep_most_complete' as const), (list, strategy) => {
        expect(mergeContributions([...list].reverse(), strategy)).toEqual(mergeContributions(list, strategy));
      }),
    );
  });
});
