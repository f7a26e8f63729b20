import { registerResourceRoutes } from './http/resourceRoutes.js';
import { getSyncTask, listSyncTasks, saveSyncTask } from '../shared/sync/syncTasks.js';

registerResourceRoutes({
  name: 'task',
  collection: 'tasks',
  idParam: 'taskId',
  useCases: { save: saveSyncTask, get: getSyncTask, list: listSyncTasks },
});
