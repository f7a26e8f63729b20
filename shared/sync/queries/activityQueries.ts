import { z } from 'zod';
import type { Filter } from '../../ports/store.js';
import type { ActivityEntry } from '../../core/schemas/activity.js';
import type { SyncDeps } from '../syncDeps.js';
import { requireTenant } from '../tenants/tenants.js';
import { parseInput } from '../parseInput.js';
import { timeWindowFilters, timeWindowParams, type Listing } from '../resourceListing.js';

export const activityListQuery = timeWindowParams.extend({
  action: z.string().min(1).optional(),
  executionId: z.string().min(1).optional(),
  taskId: z.string().min(1).optional(),
});

/** A tenant's audit trail, newest first, filtered by action, execution, task and time window. */
export async function listActivity(
  deps: SyncDeps,
  tenantId: string,
  params: Record<string, string | undefined>,
): Promise<Listing<ActivityEntry>> {
  await requireTenant(deps, tenantId);
  const input = parseInput(activityListQuery, params, 'query');
  const filters: Filter[] = [];
  if (input.action) filters.push({ path: 'action', op: '=', value: input.action });
  if (input.executionId) filters.push({ path: 'executionId', op: '=', value: input.executionId });
  if (input.taskId) filters.push({ path: 'taskId', op: '=', value: input.taskId });
  filters.push(...timeWindowFilters('at', input));
  const page = await deps.store.query<ActivityEntry>(
    'activity',
    tenantId,
    { filters, orderBy: { path: 'at', direction: 'desc' } },
    { maxItems: input.limit, continuationToken: input.continuationToken },
  );
  return { items: page.items, continuationToken: page.continuationToken };
}
