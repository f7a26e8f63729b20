import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SqliteBus } from '../../shared/adapters/embedded/sqliteBus.js';
import { openDatabase } from '../../shared/adapters/embedded/sqliteDatabase.js';
import { describeBusContract } from './busContract.js';

describeBusContract('SqliteBus (:memory:)', async (settings) => {
  const db = openDatabase(':memory:');
  const bus = new SqliteBus(db, settings);
  return { bus, consumer: bus, close: async () => void db.close() };
});

describe('SqliteBus on a database file', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('a restart loses and duplicates nothing: only uncompleted messages come back, the locked one after its lock expires', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'shardsync-bus-'));
    dirs.push(dir);
    const file = join(dir, 'nested', 'shardsync.db');

    const before = openDatabase(file);
    const first = new SqliteBus(before, { lockDurationMs: 3000 });
    await first.publish('sync-batch', ['a', 'b', 'c'].map((id) => ({ messageId: id, body: { id } })));
    const [locked] = await first.receive('sync-batch', 1);
    const [done] = await first.receive('sync-batch', 1);
    expect([locked?.messageId, done?.messageId]).toEqual(['a', 'b']);
    await first.complete('sync-batch', done!.lockToken);
    before.close(); // the process "dies" holding the lock on a

    const after = openDatabase(file);
    const second = new SqliteBus(after, { lockDurationMs: 3000 });
    expect(second.counts('sync-batch')).toEqual({ active: 1, scheduled: 0, locked: 1, deadLettered: 0 });
    const atOnce = await second.receive('sync-batch', 10);
    expect(atOnce.map((m) => [m.messageId, m.deliveryCount])).toEqual([['c', 1]]);
    // Completed before waiting, so a slow machine cannot let its lock lapse too.
    await second.complete('sync-batch', atOnce[0]!.lockToken);
    await second.waitForMessages('sync-batch', 10_000); // wakes when a's lock expires
    const afterExpiry = await second.receive('sync-batch', 10);
    expect(afterExpiry.map((m) => [m.messageId, m.deliveryCount])).toEqual([['a', 2]]);
    await second.complete('sync-batch', afterExpiry[0]!.lockToken);
    expect(second.counts('sync-batch')).toEqual({ active: 0, scheduled: 0, locked: 0, deadLettered: 0 });

    // Duplicate detection survives the restart too.
    await second.publish('sync-batch', [{ messageId: 'b', body: { id: 'b' } }]);
    expect(await second.receive('sync-batch', 10)).toEqual([]);
    after.close();
  });
});

describe('SqliteBus options and diagnostics', () => {
  it('counts tell active, scheduled, locked and dead-lettered messages apart', async () => {
    const db = openDatabase(':memory:');
    const bus = new SqliteBus(db);
    await bus.publish('sync-page', [
      { messageId: '1', body: 1 },
      { messageId: '2', body: 2 },
      { messageId: '3', body: 3 },
      { messageId: '4', body: 4, scheduledEnqueueTime: new Date(Date.now() + 60_000) },
    ]);
    const [first, second] = await bus.receive('sync-page', 2);
    await bus.deadLetter('sync-page', second!.lockToken, 'Bad', 'bad');
    expect(bus.counts('sync-page')).toEqual({ active: 1, scheduled: 1, locked: 1, deadLettered: 1 });
    expect(first?.body).toBe(1);
    db.close();
  });

  it('per-queue settings override the defaults', async () => {
    const db = openDatabase(':memory:');
    const bus = new SqliteBus(db, { maxDeliveryCount: 10, queues: { 'sync-start': { maxDeliveryCount: 1 } } });
    await bus.publish('sync-start', [{ messageId: 's', body: 's' }]);
    await bus.publish('sync-page', [{ messageId: 'p', body: 'p' }]);
    await bus.abandon('sync-start', (await bus.receive('sync-start', 1))[0]!.lockToken);
    await bus.abandon('sync-page', (await bus.receive('sync-page', 1))[0]!.lockToken);
    expect(bus.counts('sync-start')).toMatchObject({ active: 0, deadLettered: 1 });
    expect(bus.counts('sync-page')).toMatchObject({ active: 1, deadLettered: 0 });
    db.close();
  });

  it('a message id is accepted again once the duplicate-detection window has passed', async () => {
    const db = openDatabase(':memory:');
    let now = Date.parse('2030-01-01T00:00:00Z');
    const bus = new SqliteBus(db, { duplicateDetectionWindowMs: 60_000, clock: { now: () => new Date(now) } });
    await bus.publish('sync-page', [{ messageId: 'm', body: 1 }]);
    now += 30_000;
    await bus.publish('sync-page', [{ messageId: 'm', body: 2 }]);
    now += 31_000;
    await bus.publish('sync-page', [{ messageId: 'm', body: 3 }]);
    expect((await bus.receive('sync-page', 10)).map((m) => m.body)).toEqual([1, 3]);
    db.close();
  });

  it('messages in the dead-letter queue are never dead-lettered further', async () => {
    const db = openDatabase(':memory:');
    const bus = new SqliteBus(db, { maxDeliveryCount: 1 });
    await bus.publish('sync-page', [{ messageId: 'm', body: 1 }]);
    await bus.abandon('sync-page', (await bus.receive('sync-page', 1))[0]!.lockToken);
    const dlq = 'sync-page/$DeadLetterQueue';
    for (let i = 0; i < 3; i++) await bus.abandon(dlq, (await bus.receive(dlq, 1))[0]!.lockToken);
    const [again] = await bus.receive(dlq, 1);
    expect(again).toMatchObject({ messageId: 'm', deadLetterReason: 'MaxDeliveryCountExceeded' });
    db.close();
  });
});
