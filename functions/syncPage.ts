import { app } from '@azure/functions';
import { syncPageMessage } from '../shared/sync/queueMessages.js';
import { fetchPage } from '../shared/sync/pages/fetchPage.js';
import { queueEndpoint } from './queue/queueEndpoint.js';

app.serviceBusQueue('syncPage', {
  queueName: 'sync-page',
  connection: 'ServiceBusConnection',
  handler: queueEndpoint('sync-page', syncPageMessage, fetchPage),
});
