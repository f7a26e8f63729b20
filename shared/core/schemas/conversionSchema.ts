import type { ConversionSchema as SchemaDefinition } from '../conversion/schema.js';

/** A stored conversion schema: the tenant's definition (see core/conversion/schema.ts), versioned. */
export interface ConversionSchema {
  id: string;
  tenantId: string;
  name: string;
  /** The primary shard's type (also in the definition), for listings. */
  shardType: string;
  definition: SchemaDefinition;
  /** Goes up when the definition changes; compiled schemas are cached per version. */
  version: number;
  createdAt: string;
  updatedAt: string;
}
