/** AMQP message shapes Service Bus clients expect: batches in, annotated deliveries out, outcomes. */
import rhea, { type Message } from 'rhea';
import type { StoredMessage } from './queueState.js';

/** Service Bus's batch format: one transfer whose body is a data section per encoded message. */
export const BATCH_MESSAGE_FORMAT = 0x80013700;

const SCHEDULED_ENQUEUE_TIME = 'x-opt-scheduled-enqueue-time';

/** rhea's decode is typed with its own loose Message; the fields are those of an AMQP message. */
export const decodeMessage = (bytes: Buffer): Message => rhea.message.decode(bytes) as unknown as Message;

/** The messages in one incoming transfer. rhea hands over non-standard formats undecoded. */
export function messagesOfTransfer(payload: Message | Buffer, format: number | undefined): Message[] {
  if (!Buffer.isBuffer(payload)) return [payload];
  if (format !== BATCH_MESSAGE_FORMAT) throw new Error(`unsupported message format ${format}`);
  const envelope = rhea.message.decode(payload);
  const sections: unknown = envelope['body']?.content;
  const encoded = Array.isArray(sections) ? sections : [sections];
  return encoded.map(decodeMessage);
}

/** Service Bus assigns an id to a message sent without one. */
export function messageIdOf(message: Message): string {
  const id = message.message_id;
  if (id === undefined || id === null) return rhea.generate_uuid();
  return Buffer.isBuffer(id) ? rhea.uuid_to_string(id) : String(id);
}

export function scheduledTimeOf(message: Message): number | undefined {
  const value: unknown = message.message_annotations?.[SCHEDULED_ENQUEUE_TIME];
  if (value instanceof Date) return value.getTime();
  return typeof value === 'number' ? value : undefined;
}

/**
 * A stored message as it goes out, with the broker's annotations. The AMQP header's delivery-count
 * counts *earlier* deliveries, so a received message carries one less than its lock count
 * (the .NET client adds one back); a peeked message carries the count itself.
 */
export function outgoingMessage(stored: StoredMessage, purpose: 'delivery' | 'peek'): Message {
  const annotations: Record<string, unknown> = {
    ...stored.message.message_annotations,
    'x-opt-sequence-number': rhea.types.wrap_long(stored.sequenceNumber),
    'x-opt-enqueued-time': new Date(stored.enqueuedAt),
  };
  if (stored.lockedUntil !== undefined) annotations['x-opt-locked-until'] = new Date(stored.lockedUntil);
  if (stored.deadLetterSource !== undefined) annotations['x-opt-deadletter-source'] = stored.deadLetterSource;
  if (stored.state === 'deferred') annotations['x-opt-message-state'] = 1;
  if (stored.state === 'scheduled') annotations['x-opt-message-state'] = 2;
  return {
    ...stored.message,
    message_id: stored.messageId,
    delivery_count: purpose === 'delivery' ? Math.max(0, stored.deliveryCount - 1) : stored.deliveryCount,
    message_annotations: annotations,
  };
}

export interface AmqpError {
  condition: string;
  description: string;
}

/** rhea builds outcomes at runtime but its typings leave the constructors out. */
const outcomes = rhea.message as unknown as Record<'accepted' | 'modified' | 'rejected', (fields?: object) => { described(): unknown }>;

/** Delivery states for settling: the client's outcome echoed back, or a rejection with an error. */
export const deliveryStates = {
  accepted: () => outcomes.accepted().described(),
  modified: (undeliverableHere: boolean) => outcomes.modified({ undeliverable_here: undeliverableHere }).described(),
  rejected: (error?: AmqpError) => outcomes.rejected(error ? { error } : {}).described(),
};

export const conditions = {
  notFound: 'amqp:not-found',
  lockLost: 'com.microsoft:message-lock-lost',
  messageNotFound: 'com.microsoft:message-not-found',
  deadLetter: 'com.microsoft:dead-letter',
  notImplemented: 'amqp:not-implemented',
  internalError: 'amqp:internal-error',
  badRequest: 'amqp:invalid-field',
} as const;
