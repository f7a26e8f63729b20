import { app } from '@azure/functions';
import { dedupeRolloutMessage } from '../shared/sync/queueMessages.js';
import { rollOutDedupePage } from '../shared/sync/entityResolution/dedupeRollout.js';
import { queueEndpoint } from './queue/queueEndpoint.js';

app.serviceBusQueue('dedupeRollout', {
  queueName: 'dedupe-rollout',
  connection: 'ServiceBusConnection',
  handler: queueEndpoint('dedupe-rollout', dedupeRolloutMessage, rollOutDedupePage),
});
