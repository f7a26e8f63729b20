import type { Stored } from '../../ports/store.js';
import { z } from 'zod';
import { resourceId } from '../../core/schemas/resourceId.js';
import type { ConversionSchema } from '../../core/schemas/conversionSchema.js';
import { validateSchema } from '../../core/conversion/validateSchema.js';
import { InvalidInputError } from '../invalidInputError.js';
import { StateConflictError } from '../stateConflictError.js';
import type { SyncTask } from '../../core/schemas/syncTask.js';
import { canonicalJson } from '../../core/canonicalJson.js';
import type { SyncDeps } from '../syncDeps.js';
import { requireTenant } from '../tenants/tenants.js';
import { requireDocument, resolveResourceId } from './resourceIdentity.js';
import { parseInput } from '../parseInput.js';
import { listDocuments, type Listing } from '../resourceListing.js';

/**
 * Create or update a conversion schema. The definition is validated in full here — every problem
 * listed with its path (regexes, date formats, time zones, JSONata, clashing targets) — so a
 * schema that cannot run is refused at creation, not at run time. The version goes up only when
 * the definition changes.
 */
export async function saveConversionSchema(
  deps: SyncDeps,
  tenantId: string,
  body: unknown,
  pathId?: string,
): Promise<{ schema: Stored<ConversionSchema>; created: boolean }> {
  await requireTenant(deps, tenantId);
  const { id: bodyId, name, definition } = parseInput(schemaEnvelope, body);
  const id = resolveResourceId({ pathId, bodyId, pathParam: 'schemaId', prefix: 'sch' });
  const validation = validateSchema(definition);
  if (!validation.ok) throw new InvalidInputError(validation.problems);
  const existing = await deps.store.read<ConversionSchema>('schemas', tenantId, id);
  const changed = !existing || canonicalJson(existing.definition) !== canonicalJson(validation.schema);
  const now = deps.clock.now().toISOString();
  const schema: ConversionSchema = {
    id,
    tenantId,
    name: name ?? existing?.name ?? id,
    shardType: validation.schema.shardType,
    definition: validation.schema,
    version: existing ? existing.version + (changed ? 1 : 0) : 1,
    createdAt: existing?.createdAt ?? now,
    updatedAt: changed ? now : existing.updatedAt,
  };
  const stored = await deps.store.upsert('schemas', schema);
  return { schema: stored, created: !existing };
}

/** The body is the definition itself, plus an optional id and name. */
const schemaEnvelope = z
  .looseObject({ id: resourceId.optional(), name: z.string().min(1).max(200).optional() })
  .transform(({ id, name, ...definition }) => ({ id, name, definition }));

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

/** Deletes a schema no task uses; one a task still syncs with is a 409 naming the tasks. */
export async function deleteConversionSchema(deps: SyncDeps, tenantId: string, schemaId: string): Promise<void> {
  await requireTenant(deps, tenantId);
  await requireConversionSchema(deps, tenantId, schemaId);
  // A stream reads with a schema, or (outbound) writes with one.
  const users = await Promise.all(
    ([{ schemaId }, { writeSchemaId: schemaId }] as Array<Record<string, string>>).map((match) => deps.store.query<SyncTask>('tasks', tenantId, { filters: [{ path: 'streams', op: 'arrayContains', match }] }, { maxItems: 100 })),
  );
  const tasks = [...new Set(users.flatMap((page) => page.items.map((task) => task.id)))];
  if (tasks.length > 0) throw new StateConflictError(`schema "${schemaId}" is used by tasks`, { tasks });
  await deps.store.delete('schemas', tenantId, schemaId);
}
