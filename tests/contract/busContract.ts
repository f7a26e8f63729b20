import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { context, propagation, trace } from '@opentelemetry/api';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { tracingBus } from '../../shared/observability/tracingBus.js';
import { traceContextOf } from '../../shared/observability/traceCarrier.js';
import type { Bus, QueueName } from '../../shared/ports/bus.js';
import { LockLostError } from '../../shared/ports/lockLostError.js';
import type { QueueConsumer, ReceivedMessage } from '../../shared/ports/queueConsumer.js';

/** Queue settings the suite relies on; `make` must configure its queues (all of QUEUES) with them. */
export interface BusContractSettings {
  lockDurationMs: number;
  maxDeliveryCount: number;
}

export const BUS_CONTRACT_SETTINGS: BusContractSettings = { lockDurationMs: 1000, maxDeliveryCount: 3 };

const QUEUE: QueueName = 'sync-page';
const DEAD_LETTERS = `${QUEUE}/$DeadLetterQueue`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Service Bus peek-lock behaviour, written against the Bus and QueueConsumer ports only, so a
 * Service Bus adapter runs the same suite. Each test gets fresh, empty queues from `make`.
 */
export function describeBusContract(
  name: string,
  make: (settings: BusContractSettings) => Promise<{ bus: Bus; consumer: QueueConsumer; close(): Promise<void> }>,
): void {
  describe(`Bus contract: ${name}`, () => {
    const { lockDurationMs } = BUS_CONTRACT_SETTINGS;
    let bus: Bus;
    let consumer: QueueConsumer;
    let close: () => Promise<void>;

    beforeEach(async () => {
      ({ bus, consumer, close } = await make(BUS_CONTRACT_SETTINGS));
    });
    afterEach(async () => {
      await close();
    });

    const one = async (queue: string = QUEUE): Promise<ReceivedMessage> => {
      const [message, ...rest] = await consumer.receive(queue, 1);
      expect(rest).toEqual([]);
      if (!message) throw new Error(`expected a message on ${queue}`);
      return message;
    };

    it("a message published inside a span carries its traceparent, and the consumer reads the span's context back", async () => {
      // Registered for this test only: the tracer provider, context manager and W3C propagator are process-global.
      const provider = new NodeTracerProvider();
      provider.register();
      try {
        const span = trace.getTracer('bus-contract').startSpan('publish');
        await context.with(trace.setSpan(context.active(), span), () =>
          tracingBus(bus).publish(QUEUE, [{ messageId: 'traced', body: {}, applicationProperties: { tenantId: 't1' } }]),
        );
        span.end();
        const { traceId, spanId } = span.spanContext();
        const message = await one();
        expect(message.applicationProperties).toEqual({ tenantId: 't1', traceparent: `00-${traceId}-${spanId}-01` });
        expect(trace.getSpanContext(traceContextOf(message.applicationProperties))).toMatchObject({ traceId, spanId, isRemote: true });
      } finally {
        await provider.shutdown();
        trace.disable();
        context.disable();
        propagation.disable();
      }
    });

    it('a published message is received with its body and properties, and is gone once completed', async () => {
      await bus.publish(QUEUE, [{ messageId: 'm1', body: { page: 1, items: ['a'] }, applicationProperties: { tenantId: 't1', n: 2 } }]);
      const message = await one();
      expect(message).toMatchObject({
        messageId: 'm1',
        body: { page: 1, items: ['a'] },
        applicationProperties: { tenantId: 't1', n: 2 },
        deliveryCount: 1,
      });
      expect(message.lockedUntilUtc.getTime()).toBeGreaterThan(Date.now());
      expect(await consumer.receive(QUEUE, 10)).toEqual([]);
      await consumer.complete(QUEUE, message.lockToken);
      await sleep(lockDurationMs + 200);
      expect(await consumer.receive(QUEUE, 10)).toEqual([]);
    });

    it('messages arrive in publish order across publish calls', async () => {
      await bus.publish(QUEUE, ['a', 'b', 'c'].map((id) => ({ messageId: id, body: id })));
      await bus.publish(QUEUE, ['d', 'e'].map((id) => ({ messageId: id, body: id })));
      const first = await consumer.receive(QUEUE, 2);
      const rest = await consumer.receive(QUEUE, 10);
      const all = [...first, ...rest];
      expect(all.map((m) => m.body)).toEqual(['a', 'b', 'c', 'd', 'e']);
      const sequence = all.map((m) => m.sequenceNumber);
      expect(sequence).toEqual([...sequence].sort((x, y) => x - y));
    });

    it('queues are separate', async () => {
      await bus.publish('sync-start', [{ messageId: 'x', body: 'start' }]);
      expect(await consumer.receive(QUEUE, 10)).toEqual([]);
      expect((await one('sync-start')).body).toBe('start');
    });

    it('a second message with the same messageId is dropped, even after the first was completed', async () => {
      await bus.publish(QUEUE, [{ messageId: 'dup', body: 'first' }]);
      await bus.publish(QUEUE, [{ messageId: 'dup', body: 'second' }]);
      const message = await one();
      expect(message.body).toBe('first');
      await consumer.complete(QUEUE, message.lockToken);
      await bus.publish(QUEUE, [{ messageId: 'dup', body: 'third' }]);
      expect(await consumer.receive(QUEUE, 10)).toEqual([]);
    });

    it('a scheduled message stays invisible until its time', async () => {
      await bus.publish(QUEUE, [{ messageId: 'later', body: 'later', scheduledEnqueueTime: new Date(Date.now() + 700) }]);
      await bus.publish(QUEUE, [{ messageId: 'now', body: 'now' }]);
      expect((await consumer.receive(QUEUE, 10)).map((m) => m.body)).toEqual(['now']);
      await sleep(800);
      expect((await one()).body).toBe('later');
    });

    it('an abandoned message is redelivered at once with a higher deliveryCount', async () => {
      await bus.publish(QUEUE, [{ messageId: 'm', body: 'x' }]);
      const first = await one();
      await consumer.abandon(QUEUE, first.lockToken);
      const second = await one();
      expect(second.messageId).toBe('m');
      expect(second.deliveryCount).toBe(2);
      expect(second.lockToken).not.toBe(first.lockToken);
    });

    it('after maxDeliveryCount abandons the message is dead-lettered with its body and properties', async () => {
      await bus.publish(QUEUE, [{ messageId: 'poison', body: { bad: true }, applicationProperties: { tenantId: 't9' } }]);
      for (let delivery = 1; delivery <= BUS_CONTRACT_SETTINGS.maxDeliveryCount; delivery++) {
        const message = await one();
        expect(message.deliveryCount).toBe(delivery);
        await consumer.abandon(QUEUE, message.lockToken);
      }
      expect(await consumer.receive(QUEUE, 10)).toEqual([]);
      const dead = await one(DEAD_LETTERS);
      expect(dead).toMatchObject({
        messageId: 'poison',
        body: { bad: true },
        applicationProperties: { tenantId: 't9', DeadLetterReason: 'MaxDeliveryCountExceeded' },
        deadLetterReason: 'MaxDeliveryCountExceeded',
      });
    });

    it('an explicitly dead-lettered message carries the reason and description', async () => {
      await bus.publish(QUEUE, [{ messageId: 'm', body: 'x', applicationProperties: { a: 1 } }]);
      const message = await one();
      await consumer.deadLetter(QUEUE, message.lockToken, 'ValidationFailed', 'page 3 is not JSON');
      expect(await consumer.receive(QUEUE, 10)).toEqual([]);
      const dead = await one(DEAD_LETTERS);
      expect(dead).toMatchObject({
        messageId: 'm',
        body: 'x',
        applicationProperties: { a: 1, DeadLetterReason: 'ValidationFailed', DeadLetterErrorDescription: 'page 3 is not JSON' },
        deadLetterReason: 'ValidationFailed',
        deadLetterErrorDescription: 'page 3 is not JSON',
      });
      await consumer.complete(DEAD_LETTERS, dead.lockToken);
      expect(await consumer.receive(DEAD_LETTERS, 10)).toEqual([]);
    });

    it('a message whose lock expires is delivered again', async () => {
      await bus.publish(QUEUE, [{ messageId: 'm', body: 'x' }]);
      expect(await one()).toMatchObject({ messageId: 'm', deliveryCount: 1 });
      expect(await consumer.receive(QUEUE, 10)).toEqual([]);
      await sleep(lockDurationMs + 200);
      const second = await one();
      expect(second).toMatchObject({ messageId: 'm', deliveryCount: 2 });
    });

    it('an expired lock counts towards dead-lettering like an abandon', async () => {
      await bus.publish(QUEUE, [{ messageId: 'm', body: 'x' }]);
      for (let delivery = 1; delivery < BUS_CONTRACT_SETTINGS.maxDeliveryCount; delivery++) {
        await consumer.abandon(QUEUE, (await one()).lockToken);
      }
      expect((await one()).deliveryCount).toBe(BUS_CONTRACT_SETTINGS.maxDeliveryCount);
      await sleep(lockDurationMs + 200);
      expect(await consumer.receive(QUEUE, 10)).toEqual([]);
      expect((await one(DEAD_LETTERS)).deadLetterReason).toBe('MaxDeliveryCountExceeded');
    });

    it('complete, abandon and renew after the lock was lost throw LockLostError', async () => {
      await bus.publish(QUEUE, [{ messageId: 'm', body: 'x' }]);
      const message = await one();
      await sleep(lockDurationMs + 200);
      await expect(consumer.complete(QUEUE, message.lockToken)).rejects.toBeInstanceOf(LockLostError);
      await expect(consumer.abandon(QUEUE, message.lockToken)).rejects.toBeInstanceOf(LockLostError);
      await expect(consumer.renewLock(QUEUE, message.lockToken)).rejects.toBeInstanceOf(LockLostError);
      // The message itself is not lost: it is delivered again.
      expect((await one()).messageId).toBe('m');
    });

    it('completing with an unknown lock token throws LockLostError', async () => {
      await expect(consumer.complete(QUEUE, '00000000-0000-0000-0000-000000000000')).rejects.toBeInstanceOf(LockLostError);
    });

    it('a renewed lock outlives the original lock duration', async () => {
      await bus.publish(QUEUE, [{ messageId: 'm', body: 'x' }]);
      const message = await one();
      await sleep(lockDurationMs * 0.6);
      const until = await consumer.renewLock(QUEUE, message.lockToken);
      expect(until.getTime()).toBeGreaterThan(message.lockedUntilUtc.getTime());
      await sleep(lockDurationMs * 0.6);
      expect(await consumer.receive(QUEUE, 10)).toEqual([]);
      await consumer.complete(QUEUE, message.lockToken);
    });

    it('waitForMessages wakes on a publish long before its timeout', async () => {
      const started = Date.now();
      const waiting = consumer.waitForMessages(QUEUE, 10_000);
      await sleep(50);
      await bus.publish(QUEUE, [{ messageId: 'm', body: 'x' }]);
      await waiting;
      expect(Date.now() - started).toBeLessThan(1000);
      expect((await one()).messageId).toBe('m');
    });

    it('waitForMessages wakes when a scheduled message becomes due', async () => {
      await bus.publish(QUEUE, [{ messageId: 'm', body: 'x', scheduledEnqueueTime: new Date(Date.now() + 300) }]);
      const started = Date.now();
      await consumer.waitForMessages(QUEUE, 10_000);
      expect(Date.now() - started).toBeLessThan(2000);
      expect((await one()).messageId).toBe('m');
    });

    it('waitForMessages returns at its timeout when nothing arrives', async () => {
      const started = Date.now();
      await consumer.waitForMessages(QUEUE, 300);
      const elapsed = Date.now() - started;
      expect(elapsed).toBeGreaterThanOrEqual(250);
      expect(elapsed).toBeLessThan(2000);
    });
  });
}
