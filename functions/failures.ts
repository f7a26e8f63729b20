import { getFailure, listFailures } from '../shared/sync/failureQueries.js';
import { retryExecution, retryFailures } from '../shared/sync/retryFailures.js';
import { json } from './http/apiResponses.js';
import { adminRoute } from './http/adminRoute.js';

adminRoute('listFailures', {
  route: 'tenants/{tenantId}/failures',
  method: 'GET',
  access: 'read',
  body: 'none',
  handler: async ({ deps, tenantId, query }) => json(200, await listFailures(deps, tenantId, query)),
});

adminRoute('getFailure', {
  route: 'tenants/{tenantId}/failures/{failureId}',
  method: 'GET',
  access: 'read',
  body: 'none',
  handler: async ({ deps, tenantId, param }) => json(200, await getFailure(deps, tenantId, param('failureId'))),
});

adminRoute('retryFailures', {
  route: 'tenants/{tenantId}/failures/retry',
  method: 'POST',
  access: 'operate',
  body: 'json',
  handler: async ({ deps, tenantId, body, actor }) => json(202, await retryFailures(deps, tenantId, body, actor)),
});

adminRoute('retryFailure', {
  route: 'tenants/{tenantId}/failures/{failureId}/retry',
  method: 'POST',
  access: 'operate',
  body: 'none',
  handler: async ({ deps, tenantId, param, actor }) => json(202, await retryFailures(deps, tenantId, { ids: [param('failureId')] }, actor)),
});

adminRoute('retryExecution', {
  route: 'tenants/{tenantId}/executions/{executionId}/retry',
  method: 'POST',
  access: 'operate',
  body: 'none',
  handler: async ({ deps, tenantId, param, actor }) => json(202, await retryExecution(deps, tenantId, param('executionId'), actor)),
});
