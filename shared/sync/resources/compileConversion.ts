import type { ConversionSchema } from '../../core/schemas/conversionSchema.js';
import { compileSchema, type CompiledSchema } from '../../core/conversion/compileSchema.js';
import { compileRelationships, type ParentRef } from '../../core/conversion/relationships.js';
import { conversionSchema, type LinkWait } from '../../core/conversion/schema.js';
import type { LruCache } from '../../core/operations/lruCache.js';

/** A stored schema, compiled: the transform, the record's parents, and how long to wait for them. */
export interface CompiledConversion {
  transform: CompiledSchema;
  parentsOf: (record: unknown) => ParentRef[];
  linkWait: LinkWait;
}

/** A schema compiles once per version and process (deps.caches); batches only run the compiled functions. */
export function compileConversion(deps: { caches: { conversions: LruCache<string, CompiledConversion> } }, schema: ConversionSchema): CompiledConversion {
  const compiled = deps.caches.conversions;
  const key = `${schema.tenantId}/${schema.id}@${schema.version}`;
  let conversion = compiled.get(key);
  if (!conversion) {
    const definition = conversionSchema.parse(schema.definition);
    conversion = {
      transform: compileSchema(definition),
      parentsOf: compileRelationships(definition.relationships),
      linkWait: definition.linkWait,
    };
    compiled.set(key, conversion);
  }
  return conversion;
}
