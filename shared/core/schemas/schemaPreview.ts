import { z } from 'zod';

/** A problem running a record through a schema: where (source and target paths) and which rule or transform. */
const conversionIssue = z.object({
  sourcePath: z.string(),
  targetPath: z.string(),
  rule: z.string().describe('The validation rule or transform op that raised it, e.g. `required`, `date`.'),
  message: z.string(),
});

const shardData = z.object({ shardType: z.string(), data: z.record(z.string(), z.unknown()) });

const converted = z.object({
  index: z.number().int().min(0).describe("The record's position in the request's `records`."),
  ok: z.literal(true),
  primary: shardData,
  derived: z.array(shardData.extend({ key: z.string().describe("The value of the derived shard's `key` path.") })),
  warnings: z
    .array(conversionIssue)
    // Readonly as the transform hands them out (shared, never copied per record).
    .readonly()
    .describe('Values a transform could not read (they became null); the record still converts.'),
  parents: z
    .array(z.object({ rel: z.string(), stream: z.string(), externalId: z.string() }))
    .describe('The parent records it would link to, by stream and external id.'),
});

const refused = z.object({
  index: z.number().int().min(0).describe("The record's position in the request's `records`."),
  ok: z.literal(false),
  issues: z.array(conversionIssue).describe('Why the record would be a `ValidationError` failure.'),
});

/** The answer of `POST …/schemas/{id}/preview`: what each sample record would become. Nothing is written. */
export const schemaPreview = z
  .object({
    schemaId: z.string(),
    version: z.number().int().min(1).describe('The schema version that ran.'),
    results: z.array(z.discriminatedUnion('ok', [converted, refused])).describe('One per record, in order.'),
  })
  .meta({ id: 'SchemaPreview', description: 'What each sample record would become under the stored schema; nothing is written.' });
export type SchemaPreview = z.infer<typeof schemaPreview>;
