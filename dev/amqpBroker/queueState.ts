/**
 * One queue's messages with Service Bus peek-lock semantics, in memory. Knows nothing of AMQP:
 * the link and management layers call it with lock tokens and sequence numbers.
 */
import type { Message } from 'rhea';
import { newLockToken } from './lockToken.js';

export interface QueueSettings {
  lockDurationMs: number;
  /** Deliveries after which an abandoned or lock-expired message is dead-lettered. */
  maxDeliveryCount: number;
  /** A message id seen within this window is accepted and dropped. */
  duplicateDetectionWindowMs: number;
}

export type MessageState = 'scheduled' | 'active' | 'locked' | 'deferred';

export interface StoredMessage {
  readonly sequenceNumber: number;
  readonly messageId: string;
  /** As the sender sent it; settlements may add application properties. */
  message: Message;
  readonly enqueuedAt: number;
  /** Lock acquisitions so far: Service Bus's DeliveryCount. */
  deliveryCount: number;
  state: MessageState;
  lockToken?: string;
  lockedUntil?: number;
  /** Lock expiry or scheduled activation. */
  timer?: NodeJS.Timeout;
  /** The queue a dead-lettered message came from. */
  deadLetterSource?: string;
}

export interface QueueStats {
  /** Messages accepted into the queue (duplicates excluded; dead-lettered arrivals included). */
  sent: number;
  duplicates: number;
  /** Lock acquisitions, redeliveries included. */
  received: number;
  /** Settlements by clients: complete, abandon, defer, dead-letter. */
  settled: number;
  completed: number;
  expiredLocks: number;
  deadLettered: number;
  active: number;
  scheduled: number;
  locked: number;
  deferred: number;
}

export type Properties = Record<string, unknown>;

export class LockLost extends Error {
  constructor(queue: string, lockToken: string) {
    super(`The lock supplied is invalid. Either the lock expired, or the message has already been removed from the queue '${queue}' (lock token ${lockToken}).`);
  }
}

export class MessageNotFound extends Error {}

const maxDeliveryCountReason = 'MaxDeliveryCountExceeded';

function insertSorted(list: number[], value: number): void {
  let low = 0;
  let high = list.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (list[mid]! < value) low = mid + 1;
    else high = mid;
  }
  list.splice(low, 0, value);
}

export class Queue {
  /** Every message not yet completed, by sequence number. */
  readonly #messages = new Map<number, StoredMessage>();
  /** Sequence numbers available now, ascending: a returned message goes back to its place. */
  readonly #active: number[] = [];
  readonly #locks = new Map<string, StoredMessage>();
  /** Message id → when it was accepted; Map order is acceptance order, so purging stops early. */
  readonly #seenIds = new Map<string, number>();
  #nextSequenceNumber = 1;
  readonly #counters = { sent: 0, duplicates: 0, received: 0, settled: 0, completed: 0, expiredLocks: 0, deadLettered: 0 };

  /**
   * @param deadLetterQueue where exhausted and dead-lettered messages go; absent for a dead-letter
   *   queue itself, whose messages are never dead-lettered further.
   * @param onAvailable called whenever a message may be delivered now.
   */
  constructor(
    readonly name: string,
    readonly settings: QueueSettings,
    readonly deadLetterQueue: Queue | undefined,
    private readonly onAvailable: (queue: Queue) => void,
  ) {}

