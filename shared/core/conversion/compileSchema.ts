import type { ConversionSchema, FieldRule } from './schema.js';
import { validateSchema } from './validateSchema.js';
import { compileBuilder, compileReader, type Reader } from './paths.js';
import { compilePipeline, type Pipeline } from './pipeline.js';
import type { Step } from './step.js';
import { compileCheck } from './validations.js';
import { compileCondition, type Condition } from './condition.js';
import { isMissing, type ConversionIssue, type DerivedShardData, type FieldContext, type TransformResult } from './result.js';
import { ExpressionError } from './transforms/expressionError.js';

/** Shared by every clean result: most records have no warnings, so none pays for an array. */
const NO_WARNINGS: readonly ConversionIssue[] = Object.freeze([]);

/** Synchronous when no field uses an expression, so the common case pays no promise per record. */
export type CompiledSchema =
  | { readonly async: false; run(record: unknown): TransformResult }
  | { readonly async: true; run(record: unknown): Promise<TransformResult> };

interface CompiledField {
  sourcePath: string;
  targetPath: string;
  read: Reader;
  /** Undefined without transforms: most fields copy a value. */
  pipeline: Pipeline | undefined;
  /** Where the field's first target is among its shard's targets. */
  slot: number;
  /** With several targets (`to` as a list), how many: they take the value's elements in order. */
  spread: number | undefined;
}

/** The fields of one shard, and the builder of its data from their values, one per target. */
interface CompiledFields {
  list: CompiledField[];
  targets: number;
  build: (values: readonly unknown[]) => Record<string, unknown>;
}

interface CompiledDerived {
  shardType: string;
  when: Condition;
  key: Reader;
  keyPath: string;
  fields: CompiledFields;
}

/** Validates, then does all parsing up front; throws listing every problem of an invalid schema. */
export function compileSchema(input: unknown): CompiledSchema {
  const validation = validateSchema(input);
  if (!validation.ok) throw new Error(`invalid conversion schema: ${validation.problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`);
  const schema: ConversionSchema = validation.schema;
  const fields = compileFields(schema.fields);
  const sourceOf = new Map(fields.list.flatMap((field) => field.targetPath.split(',').map((target) => [target, field.sourcePath] as const)));
  const checks = schema.validations.map((rule) => ({ rule: rule.rule, path: rule.path, sourcePath: sourceOf.get(rule.path) ?? rule.path, check: compileCheck(rule) }));
  const derived: CompiledDerived[] = schema.derived.map((shard) => ({
    shardType: shard.shardType,
    when: compileCondition(shard.when),
    key: compileReader(shard.key),
    keyPath: shard.key,
    fields: compileFields(shard.fields),
  }));
  const allFields = [...fields.list, ...derived.flatMap((shard) => shard.fields.list)];

  const finish = (data: Record<string, unknown>, context: FieldContext, derivedData: DerivedShardData[]): TransformResult => {
    let issues: ConversionIssue[] | undefined;
    for (const { rule, path, sourcePath, check } of checks) {
      const message = check(data);
      if (message !== undefined) (issues ??= []).push({ sourcePath, targetPath: path, rule, message });
    }
    if (issues) return { ok: false, issues };
    return { ok: true, primary: { shardType: schema.shardType, data }, derived: derivedData, warnings: context.warnings ?? NO_WARNINGS };
  };

  if (allFields.every((field) => !field.pipeline?.async)) {
    return {
      async: false,
      run(record) {
        const context: FieldContext = { record, sourcePath: '', targetPath: '', warnings: undefined };
        const data = convertSync(fields, record, context);
        const derivedData: DerivedShardData[] = [];
        for (const shard of derived) {
          const key = derivedKey(shard, record);
          if (key !== undefined) derivedData.push({ shardType: shard.shardType, key, data: convertSync(shard.fields, record, context) });
        }
        return finish(data, context, derivedData);
      },
    };
  }
  return {
    async: true,
    async run(record) {
      const context: FieldContext = { record, sourcePath: '', targetPath: '', warnings: undefined };
      try {
        const data = await convertAsync(fields, record, context);
        const derivedData: DerivedShardData[] = [];
        for (const shard of derived) {
          const key = derivedKey(shard, record);
          if (key !== undefined) derivedData.push({ shardType: shard.shardType, key, data: await convertAsync(shard.fields, record, context) });
        }
        return finish(data, context, derivedData);
      } catch (error) {
        // A failing or slow expression fails this record only.
        if (!(error instanceof ExpressionError)) throw error;
        return { ok: false, issues: [{ sourcePath: context.sourcePath, targetPath: context.targetPath, rule: 'expression', message: error.message }] };
      }
    },
  };
}

