import { app } from '@azure/functions';
import { alertMessage, deliverAlert } from '../shared/sync/operations/alertQueue.js';
import { queueEndpoint } from './queue/queueEndpoint.js';

app.serviceBusQueue('deliverAlerts', {
  queueName: 'alerts',
  connection: 'ServiceBusConnection',
  handler: queueEndpoint('alerts', alertMessage, deliverAlert),
});
