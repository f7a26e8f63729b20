import { describe, expect, it } from 'vitest';
import { BUILTIN_SCHEMAS } from '../../../../shared/connectors/woocommerce/wooCommerceBuiltinSchemas.js';
import { validateDedupeRules, type DedupeRulesInput } from '../../../../shared/core/dedupe/dedupeRules.js';
import { defaultDedupeRules } from '../../../../shared/core/dedupe/defaultDedupeRules.js';

const minimal: DedupeRulesInput = {
  shardType: 'customer',
  blocking: [{ name: 'email', parts: [{ field: 'email', normalize: 'email' }] }],
  matchers: [{ field: 'email', kind: 'exact', normalize: 'email' }],
  threshold: 0.8,
};

function problems(json: unknown, knownFields?: string[]): string[] {
  const result = validateDedupeRules(json, knownFields === undefined ? {} : { knownFields });
  return result.ok ? [] : result.problems.map((p) => `${p.path}: ${p.message}`);
}

/** The targets a conversion schema writes, derived shards' included: the fields its shards have. */
function targets(fields: readonly { to: string | readonly string[] }[]): string[] {
  return fields.flatMap((field) => (typeof field.to === 'string' ? [field.to] : [...field.to]));
}

describe('validateDedupeRules', () => {
  it('accepts a minimal rule set and fills in the defaults', () => {
    const result = validateDedupeRules(minimal);
    expect(result).toEqual({
      ok: true,
      rules: {
        shardType: 'customer',
        blocking: [{ name: 'email', parts: [{ field: 'email', normalize: 'email', encode: 'value', word: 'all', nicknames: false, alternates: true }] }],
        matchers: [{ field: 'email', kind: 'exact', normalize: 'email', threshold: 0.9, weight: 1, nicknames: false, initials: false }],
        threshold: 0.8,
        minEvidence: 0,
        swappableFields: [],
        merge: 'merge_fields',
      },
    });
  });

  it('accepts the default rules against the fields the built-in WooCommerce schema writes', () => {
    const customers = BUILTIN_SCHEMAS['woocommerce/customers'];
    const customerFields = targets(customers.fields);
    const companyFields = targets(customers.derived[0]!.fields);
    expect(problems(defaultDedupeRules.customer, customerFields)).toEqual([]);
    expect(problems(defaultDedupeRules.company_profile, companyFields)).toEqual([]);
    expect(problems(defaultDedupeRules.company, companyFields)).toEqual([]);
  });

  it('rejects thresholds outside their range, with the path of each', () => {
    const found = problems({
      ...minimal,
      threshold: 1.2,
      matchers: [{ field: 'email', kind: 'exact', threshold: -0.1 }, { field: 'lastName', kind: 'jaroWinkler', threshold: 2 }],
    });
    expect(found).toContain('threshold: must be above 0 and at most 1');
    expect(found).toContain('matchers.0.threshold: must be between 0 and 1');
    expect(found).toContain('matchers.1.threshold: must be between 0 and 1');
    expect(problems({ ...minimal, threshold: 0 })).toEqual(['threshold: must be above 0 and at most 1']);
  });

  it('rejects unknown matcher kinds, normalisers and encodings', () => {
    const found = problems({
      ...minimal,
      blocking: [{ name: 'email', parts: [{ field: 'email', encode: 'md5' }] }],
      matchers: [{ field: 'email', kind: 'cosine' }, { field: 'email', kind: 'exact', normalize: 'upper' }],
    });
    expect(found.map((p) => p.slice(0, p.indexOf(':')))).toEqual(
      expect.arrayContaining(['blocking.0.parts.0.encode', 'matchers.0.kind', 'matchers.1.normalize']),
    );
  });

  it('rejects fields the shard type does not have when it knows its fields', () => {
    const json = {
      ...minimal,
      blocking: [{ name: 'pc', parts: [{ field: 'address.zip' }] }],
      matchers: [{ field: 'emial', kind: 'exact' }],
      swappableFields: [['firstName', 'surname']],
      regionField: 'country',
    };
    expect(problems(json)).toEqual([]);
    const known = ['email', 'firstName', 'lastName', 'address.postcode'];
    expect(problems(json, known)).toEqual([
      'matchers.0.field: unknown field "emial": the shard type has address.postcode, email, firstName, lastName',
      'blocking.0.parts.0.field: unknown field "address.zip": the shard type has address.postcode, email, firstName, lastName',
      'swappableFields.0.1: unknown field "surname": the shard type has address.postcode, email, firstName, lastName',
      'regionField: unknown field "country": the shard type has address.postcode, email, firstName, lastName',
    ]);
  });

  it('reports an unknown field even when another part of the rule set is malformed', () => {
    expect(problems({ ...minimal, threshold: 5, matchers: [{ field: 'nope', kind: 'exact' }] }, ['email'])).toEqual([
      'threshold: must be above 0 and at most 1',
      'matchers.0.field: unknown field "nope": the shard type has email',
    ]);
  });

  it('rejects rule sets that could never match', () => {
    expect(problems({ ...minimal, blocking: [] })).toEqual(['blocking: needs at least one blocking key: without one no records are compared']);
    expect(problems({ ...minimal, matchers: [] })).toEqual(['matchers: needs at least one matcher']);
    expect(problems({ ...minimal, minEvidence: 3 })).toEqual(['minEvidence: 3 exceeds the 1 all matchers together can give: nothing could match']);
    expect(problems({ ...minimal, matchers: [{ field: 'email', kind: 'exact', weight: 0 }] })).toEqual(['matchers.0.weight: must be above 0']);
  });

  it('rejects combinations that compare nothing', () => {
    const found = problems({
      ...minimal,
      blocking: [
        { name: 'phone', parts: [{ field: 'phone', normalize: 'phone', encode: 'soundex' }] },
        { name: 'city', parts: [{ field: 'city', encode: 'soundex', alternates: false }] },
      ],
      matchers: [
        { field: 'email', kind: 'doubleMetaphone', normalize: 'email' },
        { field: 'city', kind: 'jaroWinkler', nicknames: true, initials: true },
      ],
    });
    expect(found).toEqual([
      'blocking.0.parts.0.normalize: soundex encodes words: use normalize "text", "name" or "company", not "phone"',
      'blocking.1.parts.0.alternates: only Double Metaphone has alternate codes: use encode "doubleMetaphone", not "soundex"',
      'matchers.0.normalize: doubleMetaphone compares words: use normalize "text", "name" or "company", not "email"',
      'matchers.1.nicknames: nicknames apply to given names: use normalize "name"',
      'matchers.1.initials: initials apply to given names: use normalize "name"',
    ]);
  });

  it('rejects a field swapped with itself and unknown regions', () => {
    const found = problems({
      ...minimal,
      swappableFields: [['firstName', 'firstName']],
      defaultRegion: 'UK',
    });
    expect(found).toEqual(expect.arrayContaining([
      'swappableFields.0: must name two different fields',
      'defaultRegion: must be an ISO 3166 alpha-2 region with phone numbering, such as "US"',
    ]));
  });

  it('rejects paths that would reach the prototype, and anything that is not a rule set', () => {
    expect(problems({ ...minimal, matchers: [{ field: '__proto__.x', kind: 'exact' }] })).toEqual(['matchers.0.field: must not use __proto__, prototype or constructor']);
    expect(problems(null)).toEqual([': Invalid input: expected object, received null']);
    expect(problems({ ...minimal, extra: true })).toEqual([': Unrecognized key: "extra"']);
  });
});
