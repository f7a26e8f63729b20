import { app } from '@azure/functions';
import { listConflicts, resolveConflict } from '../shared/sync/conflicts.js';
import { json } from './http/apiResponses.js';
import { httpEndpoint } from './http/httpEndpoint.js';
import { operator, queryParams, readJsonBody, routeParam } from './http/requestInput.js';

app.http('listConflicts', {
  route: 'tenants/{tenantId}/conflicts',
  methods: ['GET'],
  authLevel: 'function',
  handler: httpEndpoint(async (deps, request) => json(200, await listConflicts(deps, routeParam(request, 'tenantId'), queryParams(request)))),
});

app.http('resolveConflict', {
  route: 'tenants/{tenantId}/conflicts/{conflictId}/resolve',
  methods: ['POST'],
  authLevel: 'function',
  handler: httpEndpoint(async (deps, request) =>
    json(200, await resolveConflict(deps, routeParam(request, 'tenantId'), routeParam(request, 'conflictId'), await readJsonBody(request), operator(request))),
  ),
});
