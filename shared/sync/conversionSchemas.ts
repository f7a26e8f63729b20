import type { Stored } from '../ports/store.js';
import { conversionSchemaInput, type ConversionSchema } from '../core/schemas/conversionSchema.js';
import { canonicalJson } from '../core/canonicalJson.js';
import type { SyncDeps } from './syncDeps.js';
import { requireTenant } from './tenants.js';
import { requireDocument, resolveResourceId } from './resourceIdentity.js';
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
  const input = parseInput(conversionSchemaInput, body);
  const id = resolveResourceId({ pathId, bodyId: input.id, pathParam: 'schemaId', prefix: 'sch' });
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

export const requireConversionSchema = (deps: SyncDeps, tenantId: string, schemaId: string): Promise<Stored<ConversionSchema>> =>
  requireDocument<ConversionSchema>(deps, 'schemas', 'schema', tenantId, schemaId);

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
