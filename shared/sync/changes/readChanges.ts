import { z } from 'zod';
import type { ShardChangeBatch } from '../../core/changes/shardChange.js';
import { decodeChangeCursor, encodeChangeCursor, FEED_START } from '../../core/changes/changeCursor.js';
import { changesAfter, type PositionedChange } from '../../core/changes/changePage.js';
import type { ChangeFeedEntry, ChangeFeedPage } from '../../core/schemas/changeFeed.js';
import type { SyncDeps } from '../syncDeps.js';
import { requireTenant } from '../tenants/tenants.js';
import { parseInput } from '../parseInput.js';

/** The answer's schema, for the route's OpenAPI description. */
export { changeFeedPage } from '../../core/schemas/changeFeed.js';

/**
 * Entries younger than this are not handed out yet. Keys come from the writers' clocks and an
 * entry commits a moment after its key is taken, so without the wait a poller could pass a key
 * whose entry is still in flight and never see it. Ordering and at-least-once delivery therefore
 * hold for writers whose clocks agree, and whose entry writes finish, within this window.
 */
export const CHANGE_SETTLE_MS = 2_000;

export const changeFeedQuery = z.strictObject({
  cursor: z
    .string()
    .optional()
    .refine((cursor) => cursor === undefined || decodeChangeCursor(cursor) !== undefined, { message: 'is not a cursor this feed handed out' })
    .describe('From a previous page (`cursor`); absent: from the oldest change kept.'),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  /** The function key, when a caller sends it as `?code=` (the Functions host checks it, not us). */
  code: z.string().optional(),
});

/** `GET …/changes`: the shards' changes after the cursor, oldest first. */
export async function readChanges(deps: SyncDeps, tenantId: string, params: Record<string, string | undefined>): Promise<ChangeFeedPage> {
  await requireTenant(deps, tenantId);
  const input = parseInput(changeFeedQuery, params, 'query');
  const after = input.cursor === undefined ? FEED_START : decodeChangeCursor(input.cursor)!;
  // Keys start with their ISO time: every key of a settled millisecond sorts below this bound.
  const settledBefore = new Date(deps.clock.now().getTime() - CHANGE_SETTLE_MS).toISOString();
  const documents: ShardChangeBatch[] = [];
  let continuationToken: string | undefined;
  // Every document after the cursor's holds at least one entry: `limit` of them (and the one the
  // cursor is in) fill the page. A store may answer with shorter pages: read on until then.
  do {
    const page = await deps.store.query<ShardChangeBatch>(
      'coordination',
      tenantId,
      {
        filters: [
          { path: 'docKind', op: '=', value: 'shard_changes' },
          { path: 'key', op: '>=', value: after.key },
          { path: 'key', op: '<', value: settledBefore },
        ],
        orderBy: { path: 'key', direction: 'asc' },
      },
      { maxItems: input.limit + 1, ...(continuationToken ? { continuationToken } : {}) },
    );
    documents.push(...page.items);
    continuationToken = page.continuationToken;
  } while (continuationToken !== undefined && documents.length < input.limit + 1);
  const items = changesAfter(documents, after, input.limit).map(toEntry);
  return { items, cursor: items.at(-1)?.cursor ?? input.cursor ?? encodeChangeCursor(after) };
}

function toEntry({ position, at, change }: PositionedChange): ChangeFeedEntry {
  return {
    cursor: encodeChangeCursor(position),
    kind: change.kind,
    shardId: change.shardId,
    shardType: change.shardType,
    at,
    ...(change.version !== undefined ? { version: change.version } : {}),
    ...(change.absorbedShardId !== undefined ? { absorbedShardId: change.absorbedShardId } : {}),
    ...(change.splitFromShardId !== undefined ? { splitFromShardId: change.splitFromShardId } : {}),
  };
}
