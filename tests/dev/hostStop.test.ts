import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { SqliteBus, type QueueCounts } from '../../shared/adapters/embedded/sqliteBus.js';
import { openDatabase } from '../../shared/adapters/embedded/sqliteDatabase.js';
import { startHost, type RunningHost } from '../../dev/host/host.js';

// One app per file (the @azure/functions-core hook is process-wide); the last test stops the host.
const projectDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'app2');
const fixture = () => (globalThis as unknown as { __stopFixture: { started: string[]; finished: string[] } }).__stopFixture;

async function eventually(probe: () => boolean, timeoutMs = 5_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const db = openDatabase(':memory:');
// A short lock, so that a handler outliving it shows whether the host renews it.
const bus = new SqliteBus(db, { lockDurationMs: 300, maxDeliveryCount: 5 });
const logs: string[] = [];
let countsAtStop: QueueCounts | undefined;
let host: RunningHost;

beforeAll(async () => {
  host = await startHost({
    projectDir,
    port: 0,
    consumer: bus,
    settings: {},
    log: (line) => logs.push(line),
    onStop: async () => {
      countsAtStop = bus.counts('sync-batch');
      db.close();
    },
  });
});

afterAll(() => host?.stop());

it('renews the lock of a message whose handler outlives it', async () => {
  expect(host.config.maxConcurrentCalls).toBe(16);
  await bus.publish('sync-batch', [{ messageId: 'renewed', body: { id: 'renewed', sleepMs: 1_000 } }]);
  await eventually(() => fixture()?.finished.includes('renewed') === true);
  await eventually(() => bus.counts('sync-batch').locked === 0);
  expect(fixture().started).toEqual(['renewed']);
  expect(bus.counts('sync-batch')).toEqual({ active: 0, scheduled: 0, locked: 0, deadLettered: 0 });
  expect(logs.filter((line) => line.includes('could not') || line.includes('renewal failed'))).toEqual([]);
});

it('stops within 10 s: finishes short handlers, abandons long ones, then calls onStop', async () => {
  await bus.publish('sync-batch', [
    { messageId: 'short', body: { id: 'short', sleepMs: 500 } },
    { messageId: 'long', body: { id: 'long', sleepMs: 20_000 } },
  ]);
  await eventually(() => fixture().started.length === 3);
  const slowResponse = fetch(`${host.url}/api/slow`).then((res) => res.text());
  await new Promise((resolve) => setTimeout(resolve, 50));

  const startedAt = Date.now();
  await host.stop();
  const took = Date.now() - startedAt;

  expect(took).toBeLessThan(10_000);
  expect(await slowResponse).toBe('done');
  expect(fixture().finished).toEqual(['renewed', 'short']);
  // The long message was abandoned, so it is available again for the next run; the short one is gone.
  expect(countsAtStop).toMatchObject({ active: 1, locked: 0 });
  expect(logs.some((line) => line.includes('abandoning message long'))).toBe(true);
  await expect(fetch(`${host.url}/api/slow`)).rejects.toThrow();
  // stop() is idempotent.
  await host.stop();
}, 20_000);
