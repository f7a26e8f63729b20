import { app } from '@azure/functions';
import { syncWriteBackMessage } from '../shared/sync/queueMessages.js';
import { writeBack } from '../shared/sync/bidirectional/writeBack.js';
import { queueEndpoint } from './queue/queueEndpoint.js';

app.serviceBusQueue('syncWriteBack', {
  queueName: 'sync-writeback',
  connection: 'ServiceBusConnection',
  handler: queueEndpoint('sync-writeback', syncWriteBackMessage, writeBack),
});
