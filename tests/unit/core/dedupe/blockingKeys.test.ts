import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { blockingKeys } from '../../../../shared/core/dedupe/blockingKeys.js';
import { dedupeRules } from '../../../../shared/core/dedupe/dedupeRules.js';
import { defaultDedupeRules } from '../../../../shared/core/dedupe/defaultDedupeRules.js';

const customer = defaultDedupeRules.customer;
const company = defaultDedupeRules.company;

const shared = (a: unknown, b: unknown, rules = customer) => blockingKeys(a, rules).filter((key) => blockingKeys(b, rules).includes(key));

describe('blockingKeys', () => {
  it('keys a record by its canonical e-mail and E.164 phone, whatever their spelling', () => {
    const keys = blockingKeys({ email: ' John.Smith+shop@GMAIL.com', phone: '+1 (415) 555-0100' }, customer);
    expect(keys).toEqual(['email:johnsmith@gmail.com', 'phone:+14155550100']);
    expect(shared({ phone: '+1 (415) 555-0100' }, { phone: '4155550100' })).toEqual(['phone:+14155550100']);
  });

  it('reads national phone numbers in the region of the record, else the default region', () => {
    expect(blockingKeys({ phone: '020 7946 0958', address: { country: 'gb' } }, customer)).toEqual(['phone:+442079460958']);
    expect(blockingKeys({ phone: '(415) 555-0100', address: { country: 'Narnia' } }, customer)).toEqual(['phone:+14155550100']);
  });

  it('brings typos, nicknames and diacritics of a name within a postcode into one block', () => {
    const address = { postcode: '94103' };
    const robert = { firstName: 'Robert', lastName: 'Smith', address };
    expect(shared(robert, { firstName: 'Bob', lastName: 'Smyth', address })).toEqual(expect.arrayContaining(['postcodeName:94103|RPRT', 'postcodeName:94103|SM0']));
    expect(shared({ firstName: 'Zoë', lastName: 'Müller', address }, { firstName: 'ZOE', lastName: 'Muller', address })).toContain('postcodeName:94103|MLR');
  });

  it('brings a record with given and family name swapped into the blocks of the original', () => {
    const address = { postcode: '94103' };
    expect(shared({ firstName: 'John', lastName: 'Smith', address }, { firstName: 'Smith', lastName: 'John', address })).toEqual(
      blockingKeys({ firstName: 'John', lastName: 'Smith', address }, customer),
    );
  });

  it('keys no record by its name alone: namesakes are too many for a block', () => {
    expect(blockingKeys({ firstName: 'John', lastName: 'Smith' }, customer)).toEqual([]);
  });

  it('keys a family name with a mistyped first letter through the postcode', () => {
    const keys = shared({ firstName: 'Sophia', lastName: 'Russo', address: { postcode: '10039' } }, { firstName: 'Sophia', lastName: 'Eusso', address: { postcode: '10039' } });
    expect(keys.some((key) => key.startsWith('postcodeName:10039|'))).toBe(true);
  });

  it('gives keys of the same name one namespace, so a record with swapped names has the same postcode keys', () => {
    const straight = { firstName: 'Deborah', lastName: 'Campbell', address: { postcode: '78717' } };
    const swapped = { firstName: 'Campbell', lastName: 'Deborah', address: { postcode: '78717' } };
    const postcodeKeys = (data: unknown) => blockingKeys(data, customer).filter((key) => key.startsWith('postcodeName:'));
    expect(postcodeKeys(straight)).toEqual(['postcodeName:78717|KMPL', 'postcodeName:78717|TPR']);
    expect(postcodeKeys(swapped)).toEqual(postcodeKeys(straight));
  });

  it("keys a name by its alternate Double Metaphone code only when the rule asks for alternates", () => {
    const rules = (alternates: boolean) =>
      dedupeRules.parse({
        shardType: 'customer',
        blocking: [{ name: 'pn', parts: [{ field: 'postcode', normalize: 'postcode' }, { field: 'lastName', normalize: 'name', encode: 'doubleMetaphone', alternates }] }],
        matchers: [{ field: 'lastName', kind: 'jaroWinkler', normalize: 'name' }],
        threshold: 0.9,
      });
    const schmidt = { lastName: 'Schmidt', postcode: '10115' };
    const smith = { lastName: 'Smith', postcode: '10115' };
    expect(blockingKeys(schmidt, rules(true))).toEqual(['pn:10115|SMT', 'pn:10115|XMT']);
    expect(shared(schmidt, smith, rules(true))).toEqual(['pn:10115|XMT']);
    expect(blockingKeys(schmidt, rules(false))).toEqual(['pn:10115|XMT']);
    expect(shared(schmidt, smith, rules(false))).toEqual([]);
    // The default rules key names by their primary code: one postcode key per name of one code each.
    expect(blockingKeys({ firstName: 'William', lastName: 'Schmidt', address: { postcode: '10115' } }, customer).filter((key) => key.startsWith('postcodeName:'))).toEqual([
      'postcodeName:10115|ALM',
      'postcodeName:10115|XMT',
    ]);
  });

  it('gives a record missing blocking fields no fuzzy key, only the exact keys it has', () => {
    expect(blockingKeys({ firstName: 'Bob', email: 'bob@example.com' }, customer)).toEqual(['email:bob@example.com']);
    expect(blockingKeys({ firstName: 'Bob' }, customer)).toEqual([]);
    expect(blockingKeys({ lastName: '   ', firstName: null }, customer)).toEqual([]);
  });

  it('encodes the chosen word of a company name, legal form and fillers gone', () => {
    expect(blockingKeys({ name: 'The Acme Widgets Corp.' }, company)).toEqual(['nameFirstWord:AKM', 'nameLastWord:AJTS', 'nameLastWord:FJTS']);
    expect(shared({ name: 'Acme Widgets Inc' }, { name: 'ACME Widgetz' }, company)).toContain('nameFirstWord:AKM');
  });

  it('combines the parts of a key, every variant of each', () => {
    const rules = dedupeRules.parse({
      shardType: 'person',
      blocking: [{ name: 'k', parts: [{ field: 'first', normalize: 'name', encode: 'initial', nicknames: true }, { field: 'city', encode: 'value' }] }],
      matchers: [{ field: 'first', kind: 'exact' }],
      threshold: 1,
    });
    expect(blockingKeys({ first: 'Liz', city: 'Bath' }, rules)).toEqual(['k:e|bath', 'k:l|bath']);
  });

  it('never throws on arbitrary data, and gives sorted distinct keys', () => {
    const shaped = fc.record({
      email: fc.jsonValue(), firstName: fc.jsonValue(), lastName: fc.jsonValue(), phone: fc.jsonValue(),
      address: fc.oneof(fc.jsonValue(), fc.record({ postcode: fc.jsonValue(), country: fc.jsonValue() })),
    }, { requiredKeys: [] });
    fc.assert(fc.property(fc.oneof(fc.jsonValue(), shaped), (data) => {
      const keys = blockingKeys(data, customer);
      expect(keys).toEqual([...new Set(keys)].sort());
    }), { numRuns: 500 });
  });
});