  /** Returns the sequence number, or undefined for a duplicate inside the detection window. */
  enqueue(message: Message, messageId: string, scheduledAt: number | undefined, now = Date.now()): number | undefined {
    this.#purgeSeenIds(now);
    if (this.#seenIds.has(messageId)) {
      this.#counters.duplicates += 1;
      return undefined;
    }
    this.#seenIds.set(messageId, now);
    const stored: StoredMessage = {
      sequenceNumber: this.#nextSequenceNumber++,
      messageId,
      message,
      enqueuedAt: now,
      deliveryCount: 0,
      state: 'scheduled',
    };
    this.#messages.set(stored.sequenceNumber, stored);
    this.#counters.sent += 1;
    if (scheduledAt !== undefined && scheduledAt > now) {
      stored.timer = setTimeout(() => this.#makeAvailable(stored), scheduledAt - now);
    } else {
      this.#makeAvailable(stored);
    }
    return stored.sequenceNumber;
  }

  /** Lock the first available message, or return undefined. */
  lockNext(now = Date.now()): StoredMessage | undefined {
    const sequenceNumber = this.#active.shift();
    if (sequenceNumber === undefined) return undefined;
    return this.#lock(this.#messages.get(sequenceNumber)!, now);
  }

  complete(lockToken: string): void {
    const message = this.#unlock(lockToken);
    this.#messages.delete(message.sequenceNumber);
    this.#counters.settled += 1;
    this.#counters.completed += 1;
  }

  abandon(lockToken: string, propertiesToModify?: Properties): void {
    const message = this.#unlock(lockToken);
    this.#counters.settled += 1;
    this.#modify(message, propertiesToModify);
    this.#release(message);
  }

  defer(lockToken: string, propertiesToModify?: Properties): void {
    const message = this.#unlock(lockToken);
    this.#counters.settled += 1;
    this.#modify(message, propertiesToModify);
    message.state = 'deferred';
  }

  deadLetter(lockToken: string, reason: string | undefined, description: string | undefined, propertiesToModify?: Properties): void {
    const message = this.#unlock(lockToken);
    this.#counters.settled += 1;
    this.#modify(message, propertiesToModify);
    this.#moveToDeadLetters(message, reason, description);
  }

  /** Extend the lock by the lock duration; returns the new expiry (epoch ms). */
  renewLock(lockToken: string, now = Date.now()): number {
    const message = this.#locked(lockToken, now);
    clearTimeout(message.timer);
    this.#armLock(message, now);
    return message.lockedUntil!;
  }

  /** Lock deferred messages by sequence number (all or none). */
  receiveDeferred(sequenceNumbers: number[], now = Date.now()): StoredMessage[] {
    const messages = sequenceNumbers.map((n) => this.#messages.get(n));
    const missing = sequenceNumbers.filter((_, i) => messages[i]?.state !== 'deferred');
    if (missing.length > 0) throw new MessageNotFound(`Failed to lock one or more specified messages. Deferred messages not found: ${missing.join(', ')}.`);
    return messages.map((m) => this.#lock(m!, now));
  }

  cancelScheduled(sequenceNumbers: number[]): void {
    for (const n of sequenceNumbers) {
      const message = this.#messages.get(n);
      if (message?.state !== 'scheduled') continue; // already enqueued or gone: nothing to cancel
      clearTimeout(message.timer);
      this.#messages.delete(n);
    }
  }

  /** Messages from a sequence number on, in order, without locking (active, locked, scheduled, deferred). */
  peek(fromSequenceNumber: number, count: number): StoredMessage[] {
    return [...this.#messages.values()]
      .filter((m) => m.sequenceNumber >= fromSequenceNumber)
      .sort((a, b) => a.sequenceNumber - b.sequenceNumber)
      .slice(0, count);
  }

  stats(): QueueStats {
    let scheduled = 0;
    let deferred = 0;
    for (const m of this.#messages.values()) {
      if (m.state === 'scheduled') scheduled += 1;
      else if (m.state === 'deferred') deferred += 1;
    }
    return { ...this.#counters, active: this.#active.length, scheduled, locked: this.#locks.size, deferred };
  }

  close(): void {
    for (const m of this.#messages.values()) clearTimeout(m.timer);
  }

  /** Take in a message dead-lettered from the parent queue, keeping its sequence number and delivery count. */
  #adopt(message: StoredMessage): void {
    this.#messages.set(message.sequenceNumber, message);
    this.#counters.sent += 1;
    this.#makeAvailable(message);
  }

  #lock(message: StoredMessage, now: number): StoredMessage {
    message.state = 'locked';
    message.deliveryCount += 1;
    message.lockToken = newLockToken();
    this.#locks.set(message.lockToken, message);
    this.#armLock(message, now);
    this.#counters.received += 1;
    return message;
  }

  #armLock(message: StoredMessage, now: number): void {
    message.lockedUntil = now + this.settings.lockDurationMs;
    message.timer = setTimeout(() => {
      this.#locks.delete(message.lockToken!);
      this.#counters.expiredLocks += 1;
      this.#release(message);
    }, this.settings.lockDurationMs);
  }

  /** The message still locked by this token; a lock past its time is lost even if its timer is late. */
  #locked(lockToken: string, now = Date.now()): StoredMessage {
    const message = this.#locks.get(lockToken);
    if (!message || message.lockedUntil! <= now) throw new LockLost(this.name, lockToken);
    return message;
  }

  #unlock(lockToken: string): StoredMessage {
    const message = this.#locked(lockToken);
    clearTimeout(message.timer);
    this.#locks.delete(lockToken);
    delete message.lockToken;
    delete message.lockedUntil;
    return message;
  }

  /** After an abandon or an expired lock: available again, or dead-lettered once out of deliveries. */
  #release(message: StoredMessage): void {
    if (this.deadLetterQueue && message.deliveryCount >= this.settings.maxDeliveryCount) {
      this.#moveToDeadLetters(
        message,
        maxDeliveryCountReason,
        `Message could not be consumed after ${this.settings.maxDeliveryCount} delivery attempts.`,
      );
    } else {
      this.#makeAvailable(message);
    }
  }

  #moveToDeadLetters(message: StoredMessage, reason: string | undefined, description: string | undefined): void {
    const reasons: Properties = {};
    if (reason !== undefined) reasons['DeadLetterReason'] = reason;
    if (description !== undefined) reasons['DeadLetterErrorDescription'] = description;
    this.#modify(message, reasons);
    if (!this.deadLetterQueue) {
      // A dead-letter queue has nowhere further to send it: it stays, available again, with the new reason.
      this.#makeAvailable(message);
      return;
    }
    this.#messages.delete(message.sequenceNumber);
    this.#counters.deadLettered += 1;
    message.deadLetterSource = this.name;
    this.deadLetterQueue.#adopt(message);
  }

  #modify(message: StoredMessage, properties: Properties | undefined): void {
    if (properties && Object.keys(properties).length > 0) {
      message.message = { ...message.message, application_properties: { ...message.message.application_properties, ...properties } };
    }
  }

  #makeAvailable(message: StoredMessage): void {
    message.state = 'active';
    delete message.timer;
    insertSorted(this.#active, message.sequenceNumber);
    this.onAvailable(this);
  }

  #purgeSeenIds(now: number): void {
    const windowStart = now - this.settings.duplicateDetectionWindowMs;
    for (const [id, seenAt] of this.#seenIds) {
      if (seenAt > windowStart) break;
      this.#seenIds.delete(id);
    }
  }
}
