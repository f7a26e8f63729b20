import { z } from 'zod';
import type { ArrayContainsFilter, Filter, Stored } from '../ports/store.js';
import type { Shard } from '../core/schemas/shard.js';
import type { SyncDeps } from './syncDeps.js';
import { requireTenant } from './tenants.js';
import { UnknownResourceError } from './useCaseErrors.js';
import { parseInput } from './zodIssues.js';
import { listParams, type Listing } from './resourceListing.js';
import { readAlias } from './shardMerges.js';

/** What the API shows of a shard: bookkeeping for redelivery stays inside. */
export type ShardView = Omit<Shard, 'createdByBatch' | 'updatedByBatch'>;

const view = ({ createdByBatch: _c, updatedByBatch: _u, ...shard }: Shard): ShardView => shard;

const shardFilters = listParams.extend({
  type: z.string().min(1).optional(),
  externalId: z.string().min(1).optional(),
  connectionId: z.string().min(1).optional(),
  /** Shards linking to this one (an order to its customer, a derived shard to its primary)… */
  linkedTo: z.string().min(1).optional(),
  /** …through this relationship only. */
  rel: z.string().min(1).optional(),
});

export async function listShards(
  deps: SyncDeps,
  tenantId: string,
  params: Record<string, string | undefined>,
): Promise<Listing<ShardView>> {
  await requireTenant(deps, tenantId);
  const input = parseInput(shardFilters, params, 'query');
  const filters: Array<Filter | ArrayContainsFilter> = [];
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
  const page = await deps.store.query<Shard>('shards', tenantId, { filters }, {
    maxItems: input.limit,
    continuationToken: input.continuationToken,
  });
  return { items: page.items.map((shard: Stored<Shard>) => view(shard)), continuationToken: page.continuationToken };
}

export async function getShard(deps: SyncDeps, tenantId: string, shardId: string): Promise<ShardView> {
  await requireTenant(deps, tenantId);
  const shard = await deps.store.read<Shard>('shards', tenantId, shardId);
  if (shard) return view(shard);
  // A record merged into another shard is found under its own id too: it leads to the survivor.
  const alias = await readAlias(deps, tenantId, shardId);
  const survivor = alias && (await deps.store.read<Shard>('shards', tenantId, alias.survivorId));
  if (!survivor) throw new UnknownResourceError('shard', shardId);
  return view(survivor);
}
