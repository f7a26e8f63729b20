import type { ConversionSchema } from '../core/schemas/conversionSchema.js';
import { compileTransform, type CompiledTransform } from '../core/transform.js';

const compiled = new Map<string, CompiledTransform>();

/** A schema compiles once per version and process; batches only run the compiled function. */
export function transformFor(schema: ConversionSchema): CompiledTransform {
  const key = `${schema.tenantId}/${schema.id}@${schema.version}`;
  let transform = compiled.get(key);
  if (!transform) {
    transform = compileTransform(schema.fields);
    compiled.set(key, transform);
  }
  return transform;
}
