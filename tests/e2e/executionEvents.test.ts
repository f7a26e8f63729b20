import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventStreamParser, type ServerSentEvent } from '../../cli/eventStreamParser.js';
import type { AdminClient } from '../../dev/adminClient.js';
import { startFakeWooCommerce, type FakeWooCommerce } from '../../dev/fakes/fakeWooCommerce.js';
import { DEMO_CREDENTIALS } from '../../dev/demoSetup.js';
import { apiClient } from './apiClient.js';
import { demoCustomersTask } from './customersTask.js';
import { startHostProcess, type HostProcess } from './hostProcess.js';

interface Received {
  event: ServerSentEvent;
  /** When the client had it (ms since the request): events must arrive as the run goes, not at its end. */
  atMs: number;
}

/** Reads an event stream with a plain fetch until the server closes it. */
async function readEvents(url: string, key: string | undefined): Promise<{ status: number; contentType: string | null; events: Received[] }> {
  const started = Date.now();
  const response = await fetch(url, { headers: key ? { authorization: `Bearer ${key}` } : {} });
  const events: Received[] = [];
  if (!response.body || response.status !== 200) return { status: response.status, contentType: response.headers.get('content-type'), events };
  const parser = new EventStreamParser();
  const decoder = new TextDecoder();
  for await (const chunk of response.body) {
    for (const event of parser.push(decoder.decode(chunk, { stream: true }))) events.push({ event, atMs: Date.now() - started });
  }
  return { status: response.status, contentType: response.headers.get('content-type'), events };
}

describe('GET …/executions/{id}/events: a run\'s progress as server-sent events', () => {
  let woo: FakeWooCommerce;
  let host: HostProcess;
  let api: AdminClient;

  beforeAll(async () => {
    // Slow store answers make the run last several polls, so progress is seen rising.
    woo = await startFakeWooCommerce({ seed: 5, counts: { customers: 1200, products: 0, orders: 0 }, ...DEMO_CREDENTIALS, faults: { latencyMs: 250 } });
    host = await startHostProcess({ AzureFunctionsJobHost__extensions__serviceBus__maxConcurrentCalls: '2' });
    api = apiClient(host.url, host.adminKey);
    try {
      await demoCustomersTask(api, woo.url);
    } catch (error) {
      throw new Error(`${String(error)}\nhost output:\n${host.output().slice(-4000)}`);
    }
  }, 60_000);
  afterAll(async () => {
    await host?.stop();
    await woo?.close();
  });

  it('streams rising progress while the run goes, ends with the final success view, then closes', async () => {
    const { executionId } = await api.ok('POST', 'tenants/demo/tasks/customers/executions', {});
    const read = await readEvents(`${host.url}/api/tenants/demo/executions/${executionId}/events`, host.adminKey);
    expect(read.status).toBe(200);
    expect(read.contentType).toMatch(/^text\/event-stream/);
    const names = read.events.map((received) => received.event.event);
    expect(names.filter((name) => name === 'end')).toHaveLength(1);
    expect(names.at(-1)).toBe('end');
    expect(names.every((name) => ['execution', 'heartbeat', 'end'].includes(name))).toBe(true);

    const views = read.events.filter((received) => received.event.event !== 'heartbeat').map((received) => JSON.parse(received.event.data));
    const percents = views.map((view) => view.percent as number | null).filter((percent): percent is number => percent !== null);
    expect(percents.length).toBeGreaterThan(2);
    for (let i = 1; i < percents.length; i++) expect(percents[i]!).toBeGreaterThanOrEqual(percents[i - 1]!);
    expect(new Set(percents).size).toBeGreaterThan(2);
    const final = views.at(-1);
    expect(final).toMatchObject({ id: executionId, status: 'success', percent: 100 });
    expect(final.counts.created).toBe(1200);
    // It is the same view GET answers once the run has ended.
    expect(await api.ok('GET', `tenants/demo/executions/${executionId}`)).toMatchObject({ status: 'success', counts: final.counts });
    // Streamed, not buffered: the first event came well before the last.
    expect(read.events.at(-1)!.atMs - read.events[0]!.atMs).toBeGreaterThan(1_000);
  }, 120_000);

  it('a run that has already ended answers its end at once', async () => {
    const listed = await api.ok('GET', 'tenants/demo/executions?status=success&limit=1');
    expect(listed.items).toHaveLength(1);
    const read = await readEvents(`${host.url}/api/tenants/demo/executions/${listed.items[0].id}/events`, host.adminKey);
    expect(read.events.map((received) => received.event.event)).toEqual(['end']);
  });

  it('an unknown run is a 404, another tenant a 403, no credentials a 401 — JSON errors, no stream', async () => {
    const unknown = await readEvents(`${host.url}/api/tenants/demo/executions/exe_nope/events`, host.adminKey);
    expect(unknown).toMatchObject({ status: 404, events: [] });
    expect(unknown.contentType).toMatch(/application\/json/);
    const key = await api.ok('POST', 'tenants/demo/api-keys', { name: 'reader', role: 'Sync.Reader' });
    await api.ok('PUT', 'tenants/other', {});
    const listed = await api.ok('GET', 'tenants/demo/executions?limit=1');
    expect(listed.items).toHaveLength(1);
    const asReader = await readEvents(`${host.url}/api/tenants/demo/executions/${listed.items[0].id}/events`, key.key);
    expect(asReader.status).toBe(200);
    expect((await readEvents(`${host.url}/api/tenants/other/executions/${listed.items[0].id}/events`, key.key)).status).toBe(403);
    expect((await readEvents(`${host.url}/api/tenants/demo/executions/${listed.items[0].id}/events`, undefined)).status).toBe(401);
  });
});
