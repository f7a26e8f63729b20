import type { ApplicationProperties } from './bus.js';

/**
 * The receiving side of a queue with Service Bus peek-lock semantics. Functions never use it:
 * the local host does, to feed Service Bus triggers (under Azure the Functions host does this).
 * Queue names are `name` or `name/$DeadLetterQueue`.
 */
export interface ReceivedMessage {
  messageId: string;
  body: unknown;
  applicationProperties: ApplicationProperties;
  /** 1 on the first delivery; counts lock acquisitions, as Service Bus does. */
  deliveryCount: number;
  enqueuedTimeUtc: Date;
  sequenceNumber: number;
  lockToken: string;
  lockedUntilUtc: Date;
  /** Set on dead-lettered messages (also copied into applicationProperties as Service Bus does). */
  deadLetterReason?: string;
  deadLetterErrorDescription?: string;
}

export interface QueueConsumer {
  /** Lock and return up to `max` available messages (scheduled ones only once due). */
  receive(queue: string, max: number): Promise<ReceivedMessage[]>;
  /** Remove a locked message. Throws LockLostError if the lock expired or the token is unknown. */
  complete(queue: string, lockToken: string): Promise<void>;
  /** Release a locked message for redelivery; dead-letters it once deliveryCount reached maxDeliveryCount. */
  abandon(queue: string, lockToken: string): Promise<void>;
  /** Move a locked message to `queue/$DeadLetterQueue`. */
  deadLetter(queue: string, lockToken: string, reason: string, description: string): Promise<void>;
  /** Extend the lock by the lock duration. */
  renewLock(queue: string, lockToken: string): Promise<Date>;
  /**
   * Resolve when a message may be available on `queue` (published, a scheduled time reached,
   * a lock expired) or after `timeoutMs`, whichever is first.
   */
  waitForMessages(queue: string, timeoutMs: number): Promise<void>;
}
