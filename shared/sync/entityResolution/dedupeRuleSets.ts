import type { Stored } from '../../ports/store.js';
import type { ConversionSchema } from '../../core/schemas/conversionSchema.js';
import { validateDedupeRules } from '../../core/dedupe/dedupeRules.js';
import { canonicalJson } from '../../core/canonicalJson.js';
import type { SyncDeps } from '../syncDeps.js';
import { requireTenant } from '../tenants/tenants.js';
import { requireDocument } from '../resources/resourceIdentity.js';
import { InvalidInputError } from '../invalidInputError.js';
import { listDocuments, type Listing } from '../resourceListing.js';
import { readDedupeRollout, startDedupeRollout } from './dedupeRollout.js';
import type { DedupeRollout, DedupeRuleSet } from '../../core/schemas/dedupeRuleSet.js';

export type RuleSetView = Stored<DedupeRuleSet> & { rollout: DedupeRollout | undefined };

/**
 * Create or update the rules of a shard type, and roll them out to the shards already stored. A
 * rule set that cannot match is refused with every reason: structure and ranges (dedupeRules),
 * and fields the shard type does not have — the targets of the conversion schemas that produce it.
 */
export async function saveDedupeRules(
  deps: SyncDeps,
  tenantId: string,
  body: unknown,
  pathId?: string,
): Promise<{ ruleSet: RuleSetView; created: boolean }> {
  await requireTenant(deps, tenantId);
  const shardType = (body as { shardType?: unknown } | null)?.shardType;
  if (pathId !== undefined && shardType !== pathId) {
    throw new InvalidInputError([{ path: 'shardType', message: `must equal the shard type in the path ("${pathId}")` }]);
  }
  const knownFields = typeof shardType === 'string' ? await fieldsOf(deps, tenantId, shardType) : undefined;
  if (knownFields?.size === 0) {
    throw new InvalidInputError([{ path: 'shardType', message: `no conversion schema of this tenant produces shard type "${String(shardType)}"` }]);
  }
  const validation = validateDedupeRules(body, knownFields ? { knownFields } : {});
  if (!validation.ok) throw new InvalidInputError(validation.problems);
  const id = validation.rules.shardType;
  const existing = await deps.store.read<DedupeRuleSet>('dedupeRules', tenantId, id);
  const changed = !existing || canonicalJson(existing.rules) !== canonicalJson(validation.rules);
  const now = deps.clock.now().toISOString();
  const ruleSet: DedupeRuleSet = {
    id,
    tenantId,
    rules: validation.rules,
    version: existing ? existing.version + (changed ? 1 : 0) : 1,
    createdAt: existing?.createdAt ?? now,
    updatedAt: changed ? now : existing.updatedAt,
  };
  const saved = await deps.store.upsert('dedupeRules', ruleSet);
  // Also when unchanged: saving again restarts a rollout that never began or broke off.
  const rollout = await startDedupeRollout(deps, tenantId, id, saved.version);
  return { ruleSet: { ...saved, rollout }, created: !existing };
}

/** Every target path the tenant's schemas write for a shard type, primary or derived, with their parents. */
async function fieldsOf(deps: SyncDeps, tenantId: string, shardType: string): Promise<Set<string>> {
  const fields = new Set<string>();
  let continuationToken: string | undefined;
  do {
    const page = await deps.store.query<ConversionSchema>('schemas', tenantId, {}, { maxItems: 1000, ...(continuationToken ? { continuationToken } : {}) });
    for (const schema of page.items) {
      const { definition } = schema;
      const rules = [
        ...(definition.shardType === shardType ? definition.fields : []),
        ...definition.derived.filter((d) => d.shardType === shardType).flatMap((d) => d.fields),
      ];
      for (const rule of rules) for (const target of Array.isArray(rule.to) ? rule.to : [rule.to]) fields.add(target);
    }
    continuationToken = page.continuationToken;
  } while (continuationToken);
  return fields;
}

/** The rule set, with how far the rollout of its current version to the stored shards has got. */
export async function getDedupeRules(deps: SyncDeps, tenantId: string, shardType: string): Promise<RuleSetView> {
  await requireTenant(deps, tenantId);
  const ruleSet = await requireDocument<DedupeRuleSet>(deps, 'dedupeRules', 'dedupe rule set', tenantId, shardType);
  return { ...ruleSet, rollout: await readDedupeRollout(deps, tenantId, shardType) };
}

export async function listDedupeRules(deps: SyncDeps, tenantId: string, params: Record<string, string | undefined>): Promise<Listing<Stored<DedupeRuleSet>>> {
  await requireTenant(deps, tenantId);
  return listDocuments<DedupeRuleSet>(deps, 'dedupeRules', tenantId, params);
}
