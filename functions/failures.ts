import { app } from '@azure/functions';
import { getFailure, listFailures } from '../shared/sync/failureQueries.js';
import { retryExecution, retryFailures } from '../shared/sync/retryFailures.js';
import { json } from './http/apiResponses.js';
import { httpEndpoint } from './http/httpEndpoint.js';
import { queryParams, readJsonBody, routeParam } from './http/requestInput.js';

app.http('listFailures', {
  route: 'tenants/{tenantId}/failures',
  methods: ['GET'],
  authLevel: 'function',
  handler: httpEndpoint(async (deps, request) => json(200, await listFailures(deps, routeParam(request, 'tenantId'), queryParams(request)))),
});

app.http('getFailure', {
  route: 'tenants/{tenantId}/failures/{failureId}',
  methods: ['GET'],
  authLevel: 'function',
  handler: httpEndpoint(async (deps, request) =>
    json(200, await getFailure(deps, routeParam(request, 'tenantId'), routeParam(request, 'failureId'))),
  ),
});

app.http('retryFailures', {
  route: 'tenants/{tenantId}/failures/retry',
  methods: ['POST'],
  authLevel: 'function',
  handler: httpEndpoint(async (deps, request) =>
    json(202, await retryFailures(deps, routeParam(request, 'tenantId'), await readJsonBody(request))),
  ),
});

app.http('retryFailure', {
  route: 'tenants/{tenantId}/failures/{failureId}/retry',
  methods: ['POST'],
  authLevel: 'function',
  handler: httpEndpoint(async (deps, request) =>
    json(202, await retryFailures(deps, routeParam(request, 'tenantId'), { ids: [routeParam(request, 'failureId')] })),
  ),
});

app.http('retryExecution', {
  route: 'tenants/{tenantId}/executions/{executionId}/retry',
  methods: ['POST'],
  authLevel: 'function',
  handler: httpEndpoint(async (deps, request) =>
    json(202, await retryExecution(deps, routeParam(request, 'tenantId'), routeParam(request, 'executionId'))),
  ),
});
