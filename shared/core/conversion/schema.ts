import { z } from 'zod';
import jsonata from 'jsonata';
import { FORBIDDEN_KEYS, SOURCE_PATH, TARGET_PATH } from './paths.js';
import { compileDateFormat } from './transforms/dateFormats.js';
import { isTimeZone } from './transforms/timeZone.js';
import { UNITS, unitNames } from './transforms/units.js';

/**
 * The conversion-schema format. Every semantic check (regexes, date formats, time zones,
 * JSONata syntax) sits on the leaf it concerns, so one parse reports every problem with its path.
 */
const sourcePath = z
  .string()
  .regex(SOURCE_PATH, 'must be a path such as "billing.email", "line_items[0].sku", "line_items[*].sku" or "$" (the whole record)')
  .refine((path) => !path.split(/[.[\]]/).some((key) => FORBIDDEN_KEYS.has(key)), 'must not use __proto__, prototype or constructor');
const targetPath = z
  .string()
  .regex(TARGET_PATH, 'must be a dotted path of identifiers')
  .refine((path) => !path.split('.').some((key) => FORBIDDEN_KEYS.has(key)), 'must not use __proto__, prototype or constructor');

// Registered under a name (not `.meta`, which copies): the recursion inside refers to this instance.
export const json: z.ZodType<unknown> = z.json().register(z.globalRegistry, { id: 'JsonValue', description: 'Any JSON value.' });

const regexSource = z.string().min(1).refine((pattern) => compiles(() => new RegExp(pattern, 'u')), 'invalid regex');
/** Stateful flags (g, y) would make results depend on earlier records. */
const regexFlags = z.string().regex(/^(?!.*(.).*\1)[imsu]*$/, 'flags must be a subset of "imsu"');

export const predicate = z
  .strictObject({ path: sourcePath.optional(), exists: z.boolean().optional(), equals: json.optional(), in: z.array(json).min(1).optional() })
  .refine((p) => [p.exists, p.equals, p.in].filter((x) => x !== undefined).length === 1, 'needs exactly one of exists, equals, in');
export type Predicate = z.infer<typeof predicate>;

const trim = z.strictObject({ op: z.literal('trim') });
const caseOp = z.strictObject({ op: z.literal('case'), mode: z.enum(['lower', 'upper', 'title']) });
const split = z.strictObject({
  op: z.literal('split'),
  separator: z.string().min(1),
  index: z.int().min(0).optional(),
  /** At most this many parts, the last keeping the rest (e.g. 2 for first/last name). */
  parts: z.int().min(1).optional(),
});
const concat = z.strictObject({ op: z.literal('concat'), separator: z.string().default('') });
const template = z.strictObject({ op: z.literal('template'), template: z.string() });
const number = z.strictObject({
  op: z.literal('number'),
  decimal: z.string().length(1).default('.'),
  thousands: z.string().max(1).default(''),
}).refine((n) => n.decimal !== n.thousands, 'decimal and thousands separators must differ');
const boolean = z.strictObject({ op: z.literal('boolean'), truthy: z.array(z.string()).optional(), falsy: z.array(z.string()).optional() });
const date = z.strictObject({
  op: z.literal('date'),
  formats: z.array(z.string().refine((format) => compiles(() => compileDateFormat(format)), 'invalid date format (use iso, epoch_s, epoch_ms or YYYY MM DD HH mm ss SSS tokens)')).min(1),
  timeZone: z.string().refine(isTimeZone, 'unknown IANA time zone').default('UTC'),
});
const lookup = z.strictObject({ op: z.literal('lookup'), map: z.record(z.string(), json), default: json.optional() });
const enumOp = z.strictObject({ op: z.literal('enum'), values: z.record(z.string(), json), default: json.optional() });
const defaultOp = z.strictObject({ op: z.literal('default'), value: json });
const coalesce = z.strictObject({ op: z.literal('coalesce') });
const regex = z.strictObject({ op: z.literal('regex'), pattern: regexSource, flags: regexFlags.default(''), group: z.union([z.int().min(0), z.string().min(1)]).default(1) });
const unit = z.strictObject({ op: z.literal('unit'), from: z.enum(unitNames), to: z.enum(unitNames) });
const filter = z.strictObject({ op: z.literal('filter'), where: predicate });
/** Reshapes an object (with `map`, each element of a list) without an expression's cost per record. */
const pick = z.strictObject({
  op: z.literal('pick'),
  fields: z
    .record(z.string().regex(/^[A-Za-z_]\w{0,63}$/, 'must be an identifier').refine((key) => !FORBIDDEN_KEYS.has(key), 'must not be __proto__, prototype or constructor'), sourcePath)
    .refine((fields) => Object.keys(fields).length > 0, 'needs at least one field'),
});
const expression = z.strictObject({
  op: z.literal('expression'),
  expression: z.string().min(1).refine((text) => compiles(() => jsonata(text)), 'invalid JSONata expression'),
  timeoutMs: z.int().min(1).max(10_000).default(100),
});

