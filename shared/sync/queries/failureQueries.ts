import { z } from 'zod';
import type { Filter } from '../../ports/store.js';
import type { Failure } from '../../core/schemas/failure.js';
import type { SyncDeps } from '../syncDeps.js';
import { requireTenant } from '../tenants/tenants.js';
import { parseInput } from '../parseInput.js';
import { countParam, countRequested, listParams, type Listing } from '../resourceListing.js';
import type { ListCount } from '../../core/schemas/answers/listCount.js';
import { requireDocument } from '../resources/resourceIdentity.js';

/** Filters shared by listing and retrying failures. */
export const failureFilters = z.object({
  executionId: z.string().min(1).optional(),
  taskId: z.string().min(1).optional(),
  stream: z.string().min(1).optional(),
  stage: z.enum(['start', 'fetch', 'transform', 'save', 'dead-letter']).optional(),
  errorClass: z.string().min(1).optional(),
  status: z.enum(['open', 'retried', 'resolved']).optional(),
});
export type FailureFilters = z.infer<typeof failureFilters>;

export function failureQueryFilters(filters: FailureFilters): Filter[] {
  return Object.keys(failureFilters.shape).flatMap((path) => {
    const value = filters[path as keyof FailureFilters];
    return value === undefined ? [] : [{ path, op: '=' as const, value }];
  });
}

/** The query of GET …/failures: the filters, paging, and `count`. */
export const failureListQuery = listParams.extend(failureFilters.shape).extend(countParam);
type FailureListInput = z.infer<typeof failureListQuery>;

/** What listings show of a failure: the original message is left out (it can be large); read one failure for it. */
export type FailureListItem = Omit<Failure, 'originalMessage'>;

/** A page of failures, newest first. */
export async function listFailures(deps: SyncDeps, tenantId: string, params: Record<string, string | undefined>): Promise<Listing<FailureListItem>> {
  await requireTenant(deps, tenantId);
  return pageOfFailures(deps, tenantId, parseInput(failureListQuery.omit({ count: true }), params, 'query'));
}

/** GET …/failures: a page of them, or with `count=true` how many the filters match. */
export async function listOrCountFailures(
  deps: SyncDeps,
  tenantId: string,
  params: Record<string, string | undefined>,
): Promise<Listing<FailureListItem> | ListCount> {
  await requireTenant(deps, tenantId);
  const input = parseInput(failureListQuery, params, 'query');
  if (countRequested(input, params)) return { count: await deps.store.count('failures', tenantId, { filters: failureQueryFilters(input) }) };
  return pageOfFailures(deps, tenantId, input);
}

async function pageOfFailures(deps: SyncDeps, tenantId: string, input: Omit<FailureListInput, 'count'>): Promise<Listing<FailureListItem>> {
  const page = await deps.store.query<Failure>(
    'failures',
    tenantId,
    { filters: failureQueryFilters(input), orderBy: { path: 'createdAt', direction: 'desc' } },
    { maxItems: input.limit, continuationToken: input.continuationToken },
  );
  return {
    items: page.items.map(({ originalMessage: _original, ...failure }) => failure),
    ...(page.continuationToken ? { continuationToken: page.continuationToken } : {}),
  };
}

export async function getFailure(deps: SyncDeps, tenantId: string, failureId: string): Promise<Failure> {
  await requireTenant(deps, tenantId);
  return requireDocument<Failure>(deps, 'failures', 'failure', tenantId, failureId);
}
