import { json } from './http/apiResponses.js';
import { adminRoute } from './http/adminRoute.js';
import { pushOutboundTask } from '../shared/sync/outboundPush.js';
import { registerResourceRoutes } from './http/resourceRoutes.js';
import { getSyncTask, listSyncTasks, saveSyncTask } from '../shared/sync/syncTasks.js';

registerResourceRoutes({
  name: 'task',
  collection: 'tasks',
  idParam: 'taskId',
  useCases: { save: saveSyncTask, get: getSyncTask, list: listSyncTasks },
});

/** Sends every shard of an outbound task: a run, so an operator's. */
adminRoute('pushTask', {
  route: 'tenants/{tenantId}/tasks/{taskId}/push',
  method: 'POST',
  access: 'operate',
  body: 'none',
  handler: async ({ deps, tenantId, param }) => json(202, await pushOutboundTask(deps, tenantId, param('taskId'))),
});