function derivedKey(shard: CompiledDerived, record: unknown): string | undefined {
  if (!shard.when(record)) return undefined;
  const key = shard.key(record);
  return isMissing(key) || typeof key === 'object' ? undefined : String(key);
}

function compileFields(rules: readonly FieldRule[]): CompiledFields {
  const targets = rules.flatMap((rule) => rule.to);
  let slot = 0;
  const list = rules.map((rule): CompiledField => {
    const field: CompiledField = {
      sourcePath: rule.from ?? (Array.isArray(rule.fromAll) ? rule.fromAll.join(',') : Object.values(rule.fromAll!).join(',')),
      targetPath: Array.isArray(rule.to) ? rule.to.join(',') : rule.to,
      read: compileSource(rule),
      pipeline: rule.transforms.length === 0 ? undefined : compilePipeline(rule.transforms),
      slot,
      spread: Array.isArray(rule.to) ? rule.to.length : undefined,
    };
    slot += field.spread ?? 1;
    return field;
  });
  return { list, targets: targets.length, build: compileBuilder(targets) };
}

function compileSource(field: FieldRule): Reader {
  if (field.from !== undefined) return compileReader(field.from);
  if (Array.isArray(field.fromAll)) {
    const readers = field.fromAll.map(compileReader);
    return (record) => {
      const inputs = new Array<unknown>(readers.length);
      for (let i = 0; i < readers.length; i++) inputs[i] = readers[i]!(record) ?? null;
      return inputs;
    };
  }
  const named = Object.entries(field.fromAll!).map(([name, path]) => [name, compileReader(path)] as const);
  return (record) => {
    const inputs: Record<string, unknown> = {};
    for (const [name, read] of named) inputs[name] = read(record) ?? null;
    return inputs;
  };
}

/** Several targets take a list's elements in order (split into first/last); missing values are null. */
function store(values: unknown[], field: CompiledField, value: unknown): void {
  if (field.spread === undefined) values[field.slot] = value ?? null;
  else for (let i = 0; i < field.spread; i++) values[field.slot + i] = Array.isArray(value) ? value[i] ?? null : null;
}

function convertSync(fields: CompiledFields, record: unknown, context: FieldContext): Record<string, unknown> {
  const values = new Array<unknown>(fields.targets);
  for (const field of fields.list) {
    context.sourcePath = field.sourcePath;
    context.targetPath = field.targetPath;
    const value = field.read(record);
    store(values, field, field.pipeline === undefined ? value : (field.pipeline.run as Step)(value, context));
  }
  return fields.build(values);
}

async function convertAsync(fields: CompiledFields, record: unknown, context: FieldContext): Promise<Record<string, unknown>> {
  const values = new Array<unknown>(fields.targets);
  for (const field of fields.list) {
    context.sourcePath = field.sourcePath;
    context.targetPath = field.targetPath;
    const value = field.read(record);
    const { pipeline } = field;
    store(values, field, pipeline === undefined ? value : pipeline.async ? await pipeline.run(value, context) : pipeline.run(value, context));
  }
  return fields.build(values);
}
