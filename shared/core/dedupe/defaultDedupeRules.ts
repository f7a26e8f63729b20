import { dedupeRules, type DedupeRules, type DedupeRulesInput } from './dedupeRules.js';

/**
 * Rules a tenant starts from. The weights follow how strongly each field identifies an entity in
 * real records, not any test set:
 * - an equal e-mail address is close to proof, being personal; an equal phone number or address
 *   less so, since a household shares them;
 * - all of them change (moves, new jobs), so a difference costs less than agreement gains, and a
 *   family name changes with marriage;
 * - a clearly different given name is strong evidence of another person (a household shares
 *   phone, address and family name), so it costs more than it gains: only a shared e-mail
 *   address outweighs it;
 * - a shared name alone, even with the city, is not enough (minEvidence): many people share one.
 */
const customer: DedupeRulesInput = {
  shardType: 'customer',
  blocking: [
    { name: 'email', parts: [{ field: 'email', normalize: 'email' }] },
    { name: 'phone', parts: [{ field: 'phone', normalize: 'phone' }] },
    // A name within a postcode: the same person who changed both e-mail and phone, or typed them
    // differently. Either name is enough (a typo in one, a nickname in the other), and one key name
    // for both puts them in one namespace: a swapped record's keys are the same keys, not more.
    // There is no key on the name alone: its blocks fill with namesakes after a few thousand
    // records, and a pair that shares nothing but a name cannot reach the evidence the rules ask
    // for unless the company agrees as well, without a contradicting e-mail or phone.
    // Primary codes only: alternates added a tenth to every new entity's look-up writes and found
    // no duplicate more on the labeled data, as the name matchers must agree on the spelling anyway.
    { name: 'postcodeName', parts: [{ field: 'address.postcode', normalize: 'postcode' }, { field: 'lastName', normalize: 'name', encode: 'doubleMetaphone', alternates: false }] },
    { name: 'postcodeName', parts: [{ field: 'address.postcode', normalize: 'postcode' }, { field: 'firstName', normalize: 'name', encode: 'doubleMetaphone', nicknames: true, alternates: false }] },
  ],
  matchers: [
    { field: 'email', kind: 'exact', normalize: 'email', weight: 8, mismatchWeight: 2 },
    { field: 'phone', kind: 'exact', normalize: 'phone', weight: 4, mismatchWeight: 1.5 },
    { field: 'firstName', kind: 'jaroWinkler', normalize: 'name', threshold: 0.9, weight: 1.5, mismatchWeight: 5, nicknames: true, initials: true },
    { field: 'lastName', kind: 'jaroWinkler', normalize: 'name', threshold: 0.9, weight: 2, mismatchWeight: 2 },
    // Sounds-alike spellings ("Meyer", "Maier") that typo-oriented measures miss; silent when it disagrees.
    { field: 'lastName', kind: 'doubleMetaphone', normalize: 'name', threshold: 1, weight: 0.5, mismatchWeight: 0 },
    { field: 'company', kind: 'levenshtein', normalize: 'company', threshold: 0.85, weight: 1, mismatchWeight: 0.25 },
    { field: 'address.postcode', kind: 'exact', normalize: 'postcode', weight: 1.5, mismatchWeight: 1 },
    { field: 'address.city', kind: 'levenshtein', normalize: 'text', threshold: 0.8, weight: 0.5, mismatchWeight: 0.5 },
  ],
  threshold: 0.65,
  minEvidence: 5,
  swappableFields: [['firstName', 'lastName']],
  defaultRegion: 'US',
  regionField: 'address.country',
};

/**
 * Companies: the name carries nearly everything once legal forms are gone; a different country
 * usually means another legal entity (a subsidiary), while a different city is often just another
 * office. Levenshtein rather than Jaro-Winkler for the name: a shared first word ("First National
 * Bank", "First National Trust") must not count as a near match.
 */
function companyRules(shardType: string): DedupeRulesInput {
  return {
    shardType,
    blocking: [
      { name: 'nameFirstWord', parts: [{ field: 'name', normalize: 'company', encode: 'doubleMetaphone', word: 'first' }] },
      { name: 'nameLastWord', parts: [{ field: 'name', normalize: 'company', encode: 'doubleMetaphone', word: 'last' }] },
    ],
    matchers: [
      { field: 'name', kind: 'levenshtein', normalize: 'company', threshold: 0.85, weight: 4, mismatchWeight: 4 },
      { field: 'name', kind: 'doubleMetaphone', normalize: 'company', threshold: 1, weight: 1, mismatchWeight: 0 },
      { field: 'country', kind: 'exact', normalize: 'text', weight: 1, mismatchWeight: 3 },
      { field: 'city', kind: 'levenshtein', normalize: 'text', threshold: 0.8, weight: 1, mismatchWeight: 2 },
    ],
    threshold: 0.75,
    minEvidence: 4,
  };
}

export const defaultDedupeRules: Readonly<Record<'customer' | 'company' | 'company_profile', DedupeRules>> = {
  customer: dedupeRules.parse(customer),
  company: dedupeRules.parse(companyRules('company')),
  company_profile: dedupeRules.parse(companyRules('company_profile')),
};
