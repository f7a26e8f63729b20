import type { ConversionSchema } from '../core/schemas/conversionSchema.js';
import { compileSchema, type CompiledSchema } from '../core/conversion/compileSchema.js';

const compiled = new Map<string, CompiledSchema>();

/** A schema compiles once per version and process; batches only run the compiled function. */
export function transformFor(schema: ConversionSchema): CompiledSchema {
  const key = `${schema.tenantId}/${schema.id}@${schema.version}`;
  let transform = compiled.get(key);
  if (!transform) {
    transform = compileSchema(schema.definition);
    compiled.set(key, transform);
  }
  return transform;
}
