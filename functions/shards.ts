import { getShard, listShards } from '../shared/sync/shardQueries.js';
import { json } from './http/apiResponses.js';
import { adminRoute } from './http/adminRoute.js';
import { unmergeShard } from '../shared/sync/shardMerges.js';
import { patchShard } from '../shared/sync/localEdits.js';

adminRoute('listShards', {
  route: 'tenants/{tenantId}/shards',
  method: 'GET',
  access: 'read',
  body: 'none',
  handler: async ({ deps, tenantId, query }) => json(200, await listShards(deps, tenantId, query)),
});

adminRoute('getShard', {
  route: 'tenants/{tenantId}/shards/{shardId}',
  method: 'GET',
  access: 'read',
  body: 'none',
  handler: async ({ deps, tenantId, param }) => json(200, await getShard(deps, tenantId, param('shardId'))),
});

/** Undoing a merge is a decision about data, like resolving a conflict: an operator's. */
adminRoute('unmergeShard', {
  route: 'tenants/{tenantId}/shards/{shardId}/unmerge',
  method: 'POST',
  access: 'operate',
  body: 'json',
  handler: async ({ deps, tenantId, param, body, actor }) => json(200, await unmergeShard(deps, tenantId, param('shardId'), body, actor)),
});

/** Editing data (written back to providers by bidirectional tasks) is an admin's. */
adminRoute('patchShard', {
  route: 'tenants/{tenantId}/shards/{shardId}',
  method: 'PATCH',
  access: 'admin',
  body: 'json',
  handler: async ({ deps, tenantId, param, body, actor }) => json(200, await patchShard(deps, tenantId, param('shardId'), body, actor)),
});
