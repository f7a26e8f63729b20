import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { dedupeRules, type DedupeRulesInput } from '../../../../shared/core/dedupe/dedupeRules.js';
import { defaultDedupeRules } from '../../../../shared/core/dedupe/defaultDedupeRules.js';
import { matchScore, prepareRecord, scorePrepared } from '../../../../shared/core/dedupe/matchScore.js';
import { areNicknames, givenNameVariants } from '../../../../shared/core/dedupe/nicknames.js';

const customer = defaultDedupeRules.customer;
const company = defaultDedupeRules.company;

const person = (fields: Record<string, unknown>) => ({
  firstName: 'Katherine', lastName: 'Johnson', email: 'kjohnson@example.com', phone: '+1 415 555 0134',
  address: { city: 'San Francisco', postcode: '94107', country: 'US' }, ...fields,
});

describe('matchScore mechanics', () => {
  const rules = (extra: Partial<DedupeRulesInput> = {}) => dedupeRules.parse({
    shardType: 'person',
    blocking: [{ name: 'email', parts: [{ field: 'email' }] }],
    matchers: [
      { field: 'email', kind: 'exact', normalize: 'email', weight: 4, mismatchWeight: 1 },
      { field: 'name', kind: 'jaroWinkler', normalize: 'name', threshold: 0.9, weight: 2 },
    ],
    threshold: 0.7,
    ...extra,
  });

  it('scores the agreeing share: agreement adds weight × similarity, disagreement its mismatch weight', () => {
    const result = matchScore({ email: 'a@x.com', name: 'Ann' }, { email: 'b@x.com', name: 'Ann' }, rules());
    expect(result).toEqual({ score: 2 / 3, evidence: 2, isMatch: false, matched: [{ field: 'name', kind: 'jaroWinkler', similarity: 1 }], swapped: false });
  });

  it('counts a field either record lacks neither way', () => {
    const result = matchScore({ email: 'a@x.com', name: 'Ann' }, { email: 'A@X.com' }, rules());
    expect(result.score).toBe(1);
    expect(result.evidence).toBe(4);
    expect(result.isMatch).toBe(true);
  });

  it('needs the minimum evidence besides the threshold', () => {
    expect(matchScore({ name: 'Ann' }, { name: 'Ann' }, rules()).isMatch).toBe(true);
    expect(matchScore({ name: 'Ann' }, { name: 'Ann' }, rules({ minEvidence: 3 })).isMatch).toBe(false);
  });

  it('treats a similarity under the matcher threshold as disagreement', () => {
    const result = matchScore({ name: 'Ann' }, { name: 'Anna-Maria' }, rules());
    expect(result.matched).toEqual([]);
    expect(result.score).toBe(0);
  });

  it('does not match two records with nothing to compare', () => {
    expect(matchScore({ other: 1 }, {}, rules())).toMatchObject({ score: 0, evidence: 0, isMatch: false });
  });
});

describe('matchScore with the default customer rules', () => {
  const matches = (a: Record<string, unknown>, b: Record<string, unknown>) => matchScore(person(a), person(b), customer).isMatch;

  it('matches the same person through typos, transpositions, diacritics and formatting', () => {
    expect(matches({}, { firstName: 'Katherien', lastName: 'Jonhson', phone: '(415) 555-0134' })).toBe(true);
    expect(matches({ firstName: 'Zoë', lastName: 'Müller' }, { firstName: 'ZOE', lastName: ' mueller ', email: null })).toBe(true);
  });

  it('matches nicknames and lone initials of the given name', () => {
    expect(matches({}, { firstName: 'Kate', email: 'kate.j@work.example' })).toBe(true);
    expect(matches({}, { firstName: 'K.', email: null })).toBe(true);
  });

  it('matches given and family name swapped', () => {
    const result = matchScore(person({}), person({ firstName: 'Johnson', lastName: 'Katherine', email: null }), customer);
    expect(result.isMatch).toBe(true);
    expect(result.swapped).toBe(true);
  });

  it('matches a changed e-mail address when phone and address still agree', () => {
    expect(matches({}, { email: 'katherine.johnson@newjob.example' })).toBe(true);
  });

  it('matches the same mailbox after a move, with typos in both names', () => {
    const moved = { firstName: 'Katherien', lastName: 'Hohnson', phone: '+44 20 7946 0958', address: { city: 'London', postcode: 'SW1A 1AA', country: 'GB' } };
    expect(matches({}, { ...moved, email: 'KJohnson@example.com', phone: null })).toBe(true);
  });

  it('lets a shared mailbox outweigh a different given name, but no shared phone or address', () => {
    expect(matches({}, { firstName: 'Trish', phone: null })).toBe(true);
    expect(matches({}, { firstName: 'Trish', email: null })).toBe(false);
  });

  it('keeps apart household members who share phone, address and family name', () => {
    expect(matches({}, { firstName: 'Michael', email: 'mike@example.com' })).toBe(false);
    expect(matches({}, { firstName: 'Michael', email: null })).toBe(false);
    expect(matches({}, { firstName: 'M.', email: null })).toBe(false);
  });

  it('keeps apart namesakes in one city with their own contacts', () => {
    expect(matches({}, { email: 'kathy.j@other.example', phone: '+1 415 555 0199', address: { city: 'San Francisco', postcode: '94110' } })).toBe(false);
    expect(matches({}, { email: null, phone: null, address: { city: 'San Francisco' } })).toBe(false);
  });

  it('explains itself with the agreeing matchers', () => {
    const result = matchScore(person({}), person({ firstName: 'Kate', phone: null }), customer);
    expect(result.matched.map((m) => `${m.field}:${m.kind}:${m.similarity}`)).toEqual([
      'email:exact:1', 'firstName:jaroWinkler:0.95', 'lastName:jaroWinkler:1', 'lastName:doubleMetaphone:1',
      'address.postcode:exact:1', 'address.city:levenshtein:1',
    ]);
  });

  it('hears family names that sound alike, and only those', () => {
    const phonetic = (a: string, b: string) =>
      matchScore(person({ lastName: a }), person({ lastName: b }), customer).matched.some((m) => m.kind === 'doubleMetaphone');
    expect(phonetic('Meyer', 'Maier')).toBe(true);
    expect(phonetic('Johnson', 'Peterson')).toBe(false);
  });
});

