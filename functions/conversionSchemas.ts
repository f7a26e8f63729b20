import { app } from '@azure/functions';
import { previewSchema } from '../shared/sync/previewSchema.js';
import { json } from './http/apiResponses.js';
import { httpEndpoint } from './http/httpEndpoint.js';
import { readJsonBody, routeParam } from './http/requestInput.js';
import { registerResourceRoutes } from './http/resourceRoutes.js';
import { deleteConversionSchema, getConversionSchema, listConversionSchemas, saveConversionSchema } from '../shared/sync/conversionSchemas.js';

registerResourceRoutes({
  name: 'schema',
  collection: 'schemas',
  idParam: 'schemaId',
  useCases: { save: saveConversionSchema, get: getConversionSchema, list: listConversionSchemas },
});

app.http('previewSchema', {
  route: 'tenants/{tenantId}/schemas/{schemaId}/preview',
  methods: ['POST'],
  authLevel: 'function',
  handler: httpEndpoint(async (deps, request) =>
    json(200, await previewSchema(deps, routeParam(request, 'tenantId'), routeParam(request, 'schemaId'), await readJsonBody(request))),
  ),
});

app.http('deleteSchema', {
  route: 'tenants/{tenantId}/schemas/{schemaId}',
  methods: ['DELETE'],
  authLevel: 'function',
  handler: httpEndpoint(async (deps, request) => {
    await deleteConversionSchema(deps, routeParam(request, 'tenantId'), routeParam(request, 'schemaId'));
    return { status: 204 };
  }),
});
