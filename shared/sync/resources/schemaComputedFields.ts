import type { ConversionSchema } from '../../core/schemas/conversionSchema.js';
import { computedFields, fieldRulesFor } from '../../core/conversion/computedFields.js';
import { compileRecompute, type Recompute } from '../../core/conversion/recomputeFields.js';

/** A stored schema's computed fields for one shard type: their paths, and how to compute them again. */
export interface SchemaComputedFields {
  paths: ReadonlySet<string>;
  recompute: Recompute;
}

/** A schema without computed fields (or none at all). */
export const NO_COMPUTED_FIELDS: SchemaComputedFields = { paths: new Set(), recompute: async (data) => data };
const compiled = new Map<string, SchemaComputedFields>();

/** Compiled once per schema version, shard type and process, as transforms are (transformCache.ts). */
export function schemaComputedFields(schema: ConversionSchema, shardType: string = schema.shardType): SchemaComputedFields {
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
