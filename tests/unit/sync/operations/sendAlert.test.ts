import { embeddedDeps } from '../embeddedDeps.js';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type SqliteDatabase } from '../../../../shared/adapters/embedded/sqliteDatabase.js';
import type { Store } from '../../../../shared/ports/store.js';
import { jsonAlertPayload, slackAlertPayload, type AlertEvent } from '../../../../shared/core/operations/alertPayload.js';
import { verifyAlertSignature } from '../../../../shared/core/operations/alertSignature.js';
import { putTenant } from '../../../../shared/sync/tenants/tenants.js';
import { sendAlert } from '../../../../shared/sync/operations/sendAlert.js';
import type { SyncDeps } from '../../../../shared/sync/syncDeps.js';

const signingSecret = 'whsec_0123456789abcdef';
// Like a Slack webhook URL: the path and query are themselves secrets.
const secretPath = '/hooks/T0001/B0002/s3cr3tPath?token=q5ecret';
const now = new Date('2025-01-02T03:04:05.000Z');
const event: AlertEvent = {
  type: 'execution.failed',
  tenantId: 'acme',
  occurredAt: now.toISOString(),
  executionId: 'exe_1',
  taskId: 'task',
  counts: { fetched: 5, failed: 5 },
  reason: 'every batch failed',
};

interface Received {
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** Answers each request with the next planned response (the last one repeats); `hang` never answers. */
class Receiver {
  readonly requests: Received[] = [];
  plan: Array<{ status: number; headers?: Record<string, string> } | 'hang'> = [{ status: 204 }];
  private readonly server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      this.requests.push({ url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      const next = this.plan.length > 1 ? this.plan.shift()! : this.plan[0]!;
      if (next === 'hang') return;
      res.writeHead(next.status, next.headers).end('{"ok":false}');
    });
  });

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

let db: SqliteDatabase;
let deps: SyncDeps;
let receiver: Receiver;
let origin: string;
let logs: Array<{ level: string; message: string; fields?: Record<string, unknown> }>;
let sleeps: number[];
const fast = { sleep: async (ms: number) => void sleeps.push(ms) };

beforeEach(async () => {
  db = openDatabase(':memory:');
  logs = [];
  sleeps = [];
  const log = (level: string) => (message: string, fields?: Record<string, unknown>) => void logs.push({ level, message, fields });
  deps = embeddedDeps(db, { clock: { now: () => now }, random: () => 0.5, log: { info: log('info'), warn: log('warn'), error: log('error') } });
  receiver = new Receiver();
  origin = await receiver.start();
});

afterEach(async () => {
  // Whatever happened, the logs name the receiver's origin at most: never the path, query or secret.
  const written = JSON.stringify(logs);
  for (const leak of ['s3cr3tPath', 'q5ecret', '/hooks', signingSecret]) expect(written).not.toContain(leak);
  await receiver.close();
  db.close();
});

async function configure(alerts: { format: 'json' | 'slack' } | undefined, secret?: string): Promise<void> {
  await putTenant(deps, 'acme', {
    settings: {
      ...(alerts ? { alerts: { url: `${origin}${secretPath}`, format: alerts.format } } : {}),
      ...(secret ? { alertSigningSecret: secret } : {}),
    },
  });
}

