import { compileSchema } from '../../../../shared/core/conversion/compileSchema.js';
import type { ConversionSchemaInput } from '../../../../shared/core/conversion/schema.js';
import type { TransformResult } from '../../../../shared/core/conversion/result.js';

type FieldInput = ConversionSchemaInput['fields'][number];

/** Runs one synchronous schema of the given fields on a record. */
export function runSync(fields: FieldInput[], record: unknown, extra: Partial<ConversionSchemaInput> = {}): TransformResult {
  const compiled = compileSchema({ shardType: 'test', fields, ...extra });
  if (compiled.async) throw new Error('expected a synchronous schema');
  return compiled.run(record);
}

/** The value one transform pipeline gives `value` (read from `v`), with the warnings it raised. */
export function apply(transforms: NonNullable<FieldInput['transforms']>, value: unknown): { value: unknown; warnings: string[] } {
  const result = runSync([{ from: 'v', to: 'out', transforms }], { v: value });
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return { value: result.primary.data.out, warnings: result.warnings.map((w) => w.rule) };
}

export const valueOf = (transforms: NonNullable<FieldInput['transforms']>, value: unknown): unknown => apply(transforms, value).value;
