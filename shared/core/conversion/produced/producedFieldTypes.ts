import type { ConversionSchema, FieldRule, TransformRule, ValidationRule } from '../schema.js';
import { EVERY, parseSourcePath } from '../paths.js';

/**
 * What conversion schemas can put at one place of a shard's data. Null is left out: any place may
 * hold it (a missing source value converts to null).
 * - `fields`: an object built from nested targets (`address.city`): these keys only;
 * - `object`: any object (a validation says so);
 * - `any`: unknown, e.g. a copied value or an `expression`: any JSON value;
 * - `null`: nothing but null (a spread target whose value is never an array).
 */
export type ProducedType =
  | { kind: 'any' }
  | { kind: 'null' }
  | { kind: 'string' }
  | { kind: 'date-time' }
  | { kind: 'number'; integer: boolean }
  | { kind: 'boolean' }
  | { kind: 'array'; items: ProducedType }
  | { kind: 'object' }
  | { kind: 'fields'; fields: ReadonlyMap<string, ProducedType> }
  | { kind: 'oneOf'; types: readonly ProducedType[] };

export type FieldsType = Extract<ProducedType, { kind: 'fields' }>;

const ANY: ProducedType = { kind: 'any' };
const NULL: ProducedType = { kind: 'null' };
const STRING: ProducedType = { kind: 'string' };
const NUMBER: ProducedType = { kind: 'number', integer: false };
const BOOLEAN: ProducedType = { kind: 'boolean' };

/**
 * Pure: the data the given schemas produce for shards of `shardType`, as primary shard (narrowed
 * by the schema's validations, which a record must pass to be stored) or as derived shard; their
 * union when several do. Undefined when none does.
 */
export function producedFieldTypes(schemas: readonly ConversionSchema[], shardType: string): FieldsType | undefined {
  let produced: ProducedType | undefined;
  for (const schema of schemas) {
    if (schema.shardType === shardType) produced = unite(produced, schema.validations.reduce(narrowByValidation, fieldsOf(schema.fields)));
    for (const derived of schema.derived) {
      if (derived.shardType === shardType) produced = unite(produced, fieldsOf(derived.fields));
    }
  }
  return produced?.kind === 'fields' ? produced : undefined;
}

/** The object the fields' targets build: one entry per target, nested along dotted paths. */
function fieldsOf(rules: readonly FieldRule[]): FieldsType {
  let data: FieldsType = { kind: 'fields', fields: new Map() };
  for (const rule of rules) {
    const output = rule.transforms.reduce(afterTransform, sourceType(rule));
    if (!Array.isArray(rule.to)) data = placed(data, rule.to.split('.'), output);
    // Several targets take the elements of a list in order; anything else leaves them null.
    else for (const target of rule.to) data = placed(data, target.split('.'), elementsOf(output));
  }
  return data;
}

function placed(data: FieldsType, keys: readonly string[], type: ProducedType): FieldsType {
  const [key, ...rest] = keys as [string, ...string[]];
  const inner = data.fields.get(key);
  const next = rest.length === 0 ? type : placed(inner?.kind === 'fields' ? inner : { kind: 'fields', fields: new Map() }, rest, type);
  return { kind: 'fields', fields: new Map([...data.fields, [key, next]]) };
}

/** A value read from the record is anything; each `[*]` in its path makes a list of what follows. */
function sourceType(rule: FieldRule): ProducedType {
  if (rule.from !== undefined) return parseSourcePath(rule.from).reduce<ProducedType>((type, step) => (step === EVERY ? { kind: 'array', items: type } : type), ANY);
  if (Array.isArray(rule.fromAll)) return { kind: 'array', items: ANY };
  return { kind: 'fields', fields: new Map(Object.keys(rule.fromAll!).map((name) => [name, ANY])) };
}

/** What a transform makes of a value of `type` (see the steps in textTransforms.ts, valueTransforms.ts…). */
function afterTransform(type: ProducedType, rule: TransformRule): ProducedType {
  switch (rule.op) {
    // Text transforms change strings only; everything else passes through.
    case 'trim':
      return type;
    case 'case':
    case 'regex':
      return mapMembers(type, (member) => (member.kind === 'date-time' ? STRING : member));
    case 'split':
      if (rule.index !== undefined) return mapMembers(type, (member) => (member.kind === 'date-time' ? STRING : member));
      return mapMembers(type, (member) => (isText(member) ? { kind: 'array', items: STRING } : member));
    case 'concat':
      return mapMembers(type, (member) => (member.kind === 'array' ? STRING : member));
    case 'coalesce':
      return mapMembers(type, (member) => (member.kind === 'array' ? member.items : member));
    case 'filter':
      return type;
    case 'map':
      return mapMembers(type, (member) => (member.kind === 'array' ? { kind: 'array', items: rule.transforms.reduce(afterTransform, member.items) } : member));
    case 'template':
      return STRING;
    case 'pick':
      return { kind: 'fields', fields: new Map(Object.keys(rule.fields).map((key) => [key, ANY])) };
    case 'number':
    case 'unit':
      return NUMBER;
    case 'boolean':
      return BOOLEAN;
    case 'date':
      return { kind: 'date-time' };
    case 'enum':
      return [...Object.values(rule.values), ...(rule.default === undefined ? [] : [rule.default])].map(typeOfValue).reduce(unite, NULL);
    case 'default':
      return unite(type, typeOfValue(rule.value));
    // A lookup's table and pass-through, and a JSONata expression, can give anything.
    case 'lookup':
    case 'expression':
      return ANY;
  }
}

