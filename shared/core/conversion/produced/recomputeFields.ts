import type { FieldRule } from '../schema.js';
import { compileSchema, type CompiledSchema } from '../compileSchema.js';
import { computedFields } from './computedFields.js';
import { copiedFields } from './copiedFields.js';
import { fieldOf, isRecord, sameValue, withChanges, type FieldChange } from '../../conflicts/fieldChanges.js';

/**
 * Brings the computed fields of `data` (inputs changed on our side: an edit, or both sides'
 * changes merged) in line with its inputs; `reference` is data whose computed fields are right
 * (the provider's record in shard form, or the shard before an edit). Returns `data` itself when
 * nothing changes. Deterministic (expressions, which may not be, are never run here): a redelivered
 * batch or write-back computes the same values.
 */
export type Recompute = (data: Record<string, unknown>, reference: Record<string, unknown>) => Promise<Record<string, unknown>>;

interface Input {
  source: readonly string[];
  /** Where the shard's data carries the input over (copied or tidied); none for an input only the provider holds. */
  image: readonly string[] | undefined;
}

interface Plan {
  targets: ReadonlyArray<readonly string[]>;
  inputs: readonly Input[];
  /** The field rule alone, compiled; only when every input has an image to compute from. */
  run: CompiledSchema | undefined;
}

/**
 * Compiles recomputation for one shard's field rules (validated). Per computed field:
 * - inputs as in `reference`: the reference's value (the provider computed it from these);
 * - else, with every input carried over in the data: computed again from those, by the schema's rule;
 * - else (an input only the provider holds): left as it is, until the provider's record, read
 *   after the write-back, brings the value it computes.
 * An expression may read any field of the record: every carried-over field counts as its input,
 * and it is never computed from the shard's data alone.
 */
export function compileRecompute(rules: readonly FieldRule[]): Recompute {
  const copied = [...copiedFields(rules)].map(([target, source]) => ({ source: source.split('.'), image: target.split('.') }));
  const imageOf = new Map(copied.map((input) => [input.source.join('.'), input.image]));
  const computed = new Map<FieldRule, { targets: string[][]; readsRecord: boolean }>();
  for (const field of computedFields(rules)) {
    const known = computed.get(field.rule);
    if (known) known.targets.push(field.path.split('.'));
    else computed.set(field.rule, { targets: [field.path.split('.')], readsRecord: field.by.includes('expression') });
  }
  const plans: Plan[] = [...computed].map(([rule, { targets, readsRecord }]) => {
    const sources = rule.from !== undefined ? [rule.from] : Array.isArray(rule.fromAll) ? rule.fromAll : Object.values(rule.fromAll!);
    const own = [...new Set(sources)].map((source) => ({ source: source.split('.'), image: imageOf.get(source) }));
    if (readsRecord) return { targets, inputs: [...own, ...copied], run: undefined };
    const run = own.every((input) => input.image !== undefined) ? compileSchema({ shardType: 'recomputed', fields: [rule] }) : undefined;
    return { targets, inputs: own, run };
  });
  if (plans.length === 0) return async (data) => data;

  return async (data, reference) => {
    const changes: FieldChange[] = [];
    for (const plan of plans) {
      const values = await valuesOf(plan, data, reference);
      if (!values) continue;
      plan.targets.forEach((keys, index) => {
        if (!sameValue(valueAt(data, keys), values[index])) changes.push({ path: keys.join('.'), keys, value: values[index] });
      });
    }
    return changes.length === 0 ? data : withChanges(data, changes);
  };
}

async function valuesOf(plan: Plan, data: Record<string, unknown>, reference: Record<string, unknown>): Promise<unknown[] | undefined> {
  const unchanged = plan.inputs.every(({ image }) => image === undefined || sameValue(valueAt(data, image), valueAt(reference, image)));
  if (unchanged) return plan.targets.map((keys) => valueAt(reference, keys));
  if (!plan.run) return undefined;
  const record = withChanges({}, plan.inputs.map(({ source, image }) => ({ path: source.join('.'), keys: source, value: valueAt(data, image!) })));
  const result = plan.run.async ? await plan.run.run(record) : plan.run.run(record);
  return result.ok ? plan.targets.map((keys) => valueAt(result.primary.data, keys)) : undefined;
}

function valueAt(data: unknown, keys: readonly string[]): unknown {
  let node = data;
  for (const key of keys) {
    if (!isRecord(node)) return undefined;
    node = fieldOf(node, key);
  }
  return node;
}
