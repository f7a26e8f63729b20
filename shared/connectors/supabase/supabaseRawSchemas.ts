import type { ConversionSchemaInput } from '../../core/conversion/schema.js';

/** The shard field the whole source record is kept in, for a target table's jsonb column. */
export const RAW_FIELD = 'raw';

/**
 * Source schemas (any provider's) that also keep the whole source record at `raw` (the `$` source
 * path): what an outbound Supabase stream writes into a jsonb column beside the mapped fields.
 * Derived shards are left as they are: they have no record of their own.
 */
export function supabaseRawSchemas<K extends string>(schemas: Readonly<Record<K, ConversionSchemaInput>>): Record<K, ConversionSchemaInput> {
  return Object.fromEntries(
    Object.entries<ConversionSchemaInput>(schemas).map(([name, schema]) => [
      name,
      schema.fields.some((rule) => !Array.isArray(rule.to) && rule.to === RAW_FIELD) ? schema : { ...schema, fields: [...schema.fields, { from: '$', to: RAW_FIELD }] },
    ]),
  ) as Record<K, ConversionSchemaInput>;
}
