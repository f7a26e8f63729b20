import type { Stored } from '../ports/store.js';
import { conversionSchemaInput, type ConversionSchema } from '../core/schemas/conversionSchema.js';
import { resourceId } from '../core/schemas/resourceId.js';
import { canonicalJson } from '../core/canonicalJson.js';
import { ids } from '../core/ids.js';
import type { SyncDeps } from './syncDeps.js';
import { requireTenant } from './tenants.js';
import { InvalidInputError, UnknownResourceError } from './useCaseErrors.js';
import { parseInput } from './zodIssues.js';
import { listDocuments, type Listing } from './resourceListing.js';

/** Create or update a conversion schema; the version goes up only when the mapping changes. */
export async function saveConversionSchema(
  deps: SyncDeps,
  tenantId: string,
  body: unknown,
  pathId?: string,
): Promise<{ schema: Stored<ConversionSchema>; created: boolean }> {
  await requireTenant(deps, tenantId);
  if (pathId !== undefined) parseInput(resourceId, pathId, 'path.schemaId');
  const input = parseInput(conversionSchemaInput, body);
  if (pathId !== undefined && input.id !== undefined && input.id !== pathId) {
    throw new InvalidInputError([{ path: 'id', message: `must equal the id in the path ("${pathId}") or be omitted` }]);
  }
  const id = pathId ?? input.id ?? ids.newResource('sch');
  const existing = await deps.store.read<ConversionSchema>('schemas', tenantId, id);
  const changed =
    !existing ||
    existing.shardType !== input.shardType ||
    canonicalJson(existing.fields) !== canonicalJson(input.fields);
  const now = deps.clock.now().toISOString();
  const schema: ConversionSchema = {
    id,
    tenantId,
    name: input.name ?? existing?.name ?? id,
    shardType: input.shardType,
    fields: input.fields,
    version: existing ? existing.version + (changed ? 1 : 0) : 1,
    createdAt: existing?.createdAt ?? now,
    updatedAt: changed ? now : existing.updatedAt,
  };
  const stored = await deps.store.upsert('schemas', schema);
  return { schema: stored, created: !existing };
}

export async function requireConversionSchema(deps: SyncDeps, tenantId: string, schemaId: string): Promise<Stored<ConversionSchema>> {
  const schema = await deps.store.read<ConversionSchema>('schemas', tenantId, schemaId);
  if (!schema) throw new UnknownResourceError('schema', schemaId);
  return schema;
}

export async function getConversionSchema(deps: SyncDeps, tenantId: string, schemaId: string) {
  await requireTenant(deps, tenantId);
  return requireConversionSchema(deps, tenantId, schemaId);
}

export async function listConversionSchemas(
  deps: SyncDeps,
  tenantId: string,
  params: Record<string, string | undefined>,
): Promise<Listing<Stored<ConversionSchema>>> {
  await requireTenant(deps, tenantId);
  return listDocuments<ConversionSchema>(deps, 'schemas', tenantId, params);
}
