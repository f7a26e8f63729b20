import { listActivity } from '../shared/sync/activityQueries.js';
import { json } from './http/apiResponses.js';
import { adminRoute } from './http/adminRoute.js';

adminRoute('listActivity', {
  route: 'tenants/{tenantId}/activity',
  method: 'GET',
  access: 'read',
  body: 'none',
  handler: async ({ deps, tenantId, query }) => json(200, await listActivity(deps, tenantId, query)),
});