describe('sendAlert', () => {
  it('POSTs the signed json payload to the alert URL', async () => {
    await configure({ format: 'json' }, signingSecret);
    expect(await sendAlert(deps, event, fast)).toEqual({ delivered: true, attempts: 1, status: 204 });

    expect(receiver.requests).toHaveLength(1);
    const [request] = receiver.requests;
    expect(request!.url).toBe(secretPath);
    expect(request!.headers['content-type']).toBe('application/json');
    expect(request!.headers['x-shardsync-event']).toBe('execution.failed');
    expect(request!.headers['x-shardsync-delivery']).toBe(jsonAlertPayload(event).id);
    expect(JSON.parse(request!.body)).toEqual(jsonAlertPayload(event));
    expect(verifyAlertSignature(signingSecret, request!.headers, request!.body, now)).toBe(true);
    expect(verifyAlertSignature(signingSecret, request!.headers, request!.body.replace('exe_1', 'exe_2'), now)).toBe(false);
    expect(logs).toEqual([{ level: 'info', message: 'alert delivered', fields: expect.objectContaining({ destination: origin, attempts: 1, status: 204 }) }]);
  });

  it('retries 503 with jittered back-off and 429 after Retry-After, then delivers the same alert', async () => {
    await configure({ format: 'json' }, signingSecret);
    receiver.plan = [{ status: 503 }, { status: 429, headers: { 'retry-after': '3' } }, { status: 200 }];
    expect(await sendAlert(deps, event, fast)).toEqual({ delivered: true, attempts: 3, status: 200 });
    // Full jitter at random 0.5: half of the first 250 ms window; then exactly Retry-After.
    expect(sleeps).toEqual([125, 3000]);
    expect(new Set(receiver.requests.map((request) => request.headers['x-shardsync-delivery'])).size).toBe(1);
    for (const request of receiver.requests) expect(verifyAlertSignature(signingSecret, request.headers, request.body, now)).toBe(true);
  });

  it('gives up at once on a 400', async () => {
    await configure({ format: 'json' }, signingSecret);
    receiver.plan = [{ status: 400 }];
    expect(await sendAlert(deps, event, fast)).toEqual({ delivered: false, attempts: 1, status: 400 });
    expect(receiver.requests).toHaveLength(1);
    expect(sleeps).toEqual([]);
    expect(logs).toEqual([{ level: 'warn', message: 'alert not delivered', fields: expect.objectContaining({ destination: origin, error: 'http_400' }) }]);
  });

  it('does not follow a redirect away from the configured URL', async () => {
    await configure({ format: 'json' }, signingSecret);
    receiver.plan = [{ status: 302, headers: { location: `${origin}/elsewhere` } }, { status: 200 }];
    expect(await sendAlert(deps, event, fast)).toEqual({ delivered: false, attempts: 1, status: 302 });
    expect(receiver.requests.map((request) => request.url)).toEqual([secretPath]);
  });

  it('stops after maxAttempts when the receiver stays down', async () => {
    await configure({ format: 'json' }, signingSecret);
    receiver.plan = [{ status: 502 }];
    expect(await sendAlert(deps, event, { ...fast, maxAttempts: 3 })).toEqual({ delivered: false, attempts: 3, status: 502 });
    expect(receiver.requests).toHaveLength(3);
  });

  it('retries a timed-out attempt', async () => {
    await configure({ format: 'json' }, signingSecret);
    receiver.plan = ['hang', 'hang', { status: 202 }];
    expect(await sendAlert(deps, event, { ...fast, timeoutMs: 100, maxAttempts: 1 })).toEqual({ delivered: false, attempts: 1 });
    expect(logs.at(-1)).toMatchObject({ level: 'warn', fields: { error: 'timeout' } });
    expect(await sendAlert(deps, event, { ...fast, timeoutMs: 100 })).toEqual({ delivered: true, attempts: 2, status: 202 });
  });

  it('sends nothing when the tenant has no alerts configured, or does not exist', async () => {
    await configure(undefined, signingSecret);
    expect(await sendAlert(deps, event, fast)).toEqual({ delivered: false, attempts: 0 });
    expect(await sendAlert(deps, { ...event, tenantId: 'nobody' }, fast)).toEqual({ delivered: false, attempts: 0 });
    expect(receiver.requests).toEqual([]);
    expect(logs).toEqual([]);
  });

  it('sends a json alert unsigned, with a warning, when the tenant has no signing secret', async () => {
    await configure({ format: 'json' });
    expect(await sendAlert(deps, event, fast)).toMatchObject({ delivered: true });
    expect(receiver.requests[0]!.headers['x-shardsync-signature']).toBeUndefined();
    expect(receiver.requests[0]!.headers['x-shardsync-delivery']).toBe(jsonAlertPayload(event).id);
    expect(logs.map((entry) => entry.level)).toEqual(['warn', 'info']);
  });

  it('sends the Slack payload, signed only when a secret exists', async () => {
    await configure({ format: 'slack' });
    expect(await sendAlert(deps, event, fast)).toMatchObject({ delivered: true });
    expect(JSON.parse(receiver.requests[0]!.body)).toEqual(slackAlertPayload(event));
    expect(receiver.requests[0]!.headers['x-shardsync-signature']).toBeUndefined();
    expect(logs.map((entry) => entry.level)).toEqual(['info']);

    await configure({ format: 'slack' }, signingSecret);
    await sendAlert(deps, event, fast);
    expect(verifyAlertSignature(signingSecret, receiver.requests[1]!.headers, receiver.requests[1]!.body, now)).toBe(true);
  });

  it('never throws: refused connections and a failing store end as not delivered', async () => {
    await configure({ format: 'json' }, signingSecret);
    await receiver.close();
    expect(await sendAlert(deps, event, { ...fast, maxAttempts: 2 })).toEqual({ delivered: false, attempts: 2 });
    expect(logs.at(-1)).toMatchObject({ level: 'warn', fields: { error: 'ECONNREFUSED' } });

    const failingStore = { ...deps, store: { read: () => Promise.reject(new Error('store down')) } as unknown as Store };
    expect(await sendAlert(failingStore, event, fast)).toEqual({ delivered: false, attempts: 0 });
    expect(logs.at(-1)).toMatchObject({ level: 'error', fields: { error: 'Error' } });
  });
});
