import type { Bus, OutgoingMessage, QueueName } from '../ports/bus.js';
import { withTraceContext } from './traceCarrier.js';

/**
 * A Bus that stamps each published message with the publishing context's `traceparent`, so the
 * consumer's span joins the producer's trace across the queue hop. Messages are copied, never
 * changed: callers may publish the same objects again.
 */
export function tracingBus(bus: Bus): Bus {
  return {
    publish(queue: QueueName, messages: OutgoingMessage[]): Promise<void> {
      return bus.publish(
        queue,
        messages.map((message) => {
          const applicationProperties = withTraceContext(message.applicationProperties);
          return applicationProperties === message.applicationProperties || applicationProperties === undefined ? message : { ...message, applicationProperties };
        }),
      );
    },
  };
}
