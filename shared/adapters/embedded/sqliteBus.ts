import { randomUUID } from 'node:crypto';
import type { Statement } from 'better-sqlite3';
import type { ApplicationProperties, Bus, OutgoingMessage, QueueName } from '../../ports/bus.js';
import { systemClock, type Clock } from '../../ports/clock.js';
import { LockLostError } from '../../ports/lockLostError.js';
import type { QueueConsumer, ReceivedMessage } from '../../ports/queueConsumer.js';
import type { SqliteDatabase } from './sqliteDatabase.js';

const DEAD_LETTER_SUFFIX = '/$DeadLetterQueue';

export interface QueueSettings {
  /** How long a received message stays locked (default 30 s, as Service Bus). */
  lockDurationMs: number;
  /** Deliveries after which an abandoned or lock-expired message is dead-lettered (default 10). */
  maxDeliveryCount: number;
  /** A message id seen on the queue within this window is dropped (default 10 min). */
  duplicateDetectionWindowMs: number;
}

export interface SqliteBusOptions extends Partial<QueueSettings> {
  clock?: Clock;
  /** Per-queue overrides, keyed by queue name. */
  queues?: Record<string, Partial<QueueSettings>>;
}

interface MessageRow {
  seq: number;
  message_id: string;
  body: string;
  properties: string;
  enqueued_at: number;
  delivery_count: number;
  lock_token: string | null;
  dead_letter_reason: string | null;
  dead_letter_description: string | null;
}

export interface QueueCounts {
  active: number;
  scheduled: number;
  locked: number;
  deadLettered: number;
}

/**
 * Service Bus queues with peek-lock semantics in SQLite. All state is in the database, so a
 * restarted process resumes where the last one stopped; a dead process's locks simply expire.
 */
export class SqliteBus implements Bus, QueueConsumer {
  readonly #db: SqliteDatabase;
  readonly #clock: Clock;
  readonly #defaults: QueueSettings;
  readonly #overrides: Record<string, Partial<QueueSettings>>;
  /** In-process wake-ups for waitForMessages, per queue. */
  readonly #waiters = new Map<string, Set<() => void>>();
  #lastPurgeMs = 0;

  readonly #sql: Record<
    | 'remember'
    | 'insert'
    | 'available'
    | 'lock'
    | 'deadLetter'
    | 'complete'
    | 'release'
    | 'locked'
    | 'renew'
    | 'nextDue'
    | 'counts'
    | 'deadLetterCount'
    | 'purgeIds',
    Statement
  >;
  readonly #publish: (queue: string, messages: OutgoingMessage[], nowMs: number) => number;
  readonly #receive: (queue: string, max: number, nowMs: number) => ReceivedMessage[];

