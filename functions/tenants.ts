import { app } from '@azure/functions';
import { getTenant, putTenant } from '../shared/sync/tenants.js';
import { json } from './http/apiResponses.js';
import { httpEndpoint } from './http/httpEndpoint.js';
import { readJsonBody, routeParam } from './http/requestInput.js';

app.http('putTenant', {
  route: 'tenants/{tenantId}',
  methods: ['PUT'],
  authLevel: 'function',
  handler: httpEndpoint(async (deps, request) => {
    const { tenant, created } = await putTenant(deps, routeParam(request, 'tenantId'), await readJsonBody(request));
    return json(created ? 201 : 200, tenant);
  }),
});

app.http('getTenant', {
  route: 'tenants/{tenantId}',
  methods: ['GET'],
  authLevel: 'function',
  handler: httpEndpoint(async (deps, request) => json(200, await getTenant(deps, routeParam(request, 'tenantId')))),
});
