import { z } from 'zod';
import { conversionSchema as schemaDefinition } from '../conversion/schema.js';
import { resourceId } from './resourceId.js';

/**
 * What a save of a conversion schema takes: the definition itself (see core/conversion/schema.ts)
 * with an optional id and name beside its fields.
 */
export const conversionSchemaInput = schemaDefinition
  .extend({
    id: resourceId.optional().describe('POST only: the id to create or update; absent, the server picks one (`sch_…`).'),
    name: z.string().min(1).max(200).optional().describe('Absent: the stored name is kept (the id on creation).'),
  })
  .meta({
    id: 'ConversionSchemaInput',
    description: 'A conversion schema: how a provider record becomes a primary shard (and derived shards), with validations and relationships.',
  });

/** A stored conversion schema: the tenant's definition, versioned. */
export const conversionSchemaView = z
  .object({
    id: z.string(),
    tenantId: z.string(),
    name: z.string(),
    shardType: z.string().describe("The primary shard's type (also in the definition), for listings."),
    definition: schemaDefinition.describe('The definition as validated, defaults filled in.'),
    version: z.number().int().min(1).describe('Goes up when the definition changes (a save of the same definition keeps it).'),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime().describe('When the definition last changed.'),
  })
  .meta({ id: 'ConversionSchema', description: 'A conversion schema as stored: the definition with its version.' });
export type ConversionSchema = z.infer<typeof conversionSchemaView>;
