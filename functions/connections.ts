import { registerResourceRoutes } from './http/resourceRoutes.js';
import { getConnection, listConnections, saveConnection } from '../shared/sync/connections.js';

registerResourceRoutes({
  name: 'connection',
  collection: 'connections',
  idParam: 'connectionId',
  useCases: { save: saveConnection, get: getConnection, list: listConnections },
});
