import { z } from 'zod';
import type { TransformResult } from '../core/conversion/result.js';
import type { SyncDeps } from './syncDeps.js';
import { getConversionSchema } from './conversionSchemas.js';
import { transformFor } from './transformCache.js';
import { parseInput } from './zodIssues.js';

const previewRequest = z.strictObject({
  records: z.array(z.record(z.string(), z.unknown())).min(1).max(100),
});

export interface SchemaPreview {
  schemaId: string;
  version: number;
  results: Array<{ index: number } & TransformResult>;
}

/** Runs a stored schema over sample records and shows what each would become; writes nothing. */
export async function previewSchema(deps: SyncDeps, tenantId: string, schemaId: string, body: unknown): Promise<SchemaPreview> {
  const schema = await getConversionSchema(deps, tenantId, schemaId);
  const { records } = parseInput(previewRequest, body);
  const compiled = transformFor(schema);
  const results: SchemaPreview['results'] = [];
  for (const [index, record] of records.entries()) {
    results.push({ index, ...(compiled.async ? await compiled.run(record) : compiled.run(record)) });
  }
  return { schemaId: schema.id, version: schema.version, results };
}
