/**
 * The receiving side of one queue (or dead-letter queue): peek-lock receives, settlement by lock
 * token, and a long-poll that lets an idle consumer sleep until Service Bus has a message.
 */
import type { ServiceBusReceivedMessage, ServiceBusReceiver } from '@azure/service-bus';
import { LockLostError } from '../../ports/lockLostError.js';
import { translateLockLost } from './translateLockLost.js';

/** Locks whose expiry passed this long ago are forgotten (slack for clock skew with the service). */
const forgetLocksAfterMs = 60_000;

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class QueueReceiving {
  /** Messages handed out and not yet settled, by lock token: settling needs the SDK's message object. */
  readonly #locked = new Map<string, ServiceBusReceivedMessage>();
  /** Messages the long-poll received, handed out by the next receive. */
  readonly #buffered: ServiceBusReceivedMessage[] = [];
  /** The SDK refuses overlapping receiveMessages calls on one receiver: receives queue up. */
  #receiving: Promise<unknown> = Promise.resolve();
  #waiting: Promise<void> | undefined;

  /**
   * @param receiver serves receive().
   * @param waiter a second link for the long-poll, so a host can wait and receive at the same time.
   */
  constructor(
    private readonly queue: string,
    private readonly receiver: ServiceBusReceiver,
    private readonly waiter: ServiceBusReceiver,
    private readonly receiveWaitMs: number,
  ) {}

  /** Buffered messages first; otherwise whatever arrives within the short receive wait. */
  async receive(max: number): Promise<ServiceBusReceivedMessage[]> {
    this.#forgetExpiredLocks();
    let messages = this.#takeBuffered(max);
    if (messages.length === 0) {
      const receiving = this.#receiving.then(() => this.receiver.receiveMessages(max, { maxWaitTimeInMs: this.receiveWaitMs }));
      this.#receiving = receiving.catch(() => undefined);
      messages = await receiving;
    }
    for (const message of messages) this.#locked.set(message.lockToken!, message);
    return messages;
  }

  /**
   * Resolve once a message is buffered or after `timeoutMs`. Service Bus has no "message available"
   * signal, so this is a receive of one message that waits at the service; errors just wait out the timeout.
   */
  async waitForMessages(timeoutMs: number): Promise<void> {
    if (this.#buffered.length > 0) return;
    this.#waiting ??= this.waiter
      .receiveMessages(1, { maxWaitTimeInMs: timeoutMs })
      .then((messages) => void this.#buffered.push(...messages), () => delay(timeoutMs))
      .finally(() => (this.#waiting = undefined));
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.#waiting, new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)))]);
    clearTimeout(timer);
  }

  complete(lockToken: string): Promise<void> {
    return this.#settle(lockToken, (m) => this.receiver.completeMessage(m));
  }

  abandon(lockToken: string): Promise<void> {
    return this.#settle(lockToken, (m) => this.receiver.abandonMessage(m));
  }

  deadLetter(lockToken: string, reason: string, description: string): Promise<void> {
    return this.#settle(lockToken, (m) =>
      this.receiver.deadLetterMessage(m, { deadLetterReason: reason, deadLetterErrorDescription: description }),
    );
  }

  async renewLock(lockToken: string): Promise<Date> {
    const message = this.#message(lockToken);
    try {
      return await this.receiver.renewMessageLock(message);
    } catch (error) {
      const translated = translateLockLost(error, this.queue, lockToken);
      if (translated instanceof LockLostError) this.#locked.delete(lockToken);
      throw translated;
    }
  }

  /** Give back what the long-poll received and nobody took, so it is redelivered at once. */
  async releaseBuffered(): Promise<void> {
    const messages = this.#buffered.splice(0);
    await Promise.all(messages.map((m) => this.receiver.abandonMessage(m).catch(() => undefined)));
  }

  async #settle(lockToken: string, action: (message: ServiceBusReceivedMessage) => Promise<void>): Promise<void> {
    const message = this.#message(lockToken);
    try {
      await action(message);
      this.#locked.delete(lockToken);
    } catch (error) {
      const translated = translateLockLost(error, this.queue, lockToken);
      // Other failures (a timeout, a dropped link) keep the token so the caller may try again.
      if (translated instanceof LockLostError) this.#locked.delete(lockToken);
      throw translated;
    }
  }

  #message(lockToken: string): ServiceBusReceivedMessage {
    const message = this.#locked.get(lockToken);
    if (!message) throw new LockLostError(this.queue, lockToken);
    return message;
  }

  /**
   * Buffered messages whose lock already expired are skipped (Service Bus redelivers them), but
   * still settled: an unsettled delivery holds one of the link session's 2048 delivery slots.
   */
  #takeBuffered(max: number): ServiceBusReceivedMessage[] {
    const now = Date.now();
    const live: ServiceBusReceivedMessage[] = [];
    for (const message of this.#buffered.splice(0)) {
      if (message.lockedUntilUtc!.getTime() > now) live.push(message);
      else this.receiver.abandonMessage(message).catch(() => undefined);
    }
    this.#buffered.push(...live.slice(max));
    return live.slice(0, max);
  }

  #forgetExpiredLocks(): void {
    const before = Date.now() - forgetLocksAfterMs;
    for (const [token, message] of this.#locked) {
      if (message.lockedUntilUtc!.getTime() < before) this.#locked.delete(token);
    }
  }
}
