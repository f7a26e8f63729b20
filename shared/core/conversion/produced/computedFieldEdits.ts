import type { ComputedField } from './computedFields.js';
import type { PatchTypeIssue } from './patchTypeIssues.js';

/**
 * Pure: where a JSON merge patch of shard data (RFC 7396) sets or removes a computed field —
 * at its path, or by replacing an object it lies in — each named with its path under `prefix`
 * and what it is computed from. Its inputs are what can be edited.
 */
export function computedFieldEdits(computed: ReadonlyMap<string, Omit<ComputedField, 'rule'>>, patch: Record<string, unknown>, prefix: string): PatchTypeIssue[] {
  const issues: PatchTypeIssue[] = [];
  for (const field of computed.values()) {
    if (!touches(patch, field.path.split('.'))) continue;
    issues.push({
      path: `${prefix}.${field.path}`,
      message: `is computed by the conversion schema from ${inputsOf(field)} (${field.by.join(', ')}): it cannot be edited or written back; edit its inputs instead`,
    });
  }
  return issues;
}

/** An expression may read any field of the record besides its own input. */
const inputsOf = (field: Omit<ComputedField, 'rule'>): string =>
  `${field.inputs.join(', ')}${field.by.includes('expression') ? ' and whatever else of the record its expression reads' : ''}`;

/** Does the patch reach the path: a value there, or a value that replaces an object on the way? */
function touches(patch: unknown, keys: readonly string[]): boolean {
  let node = patch;
  for (const key of keys) {
    if (node === null || typeof node !== 'object' || Array.isArray(node)) return true;
    if (!Object.hasOwn(node, key)) return false;
    node = (node as Record<string, unknown>)[key];
  }
  return true;
}
