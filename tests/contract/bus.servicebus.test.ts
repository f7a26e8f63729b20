import { ServiceBusClient } from '@azure/service-bus';
import { afterAll, describe, expect, it } from 'vitest';
import { MessageTooLargeError } from '../../shared/adapters/azure/messageTooLargeError.js';
import { createServiceBusBus, type ServiceBusBus } from '../../shared/adapters/azure/serviceBusBus.js';
import { QUEUES, type Bus, type OutgoingMessage } from '../../shared/ports/bus.js';
import type { QueueConsumer } from '../../shared/ports/queueConsumer.js';
import { startAmqpBroker, type AmqpBroker } from '../../dev/amqpBroker/broker.js';
import { BUS_CONTRACT_SETTINGS, describeBusContract, type BusContractSettings } from './busContract.js';

// One broker for this file. Each `make` resets it, so every test sees fresh, empty queues; it
// restarts only if asked for other queue settings.
let broker: { instance: AmqpBroker; settings: string } | undefined;

async function freshBroker(settings: BusContractSettings): Promise<AmqpBroker> {
  const key = JSON.stringify(settings);
  if (broker?.settings === key) {
    broker.instance.reset();
    return broker.instance;
  }
  await broker?.instance.close();
  const queues = Object.fromEntries(QUEUES.map((q) => [q, settings]));
  broker = { instance: await startAmqpBroker({ queues, autoCreateQueues: false }), settings: key };
  return broker.instance;
}

afterAll(async () => {
  await broker?.instance.close();
});

describeBusContract('ServiceBusBus on the rhea test broker', async (settings) => {
  const bus = createServiceBusBus({ connectionString: (await freshBroker(settings)).connectionString });
  return { bus, consumer: bus, close: () => bus.close() };
});

const realNamespace = process.env['SHARDSYNC_TEST_SERVICEBUS_CONNECTION'];

/**
 * A real namespace keeps its queues and their duplicate-detection history between tests, so each
 * `make` empties the queues and gives message ids a fresh prefix: the same view as new queues.
 */
describe.skipIf(!realNamespace)('against the namespace in SHARDSYNC_TEST_SERVICEBUS_CONNECTION', () => {
  describeBusContract('ServiceBusBus on Azure Service Bus', async () => {
    const connectionString = realNamespace!;
    await purge(connectionString);
    const bus = createServiceBusBus({ connectionString, receiveWaitMs: 500 });
    const fresh = withIdPrefix(bus, `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}:`);
    return { ...fresh, close: () => bus.close() };
  });
});

async function purge(connectionString: string): Promise<void> {
  const client = new ServiceBusClient(connectionString);
  try {
    for (const queue of QUEUES) {
      for (const subQueueType of [undefined, 'deadLetter'] as const) {
        const receiver = client.createReceiver(queue, { receiveMode: 'receiveAndDelete', ...(subQueueType ? { subQueueType } : {}) });
        while ((await receiver.receiveMessages(100, { maxWaitTimeInMs: 500 })).length > 0);
        await receiver.close();
      }
    }
  } finally {
    await client.close();
  }
}

function withIdPrefix(bus: ServiceBusBus, prefix: string): { bus: Bus; consumer: QueueConsumer } {
  const consumer: QueueConsumer = {
    receive: async (queue, max) =>
      (await bus.receive(queue, max)).map((m) => ({ ...m, messageId: m.messageId.slice(prefix.length) })),
    complete: (queue, token) => bus.complete(queue, token),
    abandon: (queue, token) => bus.abandon(queue, token),
    deadLetter: (queue, token, reason, description) => bus.deadLetter(queue, token, reason, description),
    renewLock: (queue, token) => bus.renewLock(queue, token),
    waitForMessages: (queue, timeoutMs) => bus.waitForMessages(queue, timeoutMs),
  };
  const publish: Bus['publish'] = (queue, messages) =>
    bus.publish(queue, messages.map((m) => ({ ...m, messageId: `${prefix}${m.messageId}` })));
  return { bus: { publish }, consumer };
}

describe('ServiceBusBus specifics (rhea test broker)', () => {
  const receiveAll = async (bus: ServiceBusBus, queue: string, expected: number) => {
    const bodies: unknown[] = [];
    while (bodies.length < expected) {
      const messages = await bus.receive(queue, 100);
      if (messages.length === 0) break;
      for (const m of messages) {
        bodies.push(m.body);
        await bus.complete(queue, m.lockToken);
      }
    }
    return bodies;
  };

  it('a publish bigger than one batch is split into several and arrives whole, in order', async () => {
    const b = await freshBroker(BUS_CONTRACT_SETTINGS);
    const bus = createServiceBusBus({ connectionString: b.connectionString });
    try {
      // 300 × ~2 KB is well over the 256 KB a batch may hold.
      const messages: OutgoingMessage[] = Array.from({ length: 300 }, (_, i) => ({
        messageId: `big-${i}`,
        body: { i, padding: 'x'.repeat(2000) },
      }));
      await bus.publish('sync-batch', messages);
      const bodies = (await receiveAll(bus, 'sync-batch', 300)) as Array<{ i: number }>;
      expect(bodies.map((body) => body.i)).toEqual(messages.map((_, i) => i));
      expect(b.stats()['sync-batch']).toMatchObject({ sent: 300, completed: 300 });
    } finally {
      await bus.close();
    }
  });

  it('a single message larger than the maximum fails with MessageTooLargeError and nothing of the call is sent', async () => {
    const b = await freshBroker(BUS_CONTRACT_SETTINGS);
    const bus = createServiceBusBus({ connectionString: b.connectionString });
    try {
      const publishing = bus.publish('sync-batch', [
        { messageId: 'small', body: 'ok' },
        { messageId: 'huge', body: 'x'.repeat(300 * 1024) },
      ]);
      await expect(publishing).rejects.toBeInstanceOf(MessageTooLargeError);
      await expect(publishing).rejects.toMatchObject({ queue: 'sync-batch', messageId: 'huge', maxSizeInBytes: 256 * 1024 });
      expect(await bus.receive('sync-batch', 10)).toEqual([]);
    } finally {
      await bus.close();
    }
  });

  it('a message published while the consumer waits and receives at the same time is delivered once', async () => {
    const b = await freshBroker(BUS_CONTRACT_SETTINGS);
    const bus = createServiceBusBus({ connectionString: b.connectionString });
    try {
      // The local host's idle pattern: arm the wait, receive again, then sleep on the wait.
      const waiting = bus.waitForMessages('sync-start', 5000);
      const receiving = bus.receive('sync-start', 10);
      await bus.publish('sync-start', [{ messageId: 'x', body: 'x' }]);
      const first = await receiving;
      await waiting;
      const all = [...first, ...(await bus.receive('sync-start', 10))];
      expect(all.map((m) => m.messageId)).toEqual(['x']);
      await bus.complete('sync-start', all[0]!.lockToken);
      expect(b.stats()['sync-start']).toMatchObject({ received: 1, completed: 1 });
    } finally {
      await bus.close();
    }
  });
});
