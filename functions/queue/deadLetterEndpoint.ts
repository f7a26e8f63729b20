import type { InvocationContext, ServiceBusQueueHandler } from '@azure/functions';
import { QUEUES, type QueueName } from '../../shared/ports/bus.js';
import { getRuntime } from '../../shared/runtime.js';
import type { SyncDeps } from '../../shared/sync/syncDeps.js';
import type { DeadLetteredMessage } from '../../shared/sync/failures/recordDeadLetter.js';
import { inSpan } from '../../shared/observability/invocationSpan.js';
import { queueInvocation } from '../../shared/observability/functionInvocations.js';

/** Every queue's dead-letter sub-queue, with the name of the function that drains it (`syncPageDeadLetters`…). */
export const deadLetterQueues = QUEUES.map((queue) => ({
  queue,
  functionName: `${queue.replace(/-(\w)/g, (_, c: string) => c.toUpperCase())}DeadLetters`,
  queueName: `${queue}/$DeadLetterQueue`,
}));

/** Adapts the dead-letter use case to a Service Bus function: the message with what the broker says of its death. */
export function deadLetterEndpoint(queue: QueueName, run: (deps: SyncDeps, message: DeadLetteredMessage) => Promise<void>): ServiceBusQueueHandler {
  return async (body: unknown, context: InvocationContext) => {
    const metadata = context.triggerMetadata ?? {};
    const properties = (metadata.applicationProperties ?? {}) as Record<string, unknown>;
    const reason = metadata.deadLetterReason ?? properties.DeadLetterReason;
    const description = metadata.deadLetterErrorDescription ?? properties.DeadLetterErrorDescription;
    const { deps } = await getRuntime();
    // Its span joins the trace of the run whose message died.
    const span = queueInvocation(`${queue}/$DeadLetterQueue`, context.functionName, metadata, body, deps.clock.now().getTime());
    await inSpan(span, () => run(deps, {
      queue,
      messageId: String(metadata.messageId ?? ''),
      body,
      deliveryCount: Number(metadata.deliveryCount ?? 0),
      ...(reason === undefined ? {} : { reason: String(reason) }),
      ...(description === undefined ? {} : { description: String(description) }),
    }));
  };
}