  constructor(db: SqliteDatabase, options: SqliteBusOptions = {}) {
    this.#db = db;
    this.#clock = options.clock ?? systemClock;
    this.#defaults = {
      lockDurationMs: options.lockDurationMs ?? 30_000,
      maxDeliveryCount: options.maxDeliveryCount ?? 10,
      duplicateDetectionWindowMs: options.duplicateDetectionWindowMs ?? 600_000,
    };
    this.#overrides = options.queues ?? {};
    const columns =
      'seq, message_id, body, properties, enqueued_at, delivery_count, lock_token, dead_letter_reason, dead_letter_description';
    this.#sql = {
      // Inserts or refreshes an id only when it is new or outside the window: 0 changes = duplicate.
      remember: db.prepare(
        `INSERT INTO message_ids (queue, message_id, seen_at) VALUES (@queue, @messageId, @now)
         ON CONFLICT (queue, message_id) DO UPDATE SET seen_at = excluded.seen_at WHERE message_ids.seen_at <= @windowStart`,
      ),
      insert: db.prepare(
        `INSERT INTO messages (queue, message_id, body, properties, enqueued_at, available_at)
         VALUES (@queue, @messageId, @body, @properties, @now, @availableAt)`,
      ),
      available: db.prepare(
        // Walks the queue in sequence order: the head is almost always available, whereas the
        // (queue, available_at) index would sort the whole backlog on every receive.
        `SELECT ${columns} FROM messages INDEXED BY messages_fifo
         WHERE queue = @queue AND available_at <= @now ORDER BY seq LIMIT @limit`,
      ),
      lock: db.prepare(
        `UPDATE messages SET lock_token = @lockToken, available_at = @lockedUntil, delivery_count = delivery_count + 1
         WHERE seq = @seq`,
      ),
      deadLetter: db.prepare(
        `UPDATE messages SET queue = @deadLetterQueue, properties = @properties, available_at = @now, lock_token = NULL,
           dead_letter_reason = @reason, dead_letter_description = @description
         WHERE seq = @seq`,
      ),
      complete: db.prepare(`DELETE FROM messages WHERE queue = @queue AND lock_token = @lockToken AND available_at > @now`),
      release: db.prepare(`UPDATE messages SET lock_token = NULL, available_at = @now WHERE seq = @seq`),
      locked: db.prepare(
        `SELECT ${columns} FROM messages WHERE queue = @queue AND lock_token = @lockToken AND available_at > @now`,
      ),
      renew: db.prepare(
        `UPDATE messages SET available_at = @lockedUntil WHERE queue = @queue AND lock_token = @lockToken AND available_at > @now`,
      ),
      nextDue: db.prepare(`SELECT min(available_at) AS due FROM messages WHERE queue = @queue`),
      counts: db.prepare(
        `SELECT
           coalesce(sum(available_at <= @now), 0) AS active,
           coalesce(sum(available_at > @now AND lock_token IS NULL), 0) AS scheduled,
           coalesce(sum(available_at > @now AND lock_token IS NOT NULL), 0) AS locked
         FROM messages WHERE queue = @queue`,
      ),
      deadLetterCount: db.prepare(`SELECT count(*) AS n FROM messages WHERE queue = @queue`),
      purgeIds: db.prepare(`DELETE FROM message_ids WHERE seen_at <= @before`),
    };

    this.#publish = db.transaction((queue: string, messages: OutgoingMessage[], nowMs: number) => {
      const windowStart = nowMs - this.#settings(queue).duplicateDetectionWindowMs;
      let accepted = 0;
      for (const message of messages) {
        if (this.#sql.remember.run({ queue, messageId: message.messageId, now: nowMs, windowStart }).changes === 0) continue;
        this.#sql.insert.run({
          queue,
          messageId: message.messageId,
          body: JSON.stringify(message.body) ?? 'null',
          properties: JSON.stringify(message.applicationProperties ?? {}),
          now: nowMs,
          availableAt: Math.max(nowMs, message.scheduledEnqueueTime?.getTime() ?? nowMs),
        });
        accepted += 1;
      }
      return accepted;
    });

    this.#receive = db.transaction((queue: string, max: number, nowMs: number) => {
      const { lockDurationMs, maxDeliveryCount } = this.#settings(queue);
      const received: ReceivedMessage[] = [];
      for (;;) {
        const rows = this.#sql.available.all({ queue, now: nowMs, limit: max - received.length }) as MessageRow[];
        if (rows.length === 0) return received;
        for (const row of rows) {
          // A lock that expired counts as an abandon: past the limit the message is dead-lettered instead.
          if (row.lock_token !== null && row.delivery_count >= maxDeliveryCount && !isDeadLetterQueue(queue)) {
            this.#moveToDeadLetter(queue, row, 'MaxDeliveryCountExceeded', `delivered ${row.delivery_count} times`, nowMs);
            continue;
          }
          const lockToken = randomUUID();
          const lockedUntil = nowMs + lockDurationMs;
          this.#sql.lock.run({ seq: row.seq, lockToken, lockedUntil });
          received.push(toReceived({ ...row, delivery_count: row.delivery_count + 1 }, lockToken, lockedUntil));
        }
        if (received.length >= max) return received;
      }
    });
  }

  async publish(queue: QueueName, messages: OutgoingMessage[]): Promise<void> {
    const nowMs = this.#nowMs();
    if (this.#publish(queue, messages, nowMs) > 0) this.#wake(queue);
    if (nowMs - this.#lastPurgeMs > 60_000) this.purgeDuplicateWindow();
  }

  async receive(queue: string, max: number): Promise<ReceivedMessage[]> {
    if (max < 1) return [];
    return this.#receive(queue, Math.trunc(max), this.#nowMs());
  }

  async complete(queue: string, lockToken: string): Promise<void> {
    if (this.#sql.complete.run({ queue, lockToken, now: this.#nowMs() }).changes === 0) {
      throw new LockLostError(queue, lockToken);
    }
  }

  async abandon(queue: string, lockToken: string): Promise<void> {
    const nowMs = this.#nowMs();
    this.#db.transaction(() => {
      const row = this.#lockedRow(queue, lockToken, nowMs);
      if (row.delivery_count >= this.#settings(queue).maxDeliveryCount && !isDeadLetterQueue(queue)) {
        this.#moveToDeadLetter(queue, row, 'MaxDeliveryCountExceeded', `delivered ${row.delivery_count} times`, nowMs);
      } else {
        this.#sql.release.run({ seq: row.seq, now: nowMs });
        this.#wake(queue);
      }
    })();
  }

  async deadLetter(queue: string, lockToken: string, reason: string, description: string): Promise<void> {
    if (isDeadLetterQueue(queue)) throw new Error(`${queue} is a dead-letter queue; its messages cannot be dead-lettered`);
    const nowMs = this.#nowMs();
    this.#db.transaction(() => {
      this.#moveToDeadLetter(queue, this.#lockedRow(queue, lockToken, nowMs), reason, description, nowMs);
    })();
  }

  async renewLock(queue: string, lockToken: string): Promise<Date> {
    const nowMs = this.#nowMs();
    const lockedUntil = nowMs + this.#settings(queue).lockDurationMs;
    if (this.#sql.renew.run({ queue, lockToken, now: nowMs, lockedUntil }).changes === 0) {
      throw new LockLostError(queue, lockToken);
    }
    return new Date(lockedUntil);
  }

  /**
   * Resolves at once if a message is available; otherwise when this process publishes or releases
   * one, at the next scheduled time or lock expiry, or at the timeout. Publishes by other processes
   * are seen at the latest at the timeout.
   */
  waitForMessages(queue: string, timeoutMs: number): Promise<void> {
    const nowMs = this.#nowMs();
    const { due } = this.#sql.nextDue.get({ queue }) as { due: number | null };
    if (due !== null && due <= nowMs) return Promise.resolve();
    const delay = due === null ? timeoutMs : Math.min(timeoutMs, due - nowMs);
    return new Promise((resolve) => {
      const waiters = this.#waiters.get(queue) ?? new Set<() => void>();
      this.#waiters.set(queue, waiters);
      const wake = (): void => {
        clearTimeout(timer);
        waiters.delete(wake);
        if (waiters.size === 0) this.#waiters.delete(queue);
        resolve();
      };
      const timer = setTimeout(wake, Math.max(0, delay));
      waiters.add(wake);
    });
  }

  /** Message counts of one queue (and its dead-letter queue), for diagnostics and tests. */
  counts(queue: string): QueueCounts {
    const nowMs = this.#nowMs();
    const counts = this.#sql.counts.get({ queue, now: nowMs }) as Omit<QueueCounts, 'deadLettered'>;
    const { n } = this.#sql.deadLetterCount.get({ queue: `${queue}${DEAD_LETTER_SUFFIX}` }) as { n: number };
    return { ...counts, deadLettered: n };
  }

  /** Forgets message ids older than every queue's duplicate-detection window. Idempotent. */
  purgeDuplicateWindow(): void {
    const nowMs = this.#nowMs();
    const longest = Math.max(
      this.#defaults.duplicateDetectionWindowMs,
      ...Object.values(this.#overrides).map((o) => o.duplicateDetectionWindowMs ?? 0),
    );
    this.#sql.purgeIds.run({ before: nowMs - longest });
    this.#lastPurgeMs = nowMs;
  }

  #moveToDeadLetter(queue: string, row: MessageRow, reason: string, description: string, nowMs: number): void {
    const properties = {
      ...(JSON.parse(row.properties) as ApplicationProperties),
      DeadLetterReason: reason,
      DeadLetterErrorDescription: description,
    };
    const deadLetterQueue = `${queue}${DEAD_LETTER_SUFFIX}`;
    this.#sql.deadLetter.run({
      seq: row.seq,
      deadLetterQueue,
      properties: JSON.stringify(properties),
      now: nowMs,
      reason,
      description,
    });
    this.#wake(deadLetterQueue);
  }

  #lockedRow(queue: string, lockToken: string, nowMs: number): MessageRow {
    const row = this.#sql.locked.get({ queue, lockToken, now: nowMs }) as MessageRow | undefined;
    if (!row) throw new LockLostError(queue, lockToken);
    return row;
  }

  #wake(queue: string): void {
    for (const wake of this.#waiters.get(queue) ?? []) wake();
  }

  #settings(queue: string): QueueSettings {
    const override = this.#overrides[queue];
    return override ? { ...this.#defaults, ...override } : this.#defaults;
  }

  #nowMs(): number {
    return this.#clock.now().getTime();
  }
}

function isDeadLetterQueue(queue: string): boolean {
  return queue.endsWith(DEAD_LETTER_SUFFIX);
}

function toReceived(row: MessageRow, lockToken: string, lockedUntil: number): ReceivedMessage {
  const message: ReceivedMessage = {
    messageId: row.message_id,
    body: JSON.parse(row.body),
    applicationProperties: JSON.parse(row.properties) as ApplicationProperties,
    deliveryCount: row.delivery_count,
    enqueuedTimeUtc: new Date(row.enqueued_at),
    sequenceNumber: row.seq,
    lockToken,
    lockedUntilUtc: new Date(lockedUntil),
  };
  if (row.dead_letter_reason !== null) message.deadLetterReason = row.dead_letter_reason;
  if (row.dead_letter_description !== null) message.deadLetterErrorDescription = row.dead_letter_description;
  return message;
}
