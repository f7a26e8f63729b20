import { previewRequest, previewSchema } from '../shared/sync/resources/previewSchema.js';
import { conversionSchemaInput, conversionSchemaView, schemaPreview } from '../shared/sync/apiSchemas.js';
import { json } from './http/apiResponses.js';
import { adminRoute } from './http/adminRoute.js';
import { BODY_LIMITS } from './http/bodyLimits.js';
import { registerResourceRoutes } from './http/resourceRoutes.js';
import { deleteConversionSchema, getConversionSchema, listConversionSchemas, saveConversionSchema } from '../shared/sync/resources/conversionSchemas.js';

registerResourceRoutes({
  name: 'schema',
  collection: 'schemas',
  idParam: 'schemaId',
  useCases: { save: saveConversionSchema, get: getConversionSchema, list: listConversionSchemas },
  input: conversionSchemaInput,
  inputExample: {
    name: 'WooCommerce customers',
    shardType: 'customer',
    fields: [
      { from: 'email', to: 'email', transforms: [{ op: 'trim' }, { op: 'case', mode: 'lower' }] },
      { from: 'first_name', to: 'firstName', transforms: [{ op: 'trim' }] },
      { from: 'last_name', to: 'lastName', transforms: [{ op: 'trim' }] },
      { fromAll: { f: 'first_name', l: 'last_name' }, to: 'displayName', transforms: [{ op: 'template', template: '{f} {l}' }] },
      { from: 'billing.postcode', to: 'address.postcode' },
      { from: 'date_modified_gmt', to: 'sourceModifiedAt', transforms: [{ op: 'date', formats: ['iso'], timeZone: 'UTC' }] },
    ],
    validations: [
      { path: 'email', rule: 'required' },
      { path: 'email', rule: 'email' },
    ],
    derived: [
      { shardType: 'company_profile', when: { path: 'billing.company', exists: true }, key: 'billing.company', fields: [{ from: 'billing.company', to: 'name' }] },
    ],
  },
  view: conversionSchemaView,
  saveSemantics:
    'Replaces the stored definition as a whole: the body is the complete definition (`shardType`, `fields`, `validations`, `derived`, `relationships`, `linkWait`), and a part left out goes back to its default; only `name` is kept when absent. ' +
    'The definition is validated in full first (every problem listed with its path: regexes, date formats, time zones, JSONata, clashing targets). ' +
    '`version` goes up only when the definition changes, so saving the same definition again changes nothing.',
});

/** Writes nothing: a reader may try a schema on sample records. */
adminRoute('previewSchema', {
  route: 'tenants/{tenantId}/schemas/{schemaId}/preview',
  method: 'POST',
  access: 'read',
  summary: 'Run a stored schema over sample records; nothing is written',
  description: "Answers each record's shards, parents, warnings and errors as a sync would produce them with the schema's current version.",
  body: previewRequest,
  bodyExample: {
    records: [
      {
        id: 42,
        email: ' Ada.Lovelace@Example.com ',
        first_name: 'Ada',
        last_name: 'Lovelace',
        billing: { company: 'Analytical Engines Ltd', postcode: 'W1J 7NT' },
        date_modified_gmt: '2024-05-01T09:30:00',
      },
    ],
  },
  responses: { 200: { description: 'One result per record, in order.', schema: schemaPreview } },
  maxBodyBytes: BODY_LIMITS.preview,
  handler: async ({ deps, tenantId, param, body }) => json(200, await previewSchema(deps, tenantId, param('schemaId'), body)),
});

adminRoute('deleteSchema', {
  route: 'tenants/{tenantId}/schemas/{schemaId}',
  method: 'DELETE',
  access: 'admin',
  summary: 'Delete a conversion schema no task uses',
  description: 'A schema a task still syncs with is not deleted: 409 naming the tasks (`current.tasks`).',
  responses: { 204: { description: 'The schema was deleted.' } },
  errors: [409],
  handler: async ({ deps, tenantId, param }) => {
    await deleteConversionSchema(deps, tenantId, param('schemaId'));
    return { status: 204 };
  },
});
