/**
 * Pure: a received queue message in the shape the Functions host sends a Service Bus trigger.
 * Metadata keys are PascalCase as the host's binding data; the library camel-cases keys (also
 * those nested inside values, so application property names arrive camel-cased too) and parses
 * every string value that happens to be JSON (a numeric message id arrives as a number).
 */
import { randomUUID } from 'node:crypto';
import type { ReceivedMessage } from '../../shared/ports/queueConsumer.js';
import type { RpcTypedData } from './functionsCore.js';
import type { InvocationInput } from './invoker.js';

/** Could JSON.parse read this string? Only a cheap pre-check: `{`, `[` and `"` are left to the parser. */
function mayBeJson(value: string): boolean {
  const trimmed = value.trim();
  return /^[{["]/.test(trimmed) || /^(true|false|null|-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?)$/.test(trimmed);
}

/**
 * The host sends strings as `{string}` and the library tries JSON.parse on each. A failed parse
 * throws, which costs more than the rest of an invocation; strings that cannot be JSON go as
 * `{json}` instead, which the library turns into the very same string.
 */
const text = (value: string): RpcTypedData => (mayBeJson(value) ? { string: value } : { json: JSON.stringify(value) });
const json = (value: unknown): RpcTypedData => ({ json: JSON.stringify(value) });

export function serviceBusTriggerMetadata(
  message: ReceivedMessage,
  functionName: string,
  now: Date,
): Record<string, RpcTypedData> {
  const metadata: Record<string, RpcTypedData> = {
    MessageId: text(message.messageId),
    DeliveryCount: { int: message.deliveryCount },
    SequenceNumber: { int: message.sequenceNumber },
    EnqueuedTimeUtc: text(message.enqueuedTimeUtc.toISOString()),
    EnqueuedTime: text(message.enqueuedTimeUtc.toISOString()),
    LockedUntilUtc: text(message.lockedUntilUtc.toISOString()),
    LockToken: text(message.lockToken),
    ContentType: text('application/json'),
    ApplicationProperties: json(message.applicationProperties),
    UserProperties: json(message.applicationProperties),
    sys: json({ MethodName: functionName, UtcNow: now.toISOString(), RandGuid: randomUUID() }),
  };
  if (message.deadLetterReason !== undefined) metadata['DeadLetterReason'] = text(message.deadLetterReason);
  if (message.deadLetterErrorDescription !== undefined) {
    metadata['DeadLetterErrorDescription'] = text(message.deadLetterErrorDescription);
  }
  return metadata;
}

/** The body travels as the JSON text it is on the wire; the library parses it back into the object. */
export function serviceBusInvocationInput(
  triggerBindingName: string,
  message: ReceivedMessage,
  functionName: string,
  now: Date,
): InvocationInput {
  return {
    inputData: [{ name: triggerBindingName, data: text(JSON.stringify(message.body ?? null)) }],
    triggerMetadata: serviceBusTriggerMetadata(message, functionName, now),
  };
}
