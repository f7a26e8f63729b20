/**
 * Bus and QueueConsumer on Azure Service Bus. One ServiceBusClient (one AMQP connection) per
 * instance; senders and receivers are opened on first use per queue and kept.
 */
import {
  ServiceBusClient,
  type ServiceBusMessageBatch,
  type ServiceBusReceiver,
  type ServiceBusSender,
  type TokenCredential,
} from '@azure/service-bus';
import type { Bus, OutgoingMessage, QueueName } from '../../ports/bus.js';
import type { QueueConsumer, ReceivedMessage } from '../../ports/queueConsumer.js';
import { MessageTooLargeError } from './messageTooLargeError.js';
import { toReceivedMessage, toServiceBusMessage } from './serviceBusMessages.js';
import { QueueReceiving } from './serviceBusReceiving.js';

const DEAD_LETTER_SUFFIX = '/$DeadLetterQueue';

export type ServiceBusConnection = { connectionString: string } | { fullyQualifiedNamespace: string; credential: TokenCredential };

export type ServiceBusBusOptions = ServiceBusConnection & {
  /**
   * How long receive() waits for a first message when none is buffered (default 200 ms). Short,
   * because an idle consumer sleeps in waitForMessages instead, which waits at the service.
   */
  receiveWaitMs?: number;
};

export class ServiceBusBus implements Bus, QueueConsumer {
  readonly #client: ServiceBusClient;
  readonly #receiveWaitMs: number;
  readonly #senders = new Map<string, ServiceBusSender>();
  readonly #receiving = new Map<string, QueueReceiving>();

  constructor(client: ServiceBusClient, options: { receiveWaitMs?: number } = {}) {
    this.#client = client;
    this.#receiveWaitMs = options.receiveWaitMs ?? 200;
  }

  /**
   * Sends in as few batches as fit, in order. Every batch is filled before the first is sent, so
   * a message that fits in no batch fails the call with MessageTooLargeError before anything is sent.
   */
  async publish(queue: QueueName, messages: OutgoingMessage[]): Promise<void> {
    if (messages.length === 0) return;
    const sender = this.#sender(queue);
    const batches: ServiceBusMessageBatch[] = [];
    let batch = await sender.createMessageBatch();
    for (const message of messages) {
      const outgoing = toServiceBusMessage(message);
      if (batch.tryAddMessage(outgoing)) continue;
      if (batch.count > 0) {
        batches.push(batch);
        batch = await sender.createMessageBatch();
        if (batch.tryAddMessage(outgoing)) continue;
      }
      throw new MessageTooLargeError(queue, message.messageId, batch.maxSizeInBytes);
    }
    batches.push(batch);
    for (const full of batches) await sender.sendMessages(full);
  }

  async receive(queue: string, max: number): Promise<ReceivedMessage[]> {
    return (await this.#receiver(queue).receive(max)).map(toReceivedMessage);
  }

  complete(queue: string, lockToken: string): Promise<void> {
    return this.#receiver(queue).complete(lockToken);
  }

  /** Service Bus counts the delivery and dead-letters at the queue's maxDeliveryCount by itself. */
  abandon(queue: string, lockToken: string): Promise<void> {
    return this.#receiver(queue).abandon(lockToken);
  }

  deadLetter(queue: string, lockToken: string, reason: string, description: string): Promise<void> {
    return this.#receiver(queue).deadLetter(lockToken, reason, description);
  }

  renewLock(queue: string, lockToken: string): Promise<Date> {
    return this.#receiver(queue).renewLock(lockToken);
  }

  waitForMessages(queue: string, timeoutMs: number): Promise<void> {
    return this.#receiver(queue).waitForMessages(timeoutMs);
  }

  /** Gives back long-polled messages nobody took, then closes every sender and receiver with the client. */
  async close(): Promise<void> {
    await Promise.all([...this.#receiving.values()].map((r) => r.releaseBuffered()));
    await this.#client.close();
  }

  #sender(queue: string): ServiceBusSender {
    let sender = this.#senders.get(queue);
    if (!sender) {
      sender = this.#client.createSender(queue);
      this.#senders.set(queue, sender);
    }
    return sender;
  }

  #receiver(queue: string): QueueReceiving {
    let receiving = this.#receiving.get(queue);
    if (!receiving) {
      receiving = new QueueReceiving(queue, this.#createReceiver(queue), this.#createReceiver(queue), this.#receiveWaitMs);
      this.#receiving.set(queue, receiving);
    }
    return receiving;
  }

  #createReceiver(queue: string): ServiceBusReceiver {
    const deadLetters = queue.endsWith(DEAD_LETTER_SUFFIX);
    return this.#client.createReceiver(deadLetters ? queue.slice(0, -DEAD_LETTER_SUFFIX.length) : queue, {
      receiveMode: 'peekLock',
      ...(deadLetters ? { subQueueType: 'deadLetter' as const } : {}),
      // Lock renewal is the caller's (the host renews while a handler runs); the SDK's own
      // renewer would keep locks alive that the caller has given up on.
      maxAutoLockRenewalDurationInMs: 0,
      skipParsingBodyAsJson: true,
    });
  }
}

/** The one Service Bus client of the process: call once, from the composition root. */
export function createServiceBusBus(options: ServiceBusBusOptions): ServiceBusBus {
  const client =
    'connectionString' in options
      ? new ServiceBusClient(options.connectionString)
      : new ServiceBusClient(options.fullyQualifiedNamespace, options.credential);
  return new ServiceBusBus(client, options);
}
