import { previewSchema } from '../shared/sync/previewSchema.js';
import { json } from './http/apiResponses.js';
import { adminRoute } from './http/adminRoute.js';
import { BODY_LIMITS } from './http/bodyLimits.js';
import { registerResourceRoutes } from './http/resourceRoutes.js';
import { deleteConversionSchema, getConversionSchema, listConversionSchemas, saveConversionSchema } from '../shared/sync/conversionSchemas.js';

registerResourceRoutes({
  name: 'schema',
  collection: 'schemas',
  idParam: 'schemaId',
  useCases: { save: saveConversionSchema, get: getConversionSchema, list: listConversionSchemas },
});

/** Writes nothing: a reader may try a schema on sample records. */
adminRoute('previewSchema', {
  route: 'tenants/{tenantId}/schemas/{schemaId}/preview',
  method: 'POST',
  access: 'read',
  body: 'json',
  maxBodyBytes: BODY_LIMITS.preview,
  handler: async ({ deps, tenantId, param, body }) => json(200, await previewSchema(deps, tenantId, param('schemaId'), body)),
});

adminRoute('deleteSchema', {
  route: 'tenants/{tenantId}/schemas/{schemaId}',
  method: 'DELETE',
  access: 'admin',
  body: 'none',
  handler: async ({ deps, tenantId, param }) => {
    await deleteConversionSchema(deps, tenantId, param('schemaId'));
    return { status: 204 };
  },
});
