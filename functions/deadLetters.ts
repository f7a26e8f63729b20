import { app, type InvocationContext } from '@azure/functions';
import { QUEUES } from '../shared/ports/bus.js';
import { getRuntime } from '../shared/runtime.js';
import { recordDeadLetter } from '../shared/sync/failures/recordDeadLetter.js';

/** One function per queue's dead-letter sub-queue: each poison message becomes a failure document. */
for (const queue of QUEUES) {
  const name = queue.replace(/-(\w)/g, (_, c: string) => c.toUpperCase());
  app.serviceBusQueue(`${name}DeadLetters`, {
    queueName: `${queue}/$DeadLetterQueue`,
    connection: 'ServiceBusConnection',
    handler: async (body: unknown, context: InvocationContext) => {
      const metadata = context.triggerMetadata ?? {};
      const properties = (metadata.applicationProperties ?? {}) as Record<string, unknown>;
      const reason = metadata.deadLetterReason ?? properties.DeadLetterReason;
      const description = metadata.deadLetterErrorDescription ?? properties.DeadLetterErrorDescription;
      await recordDeadLetter((await getRuntime()).deps, {
        queue,
        messageId: String(metadata.messageId ?? ''),
        body,
        deliveryCount: Number(metadata.deliveryCount ?? 0),
        ...(reason === undefined ? {} : { reason: String(reason) }),
        ...(description === undefined ? {} : { description: String(description) }),
      });
    },
  });
}
