/** What running a compiled conversion schema on one record gives. */
export interface ConversionIssue {
  sourcePath: string;
  targetPath: string;
  /** The validation rule or transform op that raised it. */
  rule: string;
  message: string;
}

export interface ShardData {
  shardType: string;
  data: Record<string, unknown>;
}

export interface DerivedShardData extends ShardData {
  key: string;
}

/**
 * `warnings` are values a transform could not read (a malformed date becomes null): the record
 * still converts; a validation on that target turns it into a failure where the author wants one.
 */
export type TransformResult =
  | { ok: true; primary: ShardData; derived: DerivedShardData[]; warnings: readonly ConversionIssue[] }
  | { ok: false; issues: ConversionIssue[] };

/** Per-field state a transform reports through; one per field run. */
export interface FieldContext {
  readonly record: unknown;
  sourcePath: string;
  targetPath: string;
  warnings: ConversionIssue[] | undefined;
}

export function warn(context: FieldContext, rule: string, message: string): null {
  (context.warnings ??= []).push({ sourcePath: context.sourcePath, targetPath: context.targetPath, rule, message });
  return null;
}

export const isMissing = (value: unknown): value is undefined | null | '' => value === undefined || value === null || value === '';
