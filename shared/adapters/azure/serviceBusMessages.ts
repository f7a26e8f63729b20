/** Port messages ⇄ Service Bus messages. Bodies travel as UTF-8 JSON in a data section. */
import type { ServiceBusMessage, ServiceBusReceivedMessage } from '@azure/service-bus';
import type { ApplicationProperties, OutgoingMessage } from '../../ports/bus.js';
import type { ReceivedMessage } from '../../ports/queueConsumer.js';

export function toServiceBusMessage(message: OutgoingMessage): ServiceBusMessage {
  const outgoing: ServiceBusMessage = {
    messageId: message.messageId,
    body: Buffer.from(JSON.stringify(message.body) ?? 'null'),
    contentType: 'application/json',
  };
  if (message.applicationProperties) outgoing.applicationProperties = message.applicationProperties;
  // The x-opt-scheduled-enqueue-time annotation: Service Bus holds the message until then.
  if (message.scheduledEnqueueTime) outgoing.scheduledEnqueueTimeUtc = message.scheduledEnqueueTime;
  return outgoing;
}

/** Received with skipParsingBodyAsJson, so the body is our bytes; text that isn't JSON came from elsewhere. */
function bodyOf(body: unknown): unknown {
  if (!Buffer.isBuffer(body)) return body;
  const text = body.toString('utf8');
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export function toReceivedMessage(message: ServiceBusReceivedMessage): ReceivedMessage {
  const received: ReceivedMessage = {
    messageId: String(message.messageId),
    body: bodyOf(message.body),
    applicationProperties: (message.applicationProperties ?? {}) as ApplicationProperties,
    // The JS SDK reports the AMQP header's count of *earlier* deliveries; the Functions host adds one.
    deliveryCount: (message.deliveryCount ?? 0) + 1,
    enqueuedTimeUtc: message.enqueuedTimeUtc!,
    sequenceNumber: message.sequenceNumber!.toNumber(),
    lockToken: message.lockToken!,
    lockedUntilUtc: message.lockedUntilUtc!,
  };
  if (message.deadLetterReason !== undefined) received.deadLetterReason = message.deadLetterReason;
  if (message.deadLetterErrorDescription !== undefined) received.deadLetterErrorDescription = message.deadLetterErrorDescription;
  return received;
}