const isText = (type: ProducedType): boolean => type.kind === 'string' || type.kind === 'date-time';

/** Applies `change` to each member of a union (or the one type); `any` stays `any`, since it may be anything after too. */
function mapMembers(type: ProducedType, change: (member: ProducedType) => ProducedType): ProducedType {
  if (type.kind === 'any') return ANY;
  if (type.kind === 'oneOf') return type.types.map(change).reduce(unite, NULL);
  return change(type);
}

function elementsOf(type: ProducedType): ProducedType {
  if (type.kind === 'any') return ANY;
  if (type.kind === 'array') return type.items;
  if (type.kind === 'oneOf') return type.types.map(elementsOf).reduce(unite, NULL);
  return NULL;
}

function typeOfValue(value: unknown): ProducedType {
  if (value === null) return NULL;
  if (typeof value === 'string') return STRING;
  if (typeof value === 'number') return { kind: 'number', integer: Number.isInteger(value) };
  if (typeof value === 'boolean') return BOOLEAN;
  if (Array.isArray(value)) return { kind: 'array', items: value.map(typeOfValue).reduce(unite, NULL) };
  return { kind: 'object' };
}

/** The union of two types, members of one kind merged (an integer and a number are a number). */
export function unite(a: ProducedType | undefined, b: ProducedType): ProducedType {
  if (a === undefined) return b;
  if (a.kind === 'any' || b.kind === 'any') return ANY;
  const members: ProducedType[] = [];
  for (const member of [...membersOf(a), ...membersOf(b)]) {
    const index = members.findIndex((seen) => sameFamily(seen, member));
    if (index < 0) members.push(member);
    else members[index] = merged(members[index]!, member);
  }
  const present = members.filter((member) => member.kind !== 'null');
  if (present.length === 0) return NULL;
  return present.length === 1 ? present[0]! : { kind: 'oneOf', types: present };
}

const membersOf = (type: ProducedType): readonly ProducedType[] => (type.kind === 'oneOf' ? type.types : [type]);

/** Kinds that merge into one member: text, and objects (built or any). */
const family = (type: ProducedType): string => (isText(type) ? 'text' : type.kind === 'fields' ? 'object' : type.kind);
const sameFamily = (a: ProducedType, b: ProducedType): boolean => family(a) === family(b);

function merged(a: ProducedType, b: ProducedType): ProducedType {
  if (a.kind === 'number' && b.kind === 'number') return { kind: 'number', integer: a.integer && b.integer };
  if (a.kind === 'array' && b.kind === 'array') return { kind: 'array', items: unite(a.items, b.items) };
  if (a.kind === 'fields' && b.kind === 'fields') {
    const fields = new Map(a.fields);
    for (const [key, type] of b.fields) fields.set(key, unite(fields.get(key), type));
    return { kind: 'fields', fields };
  }
  // A date-time and any other text are text; an object built from targets and any object are any object.
  return a.kind === b.kind ? a : isText(a) ? STRING : { kind: 'object' };
}

/** A record failing a validation is not stored, so what is stored passes it: `type`, `range` (numbers), `email` and `pattern` (strings). */
function narrowByValidation(data: FieldsType, rule: ValidationRule): FieldsType {
  const wanted = rule.rule === 'type' ? rule.type : rule.rule === 'range' ? 'number' : rule.rule === 'email' || rule.rule === 'pattern' ? 'string' : undefined;
  if (wanted === undefined) return data;
  return narrowedAt(data, rule.path.split('.'), wanted);
}

type Wanted = Extract<ValidationRule, { rule: 'type' }>['type'];

function narrowedAt(data: FieldsType, keys: readonly string[], wanted: Wanted): FieldsType {
  const [key, ...rest] = keys as [string, ...string[]];
  const inner = data.fields.get(key);
  // A validation of a place no field fills never sees a value there: nothing to narrow.
  if (inner === undefined) return data;
  const next = rest.length === 0 ? narrowed(inner, wanted) : inner.kind === 'fields' ? narrowedAt(inner, rest, wanted) : inner;
  return { kind: 'fields', fields: new Map([...data.fields, [key, next]]) };
}

/** The members of `type` a `wanted` type check lets through; if none could, the validation alone decides. */
function narrowed(type: ProducedType, wanted: Wanted): ProducedType {
  if (type.kind === 'any') return typeNamed(wanted);
  const kept = membersOf(type).flatMap((member) => {
    if (wanted === 'string') return isText(member) ? [member] : [];
    if (wanted === 'number' || wanted === 'integer') return member.kind === 'number' ? [{ kind: 'number' as const, integer: member.integer || wanted === 'integer' }] : [];
    if (wanted === 'object') return member.kind === 'object' || member.kind === 'fields' ? [member] : [];
    return member.kind === wanted ? [member] : [];
  });
  return kept.length === 0 ? type : kept.reduce(unite, NULL);
}

function typeNamed(wanted: Wanted): ProducedType {
  switch (wanted) {
    case 'string': return STRING;
    case 'number': return NUMBER;
    case 'integer': return { kind: 'number', integer: true };
    case 'boolean': return BOOLEAN;
    case 'array': return { kind: 'array', items: ANY };
    case 'object': return { kind: 'object' };
  }
}
