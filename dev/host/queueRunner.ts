/**
 * Feed Service Bus-triggered functions from a QueueConsumer with the host's peek-lock behaviour:
 * up to maxConcurrentCalls messages in flight per function, complete on success, abandon on throw
 * (the bus redelivers and eventually dead-letters), locks renewed at half their remaining time until
 * maxAutoLockRenewalDuration. Idle loops block in waitForMessages, never in a fixed sleep.
 */
import type { QueueConsumer, ReceivedMessage } from '../../shared/ports/queueConsumer.js';
import type { Invoke } from './invoker.js';
import type { LoadedFunction } from './loadFunctions.js';
import { serviceBusInvocationInput } from './serviceBusMessages.js';

export interface QueueRunnerOptions {
  functions: readonly LoadedFunction[];
  consumer: QueueConsumer;
  invoke: Invoke;
  log: (line: string) => void;
  maxConcurrentCalls: number;
  maxAutoLockRenewalMs: number;
}

export interface RunningQueues {
  /** Stop receiving, wait for handlers until `deadline` (epoch ms), then abandon what still runs. */
  stop(deadline: number): Promise<void>;
}

interface InFlight {
  message: ReceivedMessage;
  receivedAt: number;
  /** Completed or abandoned already: a late-finishing handler must not settle it again. */
  settled: boolean;
  renewal?: NodeJS.Timeout;
  done?: Promise<void>;
}

const idleWaitMs = 1000;
const minRenewalDelayMs = 50;

/** Wakes everyone waiting; cheaper than polling for a free slot. */
class Signal {
  #waiters: Array<() => void> = [];
  wait(): Promise<void> {
    return new Promise((resolve) => this.#waiters.push(resolve));
  }
  notify(): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const wake of waiters) wake();
  }
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

function untilDeadline(deadline: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, deadline - Date.now())).unref());
}

function runQueue(fn: LoadedFunction, queue: string, options: QueueRunnerOptions): RunningQueues {
  const { consumer, log } = options;
  const inFlight = new Map<string, InFlight>();
  const changed = new Signal();
  let stopping = false;
  let signalStop = () => {};
  const stopped = new Promise<void>((resolve) => (signalStop = resolve));

  function settle(entry: InFlight, action: () => Promise<void>, what: string): Promise<void> {
    entry.settled = true;
    clearTimeout(entry.renewal);
    return action().catch((error: unknown) =>
      log(`[${fn.name}] could not ${what} message ${entry.message.messageId}: ${messageOf(error)}`),
    );
  }

  function scheduleRenewal(entry: InFlight, lockedUntil: Date): void {
    if (Date.now() - entry.receivedAt >= options.maxAutoLockRenewalMs) return;
    const delay = Math.max(minRenewalDelayMs, (lockedUntil.getTime() - Date.now()) / 2);
    entry.renewal = setTimeout(() => {
      if (entry.settled) return;
      consumer.renewLock(queue, entry.message.lockToken).then(
        (until) => {
          if (!entry.settled) scheduleRenewal(entry, until);
        },
        (error: unknown) => log(`[${fn.name}] lock renewal failed for message ${entry.message.messageId}: ${messageOf(error)}`),
      );
    }, delay);
  }

  async function handle(entry: InFlight): Promise<void> {
    const { message } = entry;
    let failure: unknown;
    let failed = false;
    try {
      await options.invoke(fn, serviceBusInvocationInput(fn.triggerBindingName, message, fn.name, new Date()));
    } catch (error) {
      failed = true;
      failure = error;
    }
    if (entry.settled) return;
    if (!failed) return settle(entry, () => consumer.complete(queue, message.lockToken), 'complete');
    log(`[${fn.name}] message ${message.messageId} (delivery ${message.deliveryCount}) failed: ${messageOf(failure)}`);
    return settle(entry, () => consumer.abandon(queue, message.lockToken), 'abandon');
  }

  function dispatch(message: ReceivedMessage): void {
    const entry: InFlight = { message, receivedAt: Date.now(), settled: false };
    inFlight.set(message.lockToken, entry);
    scheduleRenewal(entry, message.lockedUntilUtc);
    entry.done = handle(entry).finally(() => {
      clearTimeout(entry.renewal);
      inFlight.delete(message.lockToken);
      changed.notify();
    });
  }

  async function receive(max: number): Promise<ReceivedMessage[]> {
    const messages = await consumer.receive(queue, max);
    if (messages.length > 0 || stopping) return messages;
    // Arm the wake-up before looking again, so a message published in between is not missed.
    const wake = consumer.waitForMessages(queue, idleWaitMs);
    const again = await consumer.receive(queue, max);
    if (again.length === 0) await Promise.race([wake, stopped]);
    return again;
  }

  async function loop(): Promise<void> {
    while (!stopping) {
      if (inFlight.size >= options.maxConcurrentCalls) {
        await changed.wait();
        // Let other handlers finishing in the same turn free their slots: one receive for many slots.
        await new Promise((resolve) => setImmediate(resolve));
        continue;
      }
      const free = options.maxConcurrentCalls - inFlight.size;
      let messages: ReceivedMessage[];
      try {
        messages = await receive(free);
      } catch (error) {
        log(`[${fn.name}] receiving from ${queue} failed: ${messageOf(error)}`);
        await Promise.race([untilDeadline(Date.now() + idleWaitMs), stopped]);
        continue;
      }
      if (stopping) {
        await Promise.all(messages.map((m) => consumer.abandon(queue, m.lockToken).catch(() => undefined)));
        return;
      }
      for (const message of messages) dispatch(message);
    }
  }

  const looping = loop();

  return {
    async stop(deadline) {
      stopping = true;
      signalStop();
      changed.notify();
      await Promise.race([looping, untilDeadline(deadline)]);
      const running = [...inFlight.values()];
      await Promise.race([Promise.all(running.map((e) => e.done)), untilDeadline(deadline)]);
      const leftovers = [...inFlight.values()].filter((e) => !e.settled);
      for (const entry of leftovers) log(`[${fn.name}] still running at shutdown; abandoning message ${entry.message.messageId}`);
      await Promise.all(leftovers.map((e) => settle(e, () => consumer.abandon(queue, e.message.lockToken), 'abandon')));
    },
  };
}

export function startQueues(options: QueueRunnerOptions): RunningQueues {
  const runners = options.functions
    .filter((fn) => fn.trigger === 'serviceBusTrigger' && fn.queueName !== undefined)
    .map((fn) => runQueue(fn, fn.queueName!, options));
  return {
    async stop(deadline) {
      await Promise.all(runners.map((r) => r.stop(deadline)));
    },
  };
}
