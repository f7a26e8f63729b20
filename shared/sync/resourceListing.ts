import type { ContainerName, Doc, Filter, Query, QueryPage } from '../ports/store.js';
import type { SyncDeps } from './syncDeps.js';
import { parseInput } from './parseInput.js';
import { InvalidInputError } from './invalidInputError.js';
import { z } from 'zod';

/**
 * The query parameters every list takes. Lists add their filters by extending it, and anything
 * else is refused (422 naming it): a filter a list does not have, or a misspelt one, would
 * otherwise be ignored and answer with everything.
 */
export const listParams = z.strictObject({
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  continuationToken: z.string().min(1).optional(),
  /** The function key, when a caller sends it as `?code=` (the Functions host checks it, not us). */
  code: z.string().optional(),
});
export type ListParams = z.infer<typeof listParams>;

/**
 * A time bound in a list's query, normalised to `toISOString()` as stored timestamps are, so
 * that comparing them as text compares them as time.
 */
export const queryInstant = z.iso
  .datetime({ offset: true, error: 'must be an ISO 8601 date-time with a time zone, e.g. 2024-05-01T00:00:00Z' })
  .transform((value) => new Date(value).toISOString());

/**
 * The query of a list filtered by time: `since` (inclusive) and `until` (exclusive). Lists extend
 * it with their other filters; zod keeps the order check on extended schemas.
 */
export const timeWindowParams = listParams.extend({ since: queryInstant.optional(), until: queryInstant.optional() }).refine(
  (input) => !input.since || !input.until || input.since <= input.until,
  {
    path: ['until'],
    message: 'must not be before since',
    // Only once both bounds parsed: an invalid one is already reported under its own name.
    when: (payload) => payload.issues.length === 0,
  },
);

/** The store filters of a time window on `path` (stored as UTC ISO text, which compares as time): `since` inclusive, `until` exclusive. */
export const timeWindowFilters = (path: string, { since, until }: { since?: string | undefined; until?: string | undefined }): Filter[] => [
  ...(since ? [{ path, op: '>=' as const, value: since }] : []),
  ...(until ? [{ path, op: '<' as const, value: until }] : []),
];

export interface Listing<T> {
  items: T[];
  continuationToken?: string;
}

/**
 * `count=true` on the lists that can count: the answer is `{count}` of everything the filters
 * match instead of a page. Only `true` or `false`, so `count=yes` is a 422 rather than a page.
 */
export const countParam = { count: z.enum(['true', 'false']).optional() };

/**
 * Whether the parsed list query asks for a count. Paging parameters mean nothing to a count, so
 * sending them with `count=true` is a 422 naming each (the raw params: `limit` has a default).
 */
export function countRequested(input: { count?: 'true' | 'false' }, params: Record<string, string | undefined>): boolean {
  if (input.count !== 'true') return false;
  const paging = (['limit', 'continuationToken'] as const).filter((name) => params[name] !== undefined);
  if (paging.length > 0) throw new InvalidInputError(paging.map((name) => ({ path: `query.${name}`, message: 'cannot be combined with count=true' })));
  return true;
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
