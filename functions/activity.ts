import { app } from '@azure/functions';
import { listActivity } from '../shared/sync/activityQueries.js';
import { json } from './http/apiResponses.js';
import { httpEndpoint } from './http/httpEndpoint.js';
import { queryParams, routeParam } from './http/requestInput.js';

app.http('listActivity', {
  route: 'tenants/{tenantId}/activity',
  methods: ['GET'],
  authLevel: 'function',
  handler: httpEndpoint(async (deps, request) =>
    json(200, await listActivity(deps, routeParam(request, 'tenantId'), queryParams(request))),
  ),
});
