import { getShard, listOrCountShards, shardListQuery, toShardView } from '../shared/sync/queries/shardQueries.js';
import { shardView, listingOrCountOf } from '../shared/sync/apiSchemas.js';
import { z } from 'zod';
import { json } from './http/apiResponses.js';
import { adminRoute } from './http/adminRoute.js';
import { unmergeRequest, unmergeShard } from '../shared/sync/entityResolution/shardMerges.js';
import { patchRequest, patchShard } from '../shared/sync/bidirectional/localEdits.js';

adminRoute('listShards', {
  route: 'tenants/{tenantId}/shards',
  method: 'GET',
  access: 'read',
  summary: 'List shards (by type, external id, connection, or what links to a shard), or count them',
  description: '`?count=true` answers `{count}` for the same filters instead of a page. `linkedTo` + `rel` list the shards linking to one (a customer\'s orders: `linkedTo={customer shard id}&rel=customer`).',
  query: shardListQuery,
  responses: { 200: { description: 'A page of shards, or `{count}`.', schema: listingOrCountOf(shardView) } },
  handler: async ({ deps, tenantId, query }) => json(200, await listOrCountShards(deps, tenantId, query)),
});

adminRoute('getShard', {
  route: 'tenants/{tenantId}/shards/{shardId}',
  method: 'GET',
  access: 'read',
  summary: 'Read one shard with its external relationships and links',
  description: 'The id of a record merged into another shard leads to the survivor.',
  responses: { 200: { description: 'The shard.', schema: shardView } },
  handler: async ({ deps, tenantId, param }) => json(200, await getShard(deps, tenantId, param('shardId'))),
});

/** Undoing a merge is a decision about data, like resolving a conflict: an operator's. */
adminRoute('unmergeShard', {
  route: 'tenants/{tenantId}/shards/{shardId}/unmerge',
  method: 'POST',
  access: 'operate',
  summary: 'Take a merged record out of the shard, back into a shard of its own',
  description: 'The two are kept apart from then on (`separatedFrom`). 409 when the record is not merged into this shard.',
  body: unmergeRequest,
  bodyExample: { source: 'shop/customers/1042' },
  errors: [409],
  responses: {
    200: {
      description: 'The shard the record left, and the record\'s own shard.',
      schema: z.object({ survivor: shardView, restored: shardView }),
    },
  },
  handler: async ({ deps, tenantId, param, body, actor }) => {
    const { survivor, restored } = await unmergeShard(deps, tenantId, param('shardId'), body, actor);
    return json(200, { survivor: toShardView(survivor), restored: toShardView(restored) });
  },
});

/** Editing data (written back to providers by bidirectional tasks) is an admin's. */
adminRoute('patchShard', {
  route: 'tenants/{tenantId}/shards/{shardId}',
  method: 'PATCH',
  access: 'admin',
  summary: "Edit a shard's data (JSON merge patch); bidirectional tasks write it back",
  description:
    'Merges `data` into the shard\'s data (RFC 7396: `null` removes a field, objects merge key by key). Only fields the shard type\'s conversion schemas produce, with the types they produce (422 naming the field and the type expected); fields the schema computes (template, concat, expression…) are not writable. `version` goes up and `hash` follows the new data; a patch that changes nothing changes neither.',
  body: patchRequest,
  bodyExample: { data: { email: 'ada@example.com', phone: null } },
  responses: { 200: { description: 'The shard after the edit.', schema: shardView } },
  handler: async ({ deps, tenantId, param, body, actor }) => json(200, toShardView(await patchShard(deps, tenantId, param('shardId'), body, actor))),
});
