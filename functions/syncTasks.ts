import { json } from './http/apiResponses.js';
import { adminRoute } from './http/adminRoute.js';
import { pushTask } from '../shared/sync/bidirectional/outboundWriteBacks.js';
import { registerResourceRoutes } from './http/resourceRoutes.js';
import { getSyncTask, listSyncTasks, saveSyncTask } from '../shared/sync/resources/syncTasks.js';
import { syncTaskInput, syncTaskView, outboundPushResult } from '../shared/sync/apiSchemas.js';

registerResourceRoutes({
  name: 'task',
  collection: 'tasks',
  idParam: 'taskId',
  useCases: { save: saveSyncTask, get: getSyncTask, list: listSyncTasks },
  input: syncTaskInput,
  inputExample: {
    name: 'Shop to CRM, nightly',
    connectionId: 'shop-main',
    streams: [
      { stream: 'customers', schemaId: 'woo-customers' },
      { stream: 'orders', schemaId: 'woo-orders' },
    ],
    direction: 'inbound',
    defaults: { batchSize: 100, maxRetries: 5, interBatchDelayMs: 0, maxChangeShare: 0.5 },
  },
  view: syncTaskView,
  saveSemantics:
    'Replaces the stored task: `connectionId` and `streams` are required every time, and `direction`, `conflictResolution` and `defaults` left out go back to their defaults; only `name` is kept when absent. ' +
    'References are checked first (the connection exists, its provider offers each stream, each schema exists), every problem listed. Saving the same task again changes nothing but `updatedAt`. ' +
    'Save answers carry the task as stored; reads add `lastExecution`, `lastSuccessfulSyncAt` and `lastSuccessfulCounts`.',
});

/** Sends every shard of an outbound task: a run, so an operator's. */
adminRoute('pushTask', {
  route: 'tenants/{tenantId}/tasks/{taskId}/push',
  method: 'POST',
  access: 'operate',
  summary: "Write every shard of an outbound task's shard types to its connection",
  description:
    'Queues a write-back of each shard: created at the provider where it has no record there yet, else updated. Answers what was queued; the writes happen in the background. Only for `outbound` tasks (409 naming the direction otherwise).',
  responses: { 202: { description: 'The writes were queued.', schema: outboundPushResult } },
  errors: [409],
  handler: async ({ deps, tenantId, param }) => json(202, await pushTask(deps, tenantId, param('taskId'))),
});
