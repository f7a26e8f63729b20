import type { ContainerName, Doc, Query, QueryPage } from '../ports/store.js';
import type { SyncDeps } from './syncDeps.js';
import { parseInput } from './zodIssues.js';
import { z } from 'zod';

export const listParams = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  continuationToken: z.string().min(1).optional(),
});
export type ListParams = z.infer<typeof listParams>;

export interface Listing<T> {
  items: T[];
  continuationToken?: string;
}

/** One page of a tenant's documents of one container. */
export async function listDocuments<T extends Doc>(
  deps: SyncDeps,
  container: ContainerName,
  tenantId: string,
  params: Record<string, string | undefined>,
  query: Query = {},
): Promise<QueryPage<T>> {
  const { limit, continuationToken } = parseInput(listParams, params, 'query');
  return deps.store.query<T>(container, tenantId, query, { maxItems: limit, continuationToken });
}
