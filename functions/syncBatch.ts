import { app } from '@azure/functions';
import { syncBatchMessage } from '../shared/sync/queueMessages.js';
import { processBatch } from '../shared/sync/pages/processBatch.js';
import { queueEndpoint } from './queue/queueEndpoint.js';

app.serviceBusQueue('syncBatch', {
  queueName: 'sync-batch',
  connection: 'ServiceBusConnection',
  handler: queueEndpoint('sync-batch', syncBatchMessage, processBatch),
});
