import { z } from 'zod';
import type { Shard } from '../../core/schemas/shard.js';
import type { ConversionSchema } from '../../core/schemas/conversionSchema.js';
import { compileCheck } from '../../core/conversion/validations.js';
import { isRecord } from '../../core/conflicts/fieldChanges.js';
import { contentHash } from '../../core/contentHash.js';
import { producedFieldTypes, type FieldsType } from '../../core/conversion/produced/producedFieldTypes.js';
import { patchTypeIssues } from '../../core/conversion/produced/patchTypeIssues.js';
import { computedFieldsOfType, fieldRulesFor, type ComputedField } from '../../core/conversion/produced/computedFields.js';
import { computedFieldEdits } from '../../core/conversion/produced/computedFieldEdits.js';
import type { Recompute } from '../../core/conversion/produced/recomputeFields.js';
import { editedShardHash } from '../../core/executions/editedShardHash.js';
import type { SyncDeps } from '../syncDeps.js';
import { updateDocument } from '../documentUpdate.js';
import { recordShardChanges } from '../changes/recordShardChanges.js';
import { refuseTooDeep } from '../security/refuseTooDeep.js';
import { requireTenant } from '../tenants/tenants.js';
import { InvalidInputError, type IssueDetail } from '../invalidInputError.js';
import { StateConflictError } from '../stateConflictError.js';
import { UnknownResourceError } from '../unknownResourceError.js';
import { parseInput } from '../parseInput.js';
import { queueWriteBacksOf } from './writeBackQueue.js';
import { recordActivity } from '../operations/activityLog.js';
import { NO_COMPUTED_FIELDS, schemaComputedFields } from '../resources/schemaComputedFields.js';

export const patchRequest = z.strictObject({
  /** A JSON merge patch (RFC 7396) of the shard's data: null removes a field. */
  data: z.record(z.string(), z.unknown()),
});

/** RFC 7396: objects merge key by key, null removes, anything else replaces. */
export function applyMergePatch(target: unknown, patch: unknown): unknown {
  if (!isRecord(patch)) return patch;
  const result: Record<string, unknown> = isRecord(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = applyMergePatch(result[key], value);
  }
  return result;
}

/** The shard type's validations, from every schema that produces it: what an inbound record must pass, a local edit must too. */
export async function validateShardData(deps: SyncDeps, tenantId: string, shardType: string, data: Record<string, unknown>, prefix = 'data'): Promise<IssueDetail[]> {
  const issues: IssueDetail[] = [];
  const schemas = await deps.store.query<ConversionSchema>('schemas', tenantId, { filters: [{ path: 'shardType', op: '=', value: shardType }] }, { maxItems: 100 });
  for (const schema of schemas.items) {
    for (const rule of schema.definition.validations) {
      const message = compileCheck(rule)(data);
      if (message !== undefined) issues.push({ path: `${prefix}.${rule.path}`, message });
    }
  }
  return issues;
}

/**
 * Where a merge patch of a shard's data puts what the shard type's schemas (primary or derived)
 * never produce: a field none fills, or a value of another type. A type no schema produces any
 * more takes no field but removals.
 */
export async function patchTypeIssuesOf(deps: SyncDeps, tenantId: string, shardType: string, patch: Record<string, unknown>, prefix = 'data'): Promise<IssueDetail[]> {
  const schemas = (await tenantSchemas(deps, tenantId)).map((schema) => schema.definition);
  return patchTypeIssues(producedFieldTypes(schemas, shardType) ?? NOTHING_PRODUCED, patch, prefix);
}

const NOTHING_PRODUCED: FieldsType = { kind: 'fields', fields: new Map() };

async function tenantSchemas(deps: SyncDeps, tenantId: string): Promise<ConversionSchema[]> {
  const schemas: ConversionSchema[] = [];
  let continuationToken: string | undefined;
  do {
    const page = await deps.store.query<ConversionSchema>('schemas', tenantId, {}, { maxItems: 1000, ...(continuationToken ? { continuationToken } : {}) });
    schemas.push(...page.items);
    continuationToken = page.continuationToken;
  } while (continuationToken);
  return schemas;
}

/**
 * The computed fields of a shard type (see computedFieldsOfType), and how they follow an edit of
 * their inputs. That needs the one schema making the type: with several, which one made a shard
 * is not known here, and its computed fields wait for the provider's record to bring them.
 */
export async function shardTypeComputedFields(deps: SyncDeps, tenantId: string, shardType: string): Promise<{ fields: Map<string, Omit<ComputedField, 'rule'>>; recompute: Recompute }> {
  const schemas = (await tenantSchemas(deps, tenantId)).filter((schema) => fieldRulesFor(schema.definition, shardType) !== undefined);
  const { recompute } = schemas.length === 1 ? schemaComputedFields(deps, schemas[0]!, shardType) : NO_COMPUTED_FIELDS;
  return { fields: computedFieldsOfType(schemas.map((schema) => schema.definition), shardType), recompute };
}

/**
 * `PATCH …/shards/{id}`: a person's (or a test's) change on our side. Checked against what the
 * shard type's schemas produce (422 naming unknown fields, values of the wrong type and computed
 * fields), computed fields follow the edited inputs, then validated like inbound data (422 naming
 * the fields); then every record of the shard synced by a bidirectional task gets a write-back
 * queued. A shard merged from several records is not edited (409): which record a field belongs
 * to would be a guess. The shard's `hash` follows its data.
 */
export async function patchShard(deps: SyncDeps, tenantId: string, shardId: string, body: unknown, actor: { type: 'operator'; id?: string }): Promise<Shard> {
  await requireTenant(deps, tenantId);
  refuseTooDeep(body);
  const { data: patch } = parseInput(patchRequest, body);
  const { shard, changed } = await updateDocument<Shard, { shard: Shard; changed: boolean }>(deps, 'shards', tenantId, shardId, async (current) => {
    if (!current) throw new UnknownResourceError('shard', shardId);
    if (current.contributions) throw new StateConflictError(`shard ${shardId} is merged from several records and cannot be edited`, { merged: current.contributions.map((c) => c.source) });
    const computed = await shardTypeComputedFields(deps, tenantId, current.shardType);
    const typeIssues = [...(await patchTypeIssuesOf(deps, tenantId, current.shardType, patch)), ...computedFieldEdits(computed.fields, patch, 'data')];
    if (typeIssues.length > 0) throw new InvalidInputError(typeIssues);
    const data = await computed.recompute(applyMergePatch(current.data, patch) as Record<string, unknown>, current.data);
    const issues = await validateShardData(deps, tenantId, current.shardType, data);
    if (issues.length > 0) throw new InvalidInputError(issues);
    if (contentHash(data) === contentHash(current.data)) return { result: { shard: current, changed: false } };
    const edited: Shard = { ...current, data, hash: editedShardHash(current, data), version: current.version + 1, updatedAt: deps.clock.now().toISOString() };
    // Announced before the write, as every shard write is (recordShardChanges); a lost race re-decides and announces the next version.
    await recordShardChanges(deps, tenantId, [{ fact: { kind: 'updated', shardId, shardType: edited.shardType, version: edited.version } }]);
    return { result: { shard: edited, changed: true }, next: edited };
  });
  if (!changed) return shard;
  const queued = await queueWriteBacksOf(deps, shard);
  await recordActivity(deps, { tenantId, actor, action: 'shard.edited', subject: { kind: 'shard', id: shardId }, details: { fields: Object.keys(patch), writeBacks: queued } });
  return shard;
}
