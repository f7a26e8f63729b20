import { z } from 'zod';
import { isSupportedCountry, type CountryCode } from 'libphonenumber-js';
import { FORBIDDEN_KEYS, TARGET_PATH } from '../conversion/paths.js';
import { normalizers, type Normalizer } from './normalize.js';

/**
 * The dedupe rule-set format, one per tenant and shard type. Blocking keys decide which records
 * are compared at all; matchers score a compared pair field by field; the weighted result and the
 * evidence behind it decide whether the pair is the same entity. Everything that would make a
 * rule set unable to match is rejected here, with the path of the offending part.
 */
const field = z
  .string()
  .regex(TARGET_PATH, 'must be a dotted path of identifiers, such as "address.city"')
  .refine((path) => !path.split('.').some((key) => FORBIDDEN_KEYS.has(key)), 'must not use __proto__, prototype or constructor');

const shardType = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/, 'must be letters, digits, _ or - (up to 100)');
const share = z.number().min(0, 'must be between 0 and 1').max(1, 'must be between 0 and 1');
const normalize = z.enum(normalizers);

/** Phonetic codes only exist for words: an e-mail address, a phone number or a postcode has none. */
const WORD_NORMALIZERS: ReadonlySet<Normalizer> = new Set(['text', 'name', 'company']);
const PHONETIC = new Set(['soundex', 'doubleMetaphone']);

export const matcherKinds = ['exact', 'jaroWinkler', 'levenshtein', 'doubleMetaphone', 'soundex'] as const;
export type MatcherKind = (typeof matcherKinds)[number];

const matcher = z
  .strictObject({
    field,
    kind: z.enum(matcherKinds),
    normalize: normalize.default('text'),
    /** Similarity below this is no agreement (for the phonetic kinds: share of words that sound alike). */
    threshold: share.default(0.9),
    /** What agreement adds to the evidence. */
    weight: z.number().positive('must be above 0').default(1),
    /**
     * What disagreement costs, when both records have the field; the weight unless set. Lower it for
     * values that change over a person's life (e-mail, employer), raise it for ones that rarely differ
     * between records of one person (a given name).
     */
    mismatchWeight: z.number().min(0, 'must not be negative').optional(),
    /** Given names: known short forms ("bob", "robert") agree. */
    nicknames: z.boolean().default(false),
    /** Given names: a lone initial that fits the other name ("j", "john") is neither agreement nor disagreement. */
    initials: z.boolean().default(false),
  })
  .superRefine((m, ctx) => {
    if (PHONETIC.has(m.kind) && !WORD_NORMALIZERS.has(m.normalize)) {
      ctx.addIssue({ code: 'custom', path: ['normalize'], message: `${m.kind} compares words: use normalize "text", "name" or "company", not "${m.normalize}"` });
    }
    for (const option of ['nicknames', 'initials'] as const) {
      if (m[option] && m.normalize !== 'name') ctx.addIssue({ code: 'custom', path: [option], message: `${option} apply to given names: use normalize "name"` });
    }
  });
export type Matcher = z.infer<typeof matcher>;

export const blockingEncodings = ['value', 'initial', 'soundex', 'doubleMetaphone'] as const;
export type BlockingEncoding = (typeof blockingEncodings)[number];

const blockingPart = z
  .strictObject({
    field,
    normalize: normalize.default('text'),
    encode: z.enum(blockingEncodings).default('value'),
    /** Which word of the value is encoded: all of it, or only its first or last word. */
    word: z.enum(['all', 'first', 'last']).default('all'),
    /** Given names: the formal names a short form stands for give keys too, so "bob" meets "robert". */
    nicknames: z.boolean().default(false),
    /**
     * Double Metaphone: the alternate code ("Schmidt": XMT, alternate SMT) gives a key too. Each key
     * is a look-up block read for every record and written for every new entity, and a pair that
     * shares only an alternate code rarely agrees closely enough on the name to match.
     */
    alternates: z.boolean().default(true),
  })
  .superRefine((part, ctx) => {
    if (!part.alternates && part.encode !== 'doubleMetaphone') {
      ctx.addIssue({ code: 'custom', path: ['alternates'], message: `only Double Metaphone has alternate codes: use encode "doubleMetaphone", not "${part.encode}"` });
    }
    if (PHONETIC.has(part.encode) && !WORD_NORMALIZERS.has(part.normalize)) {
      ctx.addIssue({ code: 'custom', path: ['normalize'], message: `${part.encode} encodes words: use normalize "text", "name" or "company", not "${part.normalize}"` });
    }
    if (part.nicknames && part.normalize !== 'name') ctx.addIssue({ code: 'custom', path: ['nicknames'], message: 'nicknames apply to given names: use normalize "name"' });
  });
export type BlockingPart = z.infer<typeof blockingPart>;

