import type { ConversionSchema } from '../../core/schemas/conversionSchema.js';
import { computedFields, fieldRulesFor } from '../../core/conversion/produced/computedFields.js';
import { compileRecompute, type Recompute } from '../../core/conversion/produced/recomputeFields.js';
import type { LruCache } from '../../core/operations/lruCache.js';

/** A stored schema's computed fields for one shard type: their paths, and how to compute them again. */
export interface SchemaComputedFields {
  paths: ReadonlySet<string>;
  recompute: Recompute;
}

/** A schema without computed fields (or none at all). */
export const NO_COMPUTED_FIELDS: SchemaComputedFields = { paths: new Set(), recompute: async (data) => data };

/** Compiled once per schema version, shard type and process (deps.caches), as transforms are (compileConversion.ts). */
export function schemaComputedFields(
  deps: { caches: { computedFields: LruCache<string, SchemaComputedFields> } },
  schema: ConversionSchema,
  shardType: string = schema.shardType,
): SchemaComputedFields {
  const compiled = deps.caches.computedFields;
  const key = `${schema.tenantId}/${schema.id}@${schema.version}#${shardType}`;
  let found = compiled.get(key);
  if (!found) {
    const rules = fieldRulesFor(schema.definition, shardType) ?? [];
    const fields = computedFields(rules);
    found = fields.length === 0 ? NO_COMPUTED_FIELDS : { paths: new Set(fields.map((field) => field.path)), recompute: compileRecompute(rules) };
    compiled.set(key, found);
  }
  return found;
}
