import { app } from '@azure/functions';
import { json } from './http/apiResponses.js';
import { httpEndpoint } from './http/httpEndpoint.js';
import { routeParam } from './http/requestInput.js';
import { pushOutboundTask } from '../shared/sync/outboundPush.js';
import { registerResourceRoutes } from './http/resourceRoutes.js';
import { getSyncTask, listSyncTasks, saveSyncTask } from '../shared/sync/syncTasks.js';

registerResourceRoutes({
  name: 'task',
  collection: 'tasks',
  idParam: 'taskId',
  useCases: { save: saveSyncTask, get: getSyncTask, list: listSyncTasks },
});

app.http('pushTask', {
  route: 'tenants/{tenantId}/tasks/{taskId}/push',
  methods: ['POST'],
  authLevel: 'function',
  handler: httpEndpoint(async (deps, request) =>
    json(202, await pushOutboundTask(deps, routeParam(request, 'tenantId'), routeParam(request, 'taskId'))),
  ),
});
