import { listConflicts, resolveConflict } from '../shared/sync/conflicts.js';
import { json } from './http/apiResponses.js';
import { adminRoute } from './http/adminRoute.js';

adminRoute('listConflicts', {
  route: 'tenants/{tenantId}/conflicts',
  method: 'GET',
  access: 'read',
  body: 'none',
  handler: async ({ deps, tenantId, query }) => json(200, await listConflicts(deps, tenantId, query)),
});

adminRoute('resolveConflict', {
  route: 'tenants/{tenantId}/conflicts/{conflictId}/resolve',
  method: 'POST',
  access: 'operate',
  body: 'json',
  handler: async ({ deps, tenantId, param, body, actor }) => json(200, await resolveConflict(deps, tenantId, param('conflictId'), body, actor)),
});
