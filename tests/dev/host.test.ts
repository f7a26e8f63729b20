import { createHash } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqliteBus } from '../../shared/adapters/embedded/sqliteBus.js';
import { openDatabase, type SqliteDatabase } from '../../shared/adapters/embedded/sqliteDatabase.js';
import type { OutgoingMessage, QueueName } from '../../shared/ports/bus.js';
import { startHost, type RunningHost } from '../../dev/host/host.js';

// The @azure/functions-core hook is process-wide and ESM imports are cached: this file loads app1 once.
const projectDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'app1');

interface FixtureState {
  starts: Array<{ message: { id: string; fail?: boolean }; metadata: Record<string, unknown>; at: number }>;
  deadLetters: Array<{ message: { id: string }; metadata: Record<string, unknown> }>;
  pages: number[];
  inFlight: number;
  maxInFlight: number;
  timer: Array<{ isPastDue: boolean; schedule: { adjustForDST: boolean }; scheduleStatus: Record<string, string> }>;
}

const fixture = () => (globalThis as unknown as { __hostFixture: FixtureState }).__hostFixture;

async function eventually<T>(probe: () => T | undefined, timeoutMs = 10_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

let db: SqliteDatabase;
let bus: SqliteBus;
let host: RunningHost;
const logs: string[] = [];
const publish = (queue: string, messages: OutgoingMessage[]) => bus.publish(queue as QueueName, messages);

beforeAll(async () => {
  db = openDatabase(':memory:');
  bus = new SqliteBus(db, { lockDurationMs: 5_000, maxDeliveryCount: 3 });
  host = await startHost({
    projectDir,
    port: 0,
    consumer: bus,
    settings: { START_QUEUE: 'sync-start', NIGHTLY_SCHEDULE: '0 0 2 * * *' },
    log: (line) => logs.push(line),
    onStop: async () => {
      db.close();
    },
  });
});

afterAll(async () => {
  await host?.stop();
});

describe('registrations', () => {
  it('captures every function with its trigger details', () => {
    const byName = Object.fromEntries(host.registrations.map((r) => [r.name, r]));
    expect(byName['getConnection']).toMatchObject({
      trigger: 'httpTrigger',
      route: 'tenants/{tenantId}/connections/{connectionId}',
      methods: ['GET'],
      authLevel: 'function',
    });
    expect(byName['createThing']).toMatchObject({ trigger: 'httpTrigger', methods: ['POST'], authLevel: 'anonymous' });
    expect(byName['everySecond']).toMatchObject({ trigger: 'timerTrigger', schedule: '*/1 * * * * *' });
    expect(byName['nightly']).toMatchObject({ trigger: 'timerTrigger', schedule: '0 0 2 * * *' });
    expect(byName['syncStart']).toMatchObject({
      trigger: 'serviceBusTrigger',
      queueName: 'sync-start',
      connection: 'ServiceBusConnection',
    });
    expect(byName['syncStart']?.bindings[byName['syncStart'].triggerBindingName]).toMatchObject({
      type: 'serviceBusTrigger',
      direction: 'in',
    });
    expect(byName['deadLetters']?.queueName).toBe('sync-start/$DeadLetterQueue');
    expect(host.registrations).toHaveLength(11);
    expect(host.config).toMatchObject({ routePrefix: 'api', maxConcurrentCalls: 3 });
    expect(host.url).toBe(`http://127.0.0.1:${host.port}`);
  });
});

describe('http', () => {
  it('routes GET with params, query and headers', async () => {
    const res = await fetch(`${host.url}/api/tenants/t1/connections/c%202?expand=streams&x=1`, {
      headers: { 'x-test': 'hello' },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(await res.json()).toEqual({
      function: 'getConnection',
      params: { tenantId: 't1', connectionId: 'c 2' },
      query: { expand: 'streams', x: '1' },
      header: 'hello',
    });
  });

  it('prefers a literal segment over a parameter, and matches literals case-insensitively', async () => {
    const res = await fetch(`${host.url}/API/Tenants/t1/connections/SPECIAL`);
    expect(await res.json()).toEqual({ function: 'getSpecialConnection', params: { tenantId: 't1' } });
  });

  it('passes a JSON body and maps status, headers and jsonBody', async () => {
    const res = await fetch(`${host.url}/api/things`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'widget', n: 2 }),
    });
    expect(res.status).toBe(201);
    expect(res.headers.get('x-created')).toBe('yes');
    expect(await res.json()).toEqual({ received: { name: 'widget', n: 2 } });
  });

  it('passes the raw body through byte for byte, and sets cookies', async () => {
    const raw = Buffer.concat([Buffer.from('{"a": 1,  "b":"é"}\r\n'), Buffer.from([0, 255, 128])]);
    const res = await fetch(`${host.url}/api/webhooks/t9`, { method: 'POST', body: raw });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-sha256')).toBe(createHash('sha256').update(raw).digest('hex'));
    expect(Buffer.from(await res.arrayBuffer()).equals(raw)).toBe(true);
    expect(res.headers.get('set-cookie')).toBe('seen=1; Path=/; HttpOnly');
  });

  it('answers 404 for unknown routes and outside the prefix, 405 for a wrong method', async () => {
    expect((await fetch(`${host.url}/api/nope`)).status).toBe(404);
    expect((await fetch(`${host.url}/things`, { method: 'POST' })).status).toBe(404);
    expect((await fetch(`${host.url}/api/things`)).status).toBe(405);
  });

  it('answers 204 when the handler returns nothing', async () => {
    const res = await fetch(`${host.url}/api/nothing`, { method: 'DELETE' });
    expect(res.status).toBe(204);
  });

  it('turns a throwing handler into a generic 500 and logs the error', async () => {
    const res = await fetch(`${host.url}/api/boom`);
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(text).not.toContain('secret-token-123');
    expect(JSON.parse(text)).toMatchObject({ error: { code: 'internal' } });
    expect(logs.some((line) => line.includes('[boom]') && line.includes('secret-token-123'))).toBe(true);
  });
});

