import { z } from 'zod';
import type { Filter, Stored } from '../../ports/store.js';
import type { Conflict } from '../../core/schemas/conflict.js';
import { conflictTypes } from '../../core/conflicts/failureDecision.js';
import type { ListCount } from '../../core/schemas/answers/listCount.js';
import type { SyncDeps } from '../syncDeps.js';
import { requireTenant } from '../tenants/tenants.js';
import { parseInput } from '../parseInput.js';
import { countParam, countRequested, listParams, type Listing } from '../resourceListing.js';

/** The query of GET …/conflicts: filters, paging, and `count`. */
export const conflictListQuery = listParams.extend({
  status: z.enum(['open', 'resolved']).optional(),
  type: z.enum(conflictTypes).optional(),
  taskId: z.string().min(1).optional(),
  executionId: z.string().min(1).optional(),
  ...countParam,
});
type ConflictListInput = z.infer<typeof conflictListQuery>;

/** A page of conflicts with how many of each type the filter matches. */
export type ConflictListing = Listing<Stored<Conflict>> & { stats: { byType: Record<string, number> } };

/** Conflicts (filtered, paged) with how many of each type the filter matches. */
export async function listConflicts(deps: SyncDeps, tenantId: string, params: Record<string, string | undefined>): Promise<ConflictListing> {
  await requireTenant(deps, tenantId);
  return pageOfConflicts(deps, tenantId, parseInput(conflictListQuery.omit({ count: true }), params, 'query'));
}

/** GET …/conflicts: a page of them, or with `count=true` how many the filters match. */
export async function listOrCountConflicts(
  deps: SyncDeps,
  tenantId: string,
  params: Record<string, string | undefined>,
): Promise<ConflictListing | ListCount> {
  await requireTenant(deps, tenantId);
  const input = parseInput(conflictListQuery, params, 'query');
  if (countRequested(input, params)) return { count: await deps.store.count('conflicts', tenantId, { filters: conflictQueryFilters(input) }) };
  return pageOfConflicts(deps, tenantId, input);
}

function conflictQueryFilters(input: Omit<ConflictListInput, 'count'>): Filter[] {
  const filters: Filter[] = [];
  for (const field of ['status', 'type', 'taskId', 'executionId'] as const) {
    if (input[field]) filters.push({ path: field, op: '=', value: input[field] });
  }
  return filters;
}

async function pageOfConflicts(deps: SyncDeps, tenantId: string, input: Omit<ConflictListInput, 'count'>): Promise<ConflictListing> {
  const filters = conflictQueryFilters(input);
  const page = await deps.store.query<Conflict>('conflicts', tenantId, { filters, orderBy: { path: 'createdAt', direction: 'desc' } }, {
    maxItems: input.limit,
    ...(input.continuationToken ? { continuationToken: input.continuationToken } : {}),
  });
  // Counted by the store, one query per type, rather than by reading every matching conflict.
  const counts = await Promise.all(
    conflictTypes
      .filter((type) => !input.type || type === input.type)
      .map(async (type) => [type, await deps.store.count('conflicts', tenantId, { filters: [...filters, { path: 'type', op: '=', value: type }] })] as const),
  );
  const byType = Object.fromEntries(counts.filter(([, count]) => count > 0));
  return { items: page.items, ...(page.continuationToken ? { continuationToken: page.continuationToken } : {}), stats: { byType } };
}
