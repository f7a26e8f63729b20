import { app } from '@azure/functions';
import { startExecution } from '../shared/sync/startExecution.js';
import { getExecution, listExecutions } from '../shared/sync/executionQueries.js';
import { json } from './http/apiResponses.js';
import { httpEndpoint } from './http/httpEndpoint.js';
import { operator, queryParams, readJsonBody, routeParam } from './http/requestInput.js';

app.http('startExecution', {
  route: 'tenants/{tenantId}/tasks/{taskId}/executions',
  methods: ['POST'],
  authLevel: 'function',
  handler: httpEndpoint(async (deps, request) => {
    const tenantId = routeParam(request, 'tenantId');
    const { execution } = await startExecution(deps, tenantId, routeParam(request, 'taskId'), await readJsonBody(request), { checkRateLimit: true, actor: operator(request) });
    const statusUrl = `/api/tenants/${tenantId}/executions/${execution.id}`;
    return json(202, { executionId: execution.id, status: execution.status, statusUrl }, { location: statusUrl });
  }),
});

app.http('listExecutions', {
  route: 'tenants/{tenantId}/executions',
  methods: ['GET'],
  authLevel: 'function',
  handler: httpEndpoint(async (deps, request) =>
    json(200, await listExecutions(deps, routeParam(request, 'tenantId'), queryParams(request))),
  ),
});

app.http('getExecution', {
  route: 'tenants/{tenantId}/executions/{executionId}',
  methods: ['GET'],
  authLevel: 'function',
  handler: httpEndpoint(async (deps, request) =>
    json(200, await getExecution(deps, routeParam(request, 'tenantId'), routeParam(request, 'executionId'))),
  ),
});
