import type { FieldMapping } from './schemas/conversionSchema.js';
import { parsePath, readPath, writePath, type PathSegments } from './fieldPath.js';

export interface TransformIssue {
  sourcePath: string;
  targetPath: string;
  rule: 'required';
  message: string;
}

export type TransformResult =
  | { ok: true; data: Record<string, unknown> }
  | { ok: false; issues: TransformIssue[] };

export type CompiledTransform = (record: Record<string, unknown>) => TransformResult;

const isMissing = (value: unknown) => value === undefined || value === null || value === '';

/**
 * Compiles a field mapping once (paths split up front) so that running it per record does no
 * parsing. Missing optional sources become null rather than failing the record.
 */
export function compileTransform(fields: readonly FieldMapping[]): CompiledTransform {
  const compiled: Array<FieldMapping & { from: PathSegments; to: PathSegments }> = fields.map((field) => ({
    ...field,
    from: parsePath(field.source),
    to: parsePath(field.target),
  }));
  return (record) => {
    const data: Record<string, unknown> = {};
    let issues: TransformIssue[] | undefined;
    for (const field of compiled) {
      const value = readPath(record, field.from);
      if (isMissing(value)) {
        if (field.required) {
          (issues ??= []).push({
            sourcePath: field.source,
            targetPath: field.target,
            rule: 'required',
            message: `required field "${field.source}" is missing or empty`,
          });
          continue;
        }
        writePath(data, field.to, null);
        continue;
      }
      writePath(data, field.to, value);
    }
    return issues ? { ok: false, issues } : { ok: true, data };
  };
}