describe('timers', () => {
  it('fires a */1 schedule with the host timer payload', async () => {
    const timer = await eventually(() => fixture().timer[0], 5_000);
    expect(timer.isPastDue).toBe(false);
    expect(timer.schedule).toEqual({ adjustForDST: true });
    expect(Object.keys(timer.scheduleStatus).sort()).toEqual(['last', 'lastUpdated', 'next']);
    expect(Date.parse(timer.scheduleStatus['next']!)).toBeGreaterThan(Date.parse(timer.scheduleStatus['lastUpdated']!) - 1000);
  });
});

describe('service bus', () => {
  it('delivers body and camel-cased trigger metadata, promptly', async () => {
    const publishedAt = Date.now();
    await publish('sync-start', [{ messageId: 'm-ok', body: { id: 'ok', nested: { Keep: 'case' } }, applicationProperties: { tenantId: 't1' } }]);
    const start = await eventually(() => fixture().starts.find((s) => s.message.id === 'ok'));
    expect(start.at - publishedAt).toBeLessThan(200);
    expect(start.message).toEqual({ id: 'ok', nested: { Keep: 'case' } });
    expect(start.metadata).toMatchObject({
      messageId: 'm-ok',
      deliveryCount: 1,
      applicationProperties: { tenantId: 't1' },
      contentType: 'application/json',
    });
    expect(typeof start.metadata['sequenceNumber']).toBe('number');
    expect(typeof start.metadata['lockToken']).toBe('string');
    expect(Number.isNaN(Date.parse(start.metadata['enqueuedTimeUtc'] as string))).toBe(false);
    await eventually(() => bus.counts('sync-start').active + bus.counts('sync-start').locked === 0);
  });

  it('redelivers a failing message with deliveryCount+1, then dead-letters it', async () => {
    await publish('sync-start', [{ messageId: 'm-bad', body: { id: 'bad', fail: true } }]);
    const dead = await eventually(() => fixture().deadLetters.find((d) => d.message.id === 'bad'));
    const attempts = fixture().starts.filter((s) => s.message.id === 'bad').map((s) => s.metadata['deliveryCount']);
    expect(attempts).toEqual([1, 2, 3]);
    expect(dead.metadata).toMatchObject({ messageId: 'm-bad', deadLetterReason: 'MaxDeliveryCountExceeded' });
    expect(logs.some((line) => line.includes('[syncStart]') && line.includes('refusing bad'))).toBe(true);
    await eventually(() => bus.counts('sync-start').deadLettered === 0);
  });

  it('keeps at most maxConcurrentCalls handlers of one function in flight', async () => {
    const messages = Array.from({ length: 12 }, (_, page) => ({ messageId: `page-${page}`, body: { page } }));
    await publish('sync-page', messages);
    await eventually(() => fixture().pages.length === 12);
    expect(fixture().maxInFlight).toBe(3);
    expect([...fixture().pages].sort((a, b) => a - b)).toEqual(messages.map((m) => m.body.page));
    expect(bus.counts('sync-page')).toMatchObject({ active: 0, locked: 0 });
  });
});
