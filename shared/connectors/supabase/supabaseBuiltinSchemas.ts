import type { ConversionSchemaInput } from '../../core/conversion/schema.js';

/**
 * A table's columns are the tenant's own, so the one built-in schema is generic: a `record` shard
 * per row with its id, its updated time and the whole row (the `$` source path) at `row`. A tenant
 * maps the columns it cares about in a schema of its own.
 */
export const SUPABASE_BUILTIN_SCHEMAS = {
  'supabase/rows': {
    shardType: 'record',
    fields: [
      { from: 'id', to: 'externalId' },
      { from: 'updated_at', to: 'sourceModifiedAt', transforms: [{ op: 'date', formats: ['iso'], timeZone: 'UTC' }] },
      { from: '$', to: 'row' },
    ],
  },
} as const satisfies Record<string, ConversionSchemaInput>;
