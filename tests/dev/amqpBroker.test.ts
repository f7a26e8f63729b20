import { ServiceBusClient, type ServiceBusReceivedMessage } from '@azure/service-bus';
import { afterEach, describe, expect, it } from 'vitest';
import { startAmqpBroker, type AmqpBroker, type AmqpBrokerOptions } from '../../dev/amqpBroker/broker.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const wait = { maxWaitTimeInMs: 200 };

/** The broker as the real SDK sees it; receivers leave lock renewal to the test. */
describe('rhea test broker with @azure/service-bus', () => {
  let broker: AmqpBroker;
  let client: ServiceBusClient;

  async function start(options: AmqpBrokerOptions = {}): Promise<void> {
    broker = await startAmqpBroker(options);
    client = new ServiceBusClient(broker.connectionString);
  }
  const receiver = (queue: string, options: { subQueueType?: 'deadLetter'; receiveMode?: 'receiveAndDelete' } = {}) =>
    client.createReceiver(queue, { maxAutoLockRenewalDurationInMs: 0, ...options });
  const ids = (messages: ServiceBusReceivedMessage[]) => messages.map((m) => m.messageId);

  afterEach(async () => {
    await client.close();
    await broker.close();
  });

  it('a receiver gets no more than its credit; peek shows every message in order without locking any', async () => {
    await start();
    await client.createSender('q').sendMessages(['a', 'b', 'c'].map((id) => ({ messageId: id, body: id })));
    const locked = await receiver('q').receiveMessages(1, wait);
    expect(broker.stats()['q']).toMatchObject({ received: 1, locked: 1, active: 2 });
    const peeked = await receiver('q').peekMessages(10);
    expect(peeked.map((m) => [m.messageId, m.sequenceNumber?.toNumber(), m.deliveryCount])).toEqual([
      ['a', 1, 1],
      ['b', 2, 0],
      ['c', 3, 0],
    ]);
    expect(ids(locked)).toEqual(['a']);
    expect(ids(await receiver('q').receiveMessages(10, wait))).toEqual(['b', 'c']);
  });

  it('renew-lock extends the lock by the lock duration (lock tokens survive the GUID byte-order round trip)', async () => {
    await start({ defaults: { lockDurationMs: 1000 } });
    await client.createSender('q').sendMessages({ messageId: 'm', body: 'x' });
    const r = receiver('q');
    const [message] = await r.receiveMessages(1, wait);
    const firstUntil = message!.lockedUntilUtc!.getTime();
    await sleep(600);
    const renewedUntil = await r.renewMessageLock(message!);
    expect(renewedUntil.getTime()).toBeGreaterThan(firstUntil + 400);
    await sleep(600); // past the first lock, inside the renewed one
    expect(await receiver('q').receiveMessages(1, wait)).toEqual([]);
    await r.completeMessage(message!);
    expect(broker.stats()['q']).toMatchObject({ received: 1, completed: 1, expiredLocks: 0 });
  });

  it('dead-letters after maxDeliveryCount with the reason, into q/$DeadLetterQueue', async () => {
    await start({ queues: { q: { maxDeliveryCount: 2 } } });
    await client.createSender('q').sendMessages({ messageId: 'poison', body: { bad: true }, applicationProperties: { tenantId: 't' } });
    const r = receiver('q');
    for (let attempt = 0; attempt < 2; attempt++) {
      const [message] = await r.receiveMessages(1, wait);
      expect(message?.deliveryCount).toBe(attempt); // the JS SDK reports earlier deliveries
      await r.abandonMessage(message!);
    }
    expect(await r.receiveMessages(1, wait)).toEqual([]);
    const [dead] = await receiver('q', { subQueueType: 'deadLetter' }).receiveMessages(1, wait);
    expect(dead).toMatchObject({
      messageId: 'poison',
      body: { bad: true },
      deadLetterReason: 'MaxDeliveryCountExceeded',
      deadLetterErrorDescription: 'Message could not be consumed after 2 delivery attempts.',
      deadLetterSource: 'q',
      applicationProperties: { tenantId: 't', DeadLetterReason: 'MaxDeliveryCountExceeded' },
    });
    expect(broker.stats()).toMatchObject({ q: { deadLettered: 1 }, 'q/$DeadLetterQueue': { sent: 1, locked: 1 } });
  });

  it('schedules and cancels through $management, and drops duplicate message ids', async () => {
    await start();
    const sender = client.createSender('q');
    const [keep, cancel] = await sender.scheduleMessages(
      [{ messageId: 'keep', body: 1 }, { messageId: 'cancel', body: 2 }],
      new Date(Date.now() + 300),
    );
    await sender.cancelScheduledMessages([cancel!]);
    await sender.sendMessages({ messageId: 'keep', body: 'duplicate' });
    expect(broker.stats()['q']).toMatchObject({ scheduled: 1, duplicates: 1 });
    await sleep(400);
    const received = await receiver('q').receiveMessages(10, wait);
    expect(received.map((m) => [m.messageId, m.body, m.sequenceNumber?.toNumber()])).toEqual([['keep', 1, keep!.toNumber()]]);
  });

  it('a deferred message is received by sequence number and settled through $management', async () => {
    await start();
    await client.createSender('q').sendMessages({ messageId: 'later', body: 'x' });
    const r = receiver('q');
    const [message] = await r.receiveMessages(1, wait);
    await r.deferMessage(message!);
    expect(await r.receiveMessages(1, wait)).toEqual([]);
    const [deferred] = await r.receiveDeferredMessages([message!.sequenceNumber!]);
    expect(deferred?.messageId).toBe('later');
    await r.completeMessage(deferred!);
    expect(broker.stats()['q']).toMatchObject({ completed: 1, deferred: 0, active: 0 });
  });

  it('receive-and-delete takes messages off the queue as they are delivered', async () => {
    await start();
    await client.createSender('q').sendMessages([{ messageId: 'a', body: 1 }, { messageId: 'b', body: 2 }]);
    expect(ids(await receiver('q', { receiveMode: 'receiveAndDelete' }).receiveMessages(10, wait))).toEqual(['a', 'b']);
    expect(broker.stats()['q']).toMatchObject({ completed: 2, active: 0, locked: 0 });
  });

  it('a long-lived receiver keeps receiving past the 2048 delivery slots of its session', async () => {
    await start();
    const count = 2100;
    await client.createSender('q').sendMessages(Array.from({ length: count }, (_, i) => ({ messageId: `m${i}`, body: i })));
    const r = receiver('q');
    let completed = 0;
    while (completed < count) {
      const messages = await r.receiveMessages(500, wait);
      if (messages.length === 0) break;
      await Promise.all(messages.map((m) => r.completeMessage(m)));
      completed += messages.length;
    }
    expect(completed).toBe(count);
  });

  it('without auto-creation an undeclared queue is a missing entity', async () => {
    await start({ queues: { known: {} }, autoCreateQueues: false });
    await expect(client.createSender('unknown').sendMessages({ body: 1 })).rejects.toMatchObject({ code: 'MessagingEntityNotFound' });
    await client.createSender('known').sendMessages({ body: 1 });
    expect(broker.stats()['known']).toMatchObject({ sent: 1 });
  });
});
