import { z } from 'zod';
import type { SchemaPreview } from '../../core/schemas/schemaPreview.js';
import type { SyncDeps } from '../syncDeps.js';
import { getConversionSchema } from './conversionSchemas.js';
import { compileConversion } from './compileConversion.js';
import { parseInput } from '../parseInput.js';

export const previewRequest = z
  .strictObject({
    records: z.array(z.record(z.string(), z.unknown())).min(1).max(100).describe('Sample provider records, as the provider sends them.'),
  })
  .meta({ id: 'SchemaPreviewRequest' });

/** Runs a stored schema over sample records and shows what each would become; writes nothing. */
export async function previewSchema(deps: SyncDeps, tenantId: string, schemaId: string, body: unknown): Promise<SchemaPreview> {
  const schema = await getConversionSchema(deps, tenantId, schemaId);
  const { records } = parseInput(previewRequest, body);
  const { transform, parentsOf } = compileConversion(deps, schema);
  const results: SchemaPreview['results'] = [];
  for (const [index, record] of records.entries()) {
    const result = transform.async ? await transform.run(record) : transform.run(record);
    results.push(result.ok ? { index, ...result, parents: parentsOf(record) } : { index, ...result });
  }
  return { schemaId: schema.id, version: schema.version, results };
}