describe('matchScore with the default company rules', () => {
  const matches = (a: Record<string, unknown>, b: Record<string, unknown>) => matchScore(a, b, company).isMatch;

  it('matches one company under other legal forms, casing, abbreviations and typos', () => {
    const acme = { name: 'Acme International Corporation', country: 'US', city: 'Boston' };
    expect(matches(acme, { name: 'ACME Intl. Corp', country: 'US', city: 'Boston' })).toBe(true);
    expect(matches(acme, { name: 'The Acme Internatinal Inc.', city: 'Bostn' })).toBe(true);
    expect(matches({ name: 'Société Générale', country: 'FR' }, { name: 'Societe Generale SA', country: 'FR' })).toBe(true);
  });

  it('keeps apart names that only share a first word, and one name in two countries', () => {
    expect(matches({ name: 'First National Bank', city: 'Denver' }, { name: 'First National Trust', city: 'Denver' })).toBe(false);
    expect(matches({ name: 'Redwood Traders Ltd', country: 'GB', city: 'London' }, { name: 'Redwood Traders AG', country: 'DE', city: 'Berlin' })).toBe(false);
  });
});

describe('nicknames', () => {
  it('knows short forms of one formal name, and short forms of two only when they share it', () => {
    expect(areNicknames('bob', 'robert')).toBe(true);
    expect(areNicknames('liz', 'beth')).toBe(true);
    expect(areNicknames('jon', 'johnny')).toBe(true);
    expect(areNicknames('chris', 'christopher')).toBe(true);
    expect(areNicknames('christopher', 'christine')).toBe(false);
    expect(areNicknames('bob', 'bill')).toBe(false);
    expect(givenNameVariants('al').sort()).toEqual(['al', 'alan', 'albert', 'alexander']);
    expect(givenNameVariants('zebedee')).toEqual(['zebedee']);
  });
});

describe('matchScore properties', () => {
  const keys = fc.constantFrom('email', 'firstName', 'lastName', 'phone', 'company', 'address', 'name', 'country', 'city', '__proto__', 'constructor');
  const names = fc.constantFrom('Bob', 'Robert', 'Smith', 'Smyth', 'J.', 'Zoë', 'Müller', '', ' ', 'ボブ', '4155550100', 'bob@x.com');
  const value = fc.oneof(fc.jsonValue({ maxDepth: 2 }), names);
  const record = fc.oneof(
    fc.jsonValue({ maxDepth: 3 }),
    fc.dictionary(keys, fc.oneof(value, fc.dictionary(fc.constantFrom('city', 'postcode', 'country'), value)), { maxKeys: 8 }),
  );

  it.each([['customer', customer], ['company', company]] as const)('is symmetric, deterministic and never throws on any JSON (%s)', (_, rules) => {
    fc.assert(fc.property(record, record, (a, b) => {
      const forward = matchScore(a, b, rules);
      const backward = matchScore(b, a, rules);
      expect(backward.score).toBe(forward.score);
      expect(backward.isMatch).toBe(forward.isMatch);
      expect(backward.evidence).toBe(forward.evidence);
      expect(matchScore(structuredClone(a), structuredClone(b), rules)).toEqual(forward);
      expect(forward.score).toBeGreaterThanOrEqual(0);
      expect(forward.score).toBeLessThanOrEqual(1);
    }), { numRuns: 400 });
  });

  it('scores prepared records exactly as raw ones', () => {
    fc.assert(fc.property(record, record, (a, b) => {
      expect(scorePrepared(prepareRecord(a, customer), prepareRecord(b, customer), customer)).toEqual(matchScore(a, b, customer));
    }), { numRuns: 200 });
  });

  it('matches every record with itself when it has enough to compare', () => {
    expect(matchScore(person({}), person({}), customer)).toMatchObject({ score: 1, isMatch: true });
  });
});
