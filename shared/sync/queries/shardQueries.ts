import { z } from 'zod';
import type { ArrayContainsFilter, DefinedFilter, Filter, Stored } from '../../ports/store.js';
import type { Shard, ShardView } from '../../core/schemas/shard.js';
import type { SyncDeps } from '../syncDeps.js';
import { requireTenant } from '../tenants/tenants.js';
import { UnknownResourceError } from '../unknownResourceError.js';
import { parseInput } from '../parseInput.js';
import { countParam, countRequested, listParams, type Listing } from '../resourceListing.js';
import type { ListCount } from '../../core/schemas/answers/listCount.js';
import { readAlias } from '../entityResolution/shardMerges.js';

/** What the API shows of a shard: bookkeeping for redelivery stays inside. */
export const toShardView = ({ createdByBatch: _c, updatedByBatch: _u, ...shard }: Shard): ShardView => shard;

/** The query of GET …/shards: filters, paging, and `count`. */
export const shardListQuery = listParams.extend({
  type: z.string().min(1).optional(),
  externalId: z.string().min(1).optional(),
  connectionId: z.string().min(1).optional(),
  /** Shards linking to this one (an order to its customer, a derived shard to its primary)… */
  linkedTo: z.string().min(1).optional(),
  /** …through this relationship only. */
  rel: z.string().min(1).optional(),
  /** `true`: only tombstones (shards whose records a complete full read no longer found); `false` (default): only live shards. */
  deleted: z
    .enum(['true', 'false'])
    .default('false')
    .transform((value) => value === 'true')
    .describe('`true` lists only tombstones (records deleted at the provider); by default they are left out'),
  ...countParam,
});
type ShardListInput = z.infer<typeof shardListQuery>;

export async function listShards(
  deps: SyncDeps,
  tenantId: string,
  params: Record<string, string | undefined>,
): Promise<Listing<ShardView>> {
  await requireTenant(deps, tenantId);
  return pageOfShards(deps, tenantId, parseInput(shardListQuery.omit({ count: true }), params, 'query'));
}

/** GET …/shards: a page of them, or with `count=true` how many the filters match (by type, connection, link…). */
export async function listOrCountShards(
  deps: SyncDeps,
  tenantId: string,
  params: Record<string, string | undefined>,
): Promise<Listing<ShardView> | ListCount> {
  await requireTenant(deps, tenantId);
  const input = parseInput(shardListQuery, params, 'query');
  if (countRequested(input, params)) return { count: await deps.store.count('shards', tenantId, { filters: shardQueryFilters(input) }) };
  return pageOfShards(deps, tenantId, input);
}

async function pageOfShards(deps: SyncDeps, tenantId: string, input: Omit<ShardListInput, 'count'>): Promise<Listing<ShardView>> {
  const page = await deps.store.query<Shard>('shards', tenantId, { filters: shardQueryFilters(input) }, {
    maxItems: input.limit,
    continuationToken: input.continuationToken,
  });
  return { items: page.items.map((shard: Stored<Shard>) => toShardView(shard)), continuationToken: page.continuationToken };
}

function shardQueryFilters(input: Omit<ShardListInput, 'count'>): Array<Filter | ArrayContainsFilter | DefinedFilter> {
  const filters: Array<Filter | ArrayContainsFilter | DefinedFilter> = [{ path: 'deletedAt', op: 'defined', defined: input.deleted }];
  if (input.type) filters.push({ path: 'shardType', op: '=', value: input.type });
  if (input.externalId || input.connectionId) {
    filters.push({
      path: 'externalRelationships',
      op: 'arrayContains',
      match: {
        ...(input.externalId ? { externalId: input.externalId } : {}),
        ...(input.connectionId ? { connectionId: input.connectionId } : {}),
      },
    });
  }
  if (input.linkedTo || input.rel) {
    filters.push({
      path: 'links',
      op: 'arrayContains',
      match: { ...(input.linkedTo ? { shardId: input.linkedTo } : {}), ...(input.rel ? { rel: input.rel } : {}) },
    });
  }
  return filters;
}

export async function getShard(deps: SyncDeps, tenantId: string, shardId: string): Promise<ShardView> {
  await requireTenant(deps, tenantId);
  const shard = await deps.store.read<Shard>('shards', tenantId, shardId);
  if (shard) return toShardView(shard);
  // A record merged into another shard is found under its own id too: it leads to the survivor.
  const alias = await readAlias(deps, tenantId, shardId);
  const survivor = alias && (await deps.store.read<Shard>('shards', tenantId, alias.survivorId));
  if (!survivor) throw new UnknownResourceError('shard', shardId);
  return toShardView(survivor);
}
