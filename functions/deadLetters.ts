import { app } from '@azure/functions';
import { recordDeadLetter } from '../shared/sync/failures/recordDeadLetter.js';
import { deadLetterEndpoint, deadLetterQueues } from './queue/deadLetterEndpoint.js';

/** One function per queue's dead-letter sub-queue: each poison message becomes a failure document. */
for (const { queue, functionName, queueName } of deadLetterQueues) {
  app.serviceBusQueue(functionName, {
    queueName,
    connection: 'ServiceBusConnection',
    handler: deadLetterEndpoint(queue, recordDeadLetter),
  });
}
