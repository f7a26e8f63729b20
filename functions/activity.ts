import { activityListQuery, listActivity } from '../shared/sync/queries/activityQueries.js';
import { activityEntry, listingOf } from '../shared/sync/apiSchemas.js';
import { json } from './http/apiResponses.js';
import { adminRoute } from './http/adminRoute.js';

adminRoute('listActivity', {
  route: 'tenants/{tenantId}/activity',
  method: 'GET',
  access: 'read',
  summary: 'Read the audit log, newest first',
  description: 'Every state change, batch, retry, connection change and operator action, with who did it. `since` is inclusive, `until` exclusive.',
  query: activityListQuery,
  responses: { 200: { description: 'A page of entries.', schema: listingOf(activityEntry) } },
  handler: async ({ deps, tenantId, query }) => json(200, await listActivity(deps, tenantId, query)),
});
