import type { ConversionSchema, FieldRule, TransformRule } from '../schema.js';
import { WHOLE_RECORD } from '../paths.js';

/**
 * A target field whose value the schema computes rather than carries over: from several inputs,
 * or by a transform that makes another value of its input (a template, a lookup, a part of it…).
 * The provider holds only the inputs, so the field has no way back: it is not edited on our side
 * (only its inputs are), and conflicts are about its inputs, never about it.
 */
export interface ComputedField {
  /** Target path in the shard's data. */
  path: string;
  /** The source paths it is computed from. */
  inputs: readonly string[];
  /** What computes it: the computing transforms, or `several inputs`. */
  by: readonly string[];
  /** The field rule that fills it (with a list `to`, one rule fills several computed fields). */
  rule: FieldRule;
}

/**
 * Transforms whose result is another value than their input. Not computing: trim and case (the
 * value tidied), number, boolean, date and unit (the same value in another form), default (fills
 * a missing value). A `map` computes when one of its transforms does.
 */
const COMPUTING = new Set<TransformRule['op']>(['template', 'concat', 'coalesce', 'expression', 'lookup', 'enum', 'split', 'regex', 'filter', 'pick']);

/** Pure: the computed fields among one shard's field rules, in rule order. */
export function computedFields(rules: readonly FieldRule[]): ComputedField[] {
  return rules.flatMap((rule) => {
    const by = [...(rule.fromAll === undefined ? [] : ['several inputs']), ...(rule.from === WHOLE_RECORD ? ['the whole record'] : []), ...computingOps(rule.transforms)];
    if (by.length === 0) return [];
    const inputs = rule.from !== undefined ? [rule.from] : [...new Set(Array.isArray(rule.fromAll) ? rule.fromAll : Object.values(rule.fromAll!))];
    return (Array.isArray(rule.to) ? rule.to : [rule.to]).map((path) => ({ path, inputs, by, rule }));
  });
}

function computingOps(transforms: readonly TransformRule[]): string[] {
  const ops = transforms.flatMap((transform) => (transform.op === 'map' ? computingOps(transform.transforms) : COMPUTING.has(transform.op) ? [transform.op] : []));
  return [...new Set(ops)];
}

/** The field rules that make shards of `shardType` in one schema: its primary fields, or a derived shard's. */
export function fieldRulesFor(schema: ConversionSchema, shardType: string): readonly FieldRule[] | undefined {
  if (schema.shardType === shardType) return schema.fields;
  return schema.derived.find((derived) => derived.shardType === shardType)?.fields;
}

/**
 * Pure: the computed fields of a shard type, across the schemas that make it (as primary or
 * derived shard), by path. A field one schema computes and another carries over is not computed:
 * the records of that other schema give it a way back. Inputs and transforms of several
 * computing schemas are listed together.
 */
export function computedFieldsOfType(schemas: readonly ConversionSchema[], shardType: string): Map<string, Omit<ComputedField, 'rule'>> {
  const computed = new Map<string, Omit<ComputedField, 'rule'>>();
  const carried = new Set<string>();
  for (const schema of schemas) {
    const rules = fieldRulesFor(schema, shardType);
    if (!rules) continue;
    const ofSchema = computedFields(rules);
    const paths = new Set(ofSchema.map((field) => field.path));
    for (const rule of rules) for (const path of Array.isArray(rule.to) ? rule.to : [rule.to]) if (!paths.has(path)) carried.add(path);
    for (const { path, inputs, by } of ofSchema) {
      const known = computed.get(path);
      computed.set(path, known ? { path, inputs: [...new Set([...known.inputs, ...inputs])], by: [...new Set([...known.by, ...by])] } : { path, inputs, by });
    }
  }
  for (const path of carried) computed.delete(path);
  return computed;
}
