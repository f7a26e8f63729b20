import type { InvocationContext, ServiceBusQueueHandler } from '@azure/functions';
import type { z } from 'zod';
import { getRuntime } from '../../shared/runtime.js';
import type { SyncDeps } from '../../shared/sync/syncDeps.js';
import { inSpan } from '../../shared/observability/invocationSpan.js';
import { queueInvocation } from '../../shared/observability/functionInvocations.js';

/** What the use case may need to know about the delivery itself. */
export interface Delivery {
  messageId: string;
  /** 1 on the first delivery. */
  deliveryCount: number;
}

/**
 * Adapts a queue use case to a Service Bus function: the body is validated, redeliveries are
 * logged, and an error propagates so the host abandons the message (redelivery, then
 * dead-lettering after maxDeliveryCount, is the retry mechanism for crashes and bugs). Each
 * invocation is a span in the trace of whoever published the message.
 */
export function queueEndpoint<S extends z.ZodType>(
  queue: string,
  schema: S,
  run: (deps: SyncDeps, message: z.infer<S>, delivery: Delivery) => Promise<void>,
): ServiceBusQueueHandler {
  return async (body: unknown, context: InvocationContext) => {
    const { deps } = await getRuntime();
    const span = queueInvocation(queue, context.functionName, context.triggerMetadata ?? {}, body, deps.clock.now().getTime());
    return inSpan(span, () => handle(deps, body, context));
  };

  async function handle(deps: SyncDeps, body: unknown, context: InvocationContext): Promise<void> {
    const deliveryCount = Number(context.triggerMetadata?.deliveryCount ?? 1);
    const messageId = String(context.triggerMetadata?.messageId ?? '');
    if (deliveryCount > 1) deps.log.warn(`redelivered ${queue} message`, { messageId, deliveryCount });
    const message = schema.parse(body);
    try {
      await run(deps, message, { messageId, deliveryCount });
    } catch (error) {
      deps.log.warn(`${queue} message failed; it will be retried`, {
        messageId,
        deliveryCount,
        error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
      });
      throw error;
    }
  }
}
