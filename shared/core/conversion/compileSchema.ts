import type { ConversionSchema, FieldRule } from './schema.js';
import { validateSchema } from './validateSchema.js';
import { compileReader, compileWriter, type Reader } from './paths.js';
import { compilePipeline, type Pipeline } from './pipeline.js';
import { compileCheck } from './validations.js';
import { compileCondition, type Condition } from './condition.js';
import { isMissing, type ConversionIssue, type DerivedShardData, type FieldContext, type TransformResult } from './result.js';
import { ExpressionError } from './expressionTransform.js';

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
  pipeline: Pipeline;
  write: (data: Record<string, unknown>, value: unknown) => void;
}

interface CompiledDerived {
  shardType: string;
  when: Condition;
  key: Reader;
  keyPath: string;
  fields: CompiledField[];
}

/** Validates, then does all parsing up front; throws listing every problem of an invalid schema. */
export function compileSchema(input: unknown): CompiledSchema {
  const validation = validateSchema(input);
  if (!validation.ok) throw new Error(`invalid conversion schema: ${validation.problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`);
  const schema: ConversionSchema = validation.schema;
  const fields = schema.fields.map(compileField);
  const sourceOf = new Map(fields.flatMap((field) => field.targetPath.split(',').map((target) => [target, field.sourcePath] as const)));
  const checks = schema.validations.map((rule) => ({ rule: rule.rule, path: rule.path, sourcePath: sourceOf.get(rule.path) ?? rule.path, check: compileCheck(rule) }));
  const derived: CompiledDerived[] = schema.derived.map((shard) => ({
    shardType: shard.shardType,
    when: compileCondition(shard.when),
    key: compileReader(shard.key),
    keyPath: shard.key,
    fields: shard.fields.map(compileField),
  }));
  const allFields = [...fields, ...derived.flatMap((shard) => shard.fields)];

  const finish = (data: Record<string, unknown>, context: FieldContext, derivedData: DerivedShardData[]): TransformResult => {
    let issues: ConversionIssue[] | undefined;
    for (const { rule, path, sourcePath, check } of checks) {
      const message = check(data);
      if (message !== undefined) (issues ??= []).push({ sourcePath, targetPath: path, rule, message });
    }
    if (issues) return { ok: false, issues };
    return { ok: true, primary: { shardType: schema.shardType, data }, derived: derivedData, warnings: context.warnings ?? NO_WARNINGS };
  };

  if (allFields.every((field) => !field.pipeline.async)) {
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

function compileField(field: FieldRule): CompiledField {
  const sourcePath = field.from ?? (Array.isArray(field.fromAll) ? field.fromAll.join(',') : Object.values(field.fromAll!).join(','));
  return {
    sourcePath,
    targetPath: Array.isArray(field.to) ? field.to.join(',') : field.to,
    read: compileSource(field),
    pipeline: compilePipeline(field.transforms),
    write: compileTargets(field.to),
  };
}

function compileSource(field: FieldRule): Reader {
  if (field.from !== undefined) return compileReader(field.from);
  if (Array.isArray(field.fromAll)) {
    const readers = field.fromAll.map(compileReader);
    return (record) => readers.map((read) => read(record) ?? null);
  }
  const named = Object.entries(field.fromAll!).map(([name, path]) => [name, compileReader(path)] as const);
  return (record) => {
    const inputs: Record<string, unknown> = {};
    for (const [name, read] of named) inputs[name] = read(record) ?? null;
    return inputs;
  };
}

/** Several targets take a list's elements in order (split into first/last); missing ones are null. */
function compileTargets(to: string | string[]): CompiledField['write'] {
  if (!Array.isArray(to)) {
    if (!to.includes('.')) return (data, value) => { data[to] = value ?? null; };
    const write = compileWriter(to);
    return (data, value) => write(data, value ?? null);
  }
  const writers = to.map(compileWriter);
  return (data, value) => writers.forEach((write, i) => write(data, Array.isArray(value) ? value[i] ?? null : null));
}

function convertSync(fields: readonly CompiledField[], record: unknown, context: FieldContext): Record<string, unknown> {
  const data: Record<string, unknown> = {};
  for (const field of fields) {
    context.sourcePath = field.sourcePath;
    context.targetPath = field.targetPath;
    field.write(data, (field.pipeline.run as (value: unknown, context: FieldContext) => unknown)(field.read(record), context));
  }
  return data;
}

async function convertAsync(fields: readonly CompiledField[], record: unknown, context: FieldContext): Promise<Record<string, unknown>> {
  const data: Record<string, unknown> = {};
  for (const field of fields) {
    context.sourcePath = field.sourcePath;
    context.targetPath = field.targetPath;
    const value = field.read(record);
    field.write(data, field.pipeline.async ? await field.pipeline.run(value, context) : field.pipeline.run(value, context));
  }
  return data;
}
