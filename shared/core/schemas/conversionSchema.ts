import { z } from 'zod';
import { resourceId } from './resourceId.js';

const sourcePath = z
  .string()
  .regex(/^[A-Za-z0-9_$-]+(\.[A-Za-z0-9_$-]+)*$/, 'must be a dotted path such as "billing.email" or "line_items.0.sku"');
const targetPath = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/, 'must be a dotted path of identifiers');

export const fieldMapping = z.strictObject({
  source: sourcePath,
  target: targetPath,
  required: z.boolean().default(false),
});
export type FieldMapping = z.infer<typeof fieldMapping>;

/** The minimal transform: field-to-field mapping with required fields (issue 6 deepens it). */
export const conversionSchemaInput = z
  .strictObject({
    id: resourceId.optional(),
    name: z.string().min(1).max(200).optional(),
    shardType: resourceId,
    fields: z.array(fieldMapping).min(1).max(500),
  })
  .superRefine((schema, ctx) => {
    const seen = new Map<string, number>();
    schema.fields.forEach((field, index) => {
      const first = seen.get(field.target);
      if (first !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['fields', index, 'target'],
          message: `target "${field.target}" is already mapped by fields.${first}`,
        });
      }
      seen.set(field.target, index);
    });
  });
export type ConversionSchemaInput = z.infer<typeof conversionSchemaInput>;

export interface ConversionSchema {
  id: string;
  tenantId: string;
  name: string;
  shardType: string;
  fields: FieldMapping[];
  version: number;
  createdAt: string;
  updatedAt: string;
}
