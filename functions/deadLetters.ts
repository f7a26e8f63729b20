import { app } from '@azure/functions';
import { recordDeadLetter } from '../shared/sync/failures/recordDeadLetter.js';
import { recordWriteBackDeadLetter } from '../shared/sync/bidirectional/writeBackDeadLetter.js';
import { deadLetterEndpoint, deadLetterQueues } from './queue/deadLetterEndpoint.js';

/** One function per queue's dead-letter sub-queue: each poison message becomes a failure document (a write-back's also a conflict). */
for (const { queue, functionName, queueName } of deadLetterQueues) {
  app.serviceBusQueue(functionName, {
    queueName,
    connection: 'ServiceBusConnection',
    handler: deadLetterEndpoint(queue, queue === 'sync-writeback' ? recordWriteBackDeadLetter : recordDeadLetter),
  });
}