/** Records sharing any key are compared; a key is made only when the record has every part's field. */
const blockingKey = z.strictObject({
  name: z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,49}$/, 'must be an identifier (up to 50)'),
  parts: z.array(blockingPart).min(1, 'needs at least one part').max(4),
});
export type BlockingKeyRule = z.infer<typeof blockingKey>;

export const mergeStrategies = ['merge_fields', 'keep_first', 'keep_most_complete'] as const;
export type MergeStrategy = (typeof mergeStrategies)[number];

export const dedupeRules = z
  .strictObject({
    shardType,
    /**
     * Without a blocking key no pair would ever be compared. Keys of the same name share their
     * values: "postcode + last name" and "postcode + first name" under one name let a record with
     * swapped names meet through the keys it already has.
     */
    blocking: z.array(blockingKey).min(1, 'needs at least one blocking key: without one no records are compared').max(10),
    matchers: z.array(matcher).min(1, 'needs at least one matcher').max(50),
    /** Share of the weighed evidence that must agree, in (0, 1]. */
    threshold: z.number().gt(0, 'must be above 0 and at most 1').max(1, 'must be above 0 and at most 1'),
    /** Agreement (sum of weight × similarity) a pair needs besides the threshold: one agreeing name is not enough. */
    minEvidence: z.number().min(0, 'must not be negative').default(0),
    /** Field pairs that sources fill the wrong way round (given and family name); each pair is also compared swapped. */
    swappableFields: z
      .array(z.tuple([field, field]).refine(([a, b]) => a !== b, 'must name two different fields'))
      .max(2)
      .default([]),
    /** Region of phone numbers written without a country code (ISO 3166 alpha-2). */
    defaultRegion: z
      .custom<CountryCode>((code) => typeof code === 'string' && isSupportedCountry(code), 'must be an ISO 3166 alpha-2 region with phone numbering, such as "US"')
      .optional(),
    /** A field holding the record's own country code, which takes precedence for its phone numbers. */
    regionField: field.optional(),
    /** How a merged shard's data is made from the records merged into it (see mergeContributions). */
    merge: z.enum(mergeStrategies).default('merge_fields'),
  })
  .superRefine((rules, ctx) => {
    const total = rules.matchers.reduce((sum, m) => sum + m.weight, 0);
    if (rules.minEvidence > total) {
      ctx.addIssue({ code: 'custom', path: ['minEvidence'], message: `${rules.minEvidence} exceeds the ${total} all matchers together can give: nothing could match` });
    }
  });
export type DedupeRules = z.infer<typeof dedupeRules>;
export type DedupeRulesInput = z.input<typeof dedupeRules>;

export interface RuleProblem {
  /** Dotted, e.g. `matchers.2.threshold`; empty for the whole rule set. */
  path: string;
  message: string;
}

export type RulesValidation = { ok: true; rules: DedupeRules } | { ok: false; problems: RuleProblem[] };

export interface ValidateOptions {
  /** The fields the shard type has (e.g. the targets of its conversion schema): any other field is reported. */
  knownFields?: Iterable<string>;
}

/** Every problem at once, each with its path: structure, ranges, combinations, unknown fields. */
export function validateDedupeRules(json: unknown, options: ValidateOptions = {}): RulesValidation {
  const parsed = dedupeRules.safeParse(json);
  const problems: RuleProblem[] = parsed.success
    ? []
    : parsed.error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message }));
  // Checked on the raw input, so an unknown field shows up even when another part is malformed.
  if (options.knownFields !== undefined) problems.push(...unknownFields(json, new Set(options.knownFields)));
  return parsed.success && problems.length === 0 ? { ok: true, rules: parsed.data } : { ok: false, problems };
}

function unknownFields(json: unknown, known: ReadonlySet<string>): RuleProblem[] {
  const raw = (json ?? {}) as { matchers?: unknown; blocking?: unknown; swappableFields?: unknown; regionField?: unknown };
  const references: Array<[path: string, value: unknown]> = [];
  const each = (list: unknown, visit: (item: unknown, index: number) => void) => {
    if (Array.isArray(list)) list.forEach(visit);
  };
  each(raw.matchers, (m, i) => references.push([`matchers.${i}.field`, (m as { field?: unknown } | null)?.field]));
  each(raw.blocking, (key, i) =>
    each((key as { parts?: unknown } | null)?.parts, (part, j) => references.push([`blocking.${i}.parts.${j}.field`, (part as { field?: unknown } | null)?.field])));
  each(raw.swappableFields, (pair, i) => each(pair, (f, j) => references.push([`swappableFields.${i}.${j}`, f])));
  if (raw.regionField !== undefined) references.push(['regionField', raw.regionField]);
  return references
    .filter((ref): ref is [string, string] => typeof ref[1] === 'string' && !known.has(ref[1]))
    .map(([path, value]) => ({ path, message: `unknown field "${value}": the shard type has ${[...known].sort().join(', ')}` }));
}
