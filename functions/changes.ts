import { changeFeedPage, changeFeedQuery, readChanges } from '../shared/sync/changes/readChanges.js';
import { json } from './http/apiResponses.js';
import { adminRoute } from './http/adminRoute.js';

adminRoute('listChanges', {
  route: 'tenants/{tenantId}/changes',
  method: 'GET',
  access: 'read',
  summary: "Follow what changed in the tenant's shards, oldest first",
  description:
    'Added, updated, deleted (tombstoned), merged and unmerged shards in the order they happened, a page after `cursor`. Keep the answer\'s `cursor` and ask again with it: an empty page gives the same cursor back. At-least-once: an entry can come twice (after a redelivery), changes of one shard come in version order, and an entry shows once it is a couple of seconds old. Kept 7 days. A cursor this feed did not hand out is a 422 naming `cursor`.',
  query: changeFeedQuery,
  responses: { 200: { description: 'A page of changes and the cursor to resume from.', schema: changeFeedPage } },
  handler: async ({ deps, tenantId, query }) => json(200, await readChanges(deps, tenantId, query)),
});
