import type { TransformRule } from '../schema.js';
import type { Step } from '../step.js';
import { compileReader } from '../paths.js';
import { isMissing } from '../result.js';

/**
 * `{ productExternalId: 'product_id', sku: 'sku' }` on an object: a new object of those fields read
 * from it (a missing one becomes null, so every object has the same keys). Non-objects pass through.
 */
export function pickStep(rule: Extract<TransformRule, { op: 'pick' }>): Step {
  const readers = Object.entries(rule.fields).map(([key, path]) => [key, compileReader(path)] as const);
  return (value) => {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
    const out: Record<string, unknown> = {};
    for (const [key, read] of readers) {
      const field = read(value);
      out[key] = isMissing(field) ? null : field;
    }
    return out;
  };
}
