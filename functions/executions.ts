import { startExecution } from '../shared/sync/startExecution.js';
import { getExecution, listExecutions } from '../shared/sync/executionQueries.js';
import { json } from './http/apiResponses.js';
import { adminRoute } from './http/adminRoute.js';

adminRoute('startExecution', {
  route: 'tenants/{tenantId}/tasks/{taskId}/executions',
  method: 'POST',
  access: 'operate',
  body: 'json',
  handler: async ({ deps, tenantId, param, body, actor }) => {
    const { execution } = await startExecution(deps, tenantId, param('taskId'), body, { checkRateLimit: true, actor });
    const statusUrl = `/api/tenants/${tenantId}/executions/${execution.id}`;
    return json(202, { executionId: execution.id, status: execution.status, statusUrl }, { location: statusUrl });
  },
});

adminRoute('listExecutions', {
  route: 'tenants/{tenantId}/executions',
  method: 'GET',
  access: 'read',
  body: 'none',
  handler: async ({ deps, tenantId, query }) => json(200, await listExecutions(deps, tenantId, query)),
});

adminRoute('getExecution', {
  route: 'tenants/{tenantId}/executions/{executionId}',
  method: 'GET',
  access: 'read',
  body: 'none',
  handler: async ({ deps, tenantId, param }) => json(200, await getExecution(deps, tenantId, param('executionId'))),
});
