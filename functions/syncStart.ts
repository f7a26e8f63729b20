import { app } from '@azure/functions';
import { syncStartMessage } from '../shared/sync/queueMessages.js';
import { admitExecution } from '../shared/sync/executions/admitExecution.js';
import { queueEndpoint } from './queue/queueEndpoint.js';

app.serviceBusQueue('syncStart', {
  queueName: 'sync-start',
  connection: 'ServiceBusConnection',
  handler: queueEndpoint('sync-start', syncStartMessage, admitExecution),
});
