import { app } from '@azure/functions';
import { syncStartMessage } from '../shared/core/schemas/messages.js';
import { startSync } from '../shared/sync/executions/startSync.js';
import { queueEndpoint } from './queue/queueEndpoint.js';

app.serviceBusQueue('syncStart', {
  queueName: 'sync-start',
  connection: 'ServiceBusConnection',
  handler: queueEndpoint('sync-start', syncStartMessage, startSync),
});
