import { registerResourceRoutes } from './http/resourceRoutes.js';
import { getConversionSchema, listConversionSchemas, saveConversionSchema } from '../shared/sync/conversionSchemas.js';

registerResourceRoutes({
  name: 'schema',
  collection: 'schemas',
  idParam: 'schemaId',
  useCases: { save: saveConversionSchema, get: getConversionSchema, list: listConversionSchemas },
});