export type TransformRule =
  | z.infer<typeof trim> | z.infer<typeof caseOp> | z.infer<typeof split> | z.infer<typeof concat> | z.infer<typeof template>
  | z.infer<typeof number> | z.infer<typeof boolean> | z.infer<typeof date> | z.infer<typeof lookup> | z.infer<typeof enumOp>
  | z.infer<typeof defaultOp> | z.infer<typeof coalesce> | z.infer<typeof regex> | z.infer<typeof unit> | z.infer<typeof filter>
  | z.infer<typeof pick> | z.infer<typeof expression> | { op: 'map'; transforms: TransformRule[] };

const map = z.strictObject({
  op: z.literal('map'),
  get transforms(): z.ZodArray<z.ZodType<TransformRule, unknown>> { return z.array(transformRule); },
});

export const transformRule: z.ZodType<TransformRule, unknown> = z
  .discriminatedUnion('op', [
    trim, caseOp, split, concat, template, number, boolean, date, lookup, enumOp, defaultOp, coalesce, regex,
    unit.refine((u) => UNITS[u.from].dimension === UNITS[u.to].dimension, 'from and to must measure the same thing (mass, length or money)'),
    map, filter, pick, expression,
  ])
  // Named, so the API description can refer to it: `map` nests transforms.
  .meta({ id: 'TransformRule', description: 'One step of a field\'s transform pipeline, chosen by `op`.' });

export const fieldRule = z
  .strictObject({
    from: sourcePath.optional(),
    /** Several sources: a list (concat, coalesce) or named inputs (template). */
    fromAll: z.union([z.array(sourcePath).min(1), z.record(z.string().regex(/^\w+$/), sourcePath)]).optional(),
    to: z.union([targetPath, z.array(targetPath).min(2)]),
    transforms: z.array(transformRule).default([]),
  })
  .refine((f) => (f.from === undefined) !== (f.fromAll === undefined), 'needs exactly one of from, fromAll');
export type FieldRule = z.infer<typeof fieldRule>;

const validationRule = z.discriminatedUnion('rule', [
  z.strictObject({ path: targetPath, rule: z.literal('required') }),
  z.strictObject({ path: targetPath, rule: z.literal('type'), type: z.enum(['string', 'number', 'integer', 'boolean', 'array', 'object']) }),
  z.strictObject({ path: targetPath, rule: z.literal('pattern'), pattern: regexSource, flags: regexFlags.default('') }),
  z.strictObject({ path: targetPath, rule: z.literal('email') }),
  z.strictObject({ path: targetPath, rule: z.literal('range'), min: z.number().optional(), max: z.number().optional() })
    .refine((r) => r.min !== undefined || r.max !== undefined, 'needs min or max')
    .refine((r) => r.min === undefined || r.max === undefined || r.min <= r.max, 'min must not exceed max'),
  z.strictObject({ path: targetPath, rule: z.literal('enum'), values: z.array(json).min(1) }),
]);
export type ValidationRule = z.infer<typeof validationRule>;

export const shardType = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/, 'must be letters, digits, _ or - (up to 100)');

const derivedShard = z.strictObject({
  shardType,
  when: predicate.refine((p) => p.path !== undefined, 'needs a path'),
  /** Source path whose value identifies the derived shard (e.g. the company name). */
  key: sourcePath,
  fields: z.array(fieldRule).min(1).max(500),
});

/**
 * A link to the shard of another record of the same connection (an order's customer, a line's
 * product), found through the parent's external id: the parent's shard id derives from it.
 */
const relationship = z.strictObject({
  rel: z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,49}$/, 'must be an identifier (up to 50)'),
  /** The parent's stream on the same connection. */
  stream: z.string().min(1).max(100),
  /** Source path of the parent's external id; a wildcard path links to every element's parent. */
  from: sourcePath,
  /** Values that mean "no parent" (e.g. customer_id 0, which a store may write for a guest checkout). */
  none: z.array(z.union([z.string(), z.number()])).default([]),
});
export type RelationshipRule = z.infer<typeof relationship>;

/** How long a record whose parent has not arrived waits (re-tried with back-off) before it keeps a pending link. */
const linkWait = z.strictObject({
  retries: z.int().min(0).max(10).default(3),
  baseDelayMs: z.int().min(1).max(300_000).default(2_000),
});
export type LinkWait = z.infer<typeof linkWait>;

export const conversionSchema = z.strictObject({
  shardType,
  fields: z.array(fieldRule).min(1).max(500),
  validations: z.array(validationRule).default([]),
  /** One derived shard per type and primary: the type names it. */
  derived: z
    .array(derivedShard)
    .max(20)
    .default([])
    .refine((shards) => new Set(shards.map((d) => d.shardType)).size === shards.length, 'derived shard types must be unique'),
  relationships: z
    .array(relationship)
    .max(20)
    .default([])
    .refine((rules) => new Set(rules.map((r) => r.rel)).size === rules.length, 'rel names must be unique'),
  linkWait: linkWait.default({ retries: 3, baseDelayMs: 2_000 }),
});
export type ConversionSchema = z.infer<typeof conversionSchema>;
/** The JSON an author writes (defaults not yet filled in). */
export type ConversionSchemaInput = z.input<typeof conversionSchema>;

function compiles(build: () => unknown): boolean {
  try {
    build();
    return true;
  } catch {
    return false;
  }
}
