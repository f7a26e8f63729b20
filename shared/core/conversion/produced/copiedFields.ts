import type { FieldRule } from '../schema.js';

/** Transforms that only tidy a value: what they give still is the provider's value. */
const TIDYING = new Set(['trim', 'case']);
const PLAIN_SOURCE = /^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*$/;

/**
 * Pure: the target fields that hold one source field's value as it is, copied or only tidied
 * (trim, case), by target path, with the source path they were read from. These are the fields
 * with a way back: their value is what the provider holds at that path.
 */
export function copiedFields(rules: readonly FieldRule[]): Map<string, string> {
  const sourceOf = new Map<string, string>();
  for (const rule of rules) {
    if (rule.from === undefined || Array.isArray(rule.to) || !PLAIN_SOURCE.test(rule.from)) continue;
    if (!rule.transforms.every((transform) => TIDYING.has(transform.op))) continue;
    sourceOf.set(rule.to, rule.from);
  }
  return sourceOf;
}
