import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InMemorySpanExporter, NodeTracerProvider, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-node';
import { AggregationTemporality, InMemoryMetricExporter, MeterProvider, PeriodicExportingMetricReader, type DataPoint, type Histogram } from '@opentelemetry/sdk-metrics';
import { metrics } from '@opentelemetry/api';
import { startFakeWooCommerce, type FakeWooCommerce } from '../../dev/fakes/fakeWooCommerce.js';
import type { AdminClient } from '../../dev/adminClient.js';
import { DEMO_CONNECTION, DEMO_CREDENTIALS, DEMO_TASK, DEMO_TENANT, ensureDemoResources } from '../../dev/demoSetup.js';
import { apiClient } from './apiClient.js';

const SECRET = 'whsec_e2e_trace_secret';

/**
 * The compiled host runs in this process (function files load from dist/, as under `npm start`),
 * so the spans it makes reach this test's in-memory exporter through the global OpenTelemetry
 * API. vitest runs each file in its own process: the providers registered here stay here.
 */
interface InProcessHost {
  url: string;
  adminKey: string;
  stop(): Promise<void>;
}

async function startInProcessHost(): Promise<InProcessHost> {
  Object.assign(process.env, { SHARDSYNC_PORT: '0', SHARDSYNC_DATA_DIR: ':memory:', SHARDSYNC_OUTBOUND_ALLOW: '127.0.0.1', SHARDSYNC_LOG_LEVEL: 'warn' });
  const compiled = '../../dist/dev/host/startLocalHost.js';
  const { startLocalHost } = (await import(/* @vite-ignore */ compiled)) as typeof import('../../dev/host/startLocalHost.js');
  const { host, runtime } = await startLocalHost({ log: () => {} });
  if (!runtime.localAdminKey) throw new Error('the in-process host has no admin key');
  return { url: host.url, adminKey: runtime.localAdminKey.key, stop: () => host.stop() };
}

const spans = new InMemorySpanExporter();
const metricReader = new PeriodicExportingMetricReader({ exporter: new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE), exportIntervalMillis: 3_600_000 });

const parentOf = (span: ReadableSpan) => span.parentSpanContext?.spanId;
const idOf = (span: ReadableSpan) => span.spanContext().spanId;
const traceOf = (span: ReadableSpan) => span.spanContext().traceId;

/** The names from a span up to its trace's root, following parent ids. */
function ancestry(span: ReadableSpan, all: readonly ReadableSpan[]): string[] {
  const byId = new Map(all.map((each) => [idOf(each), each]));
  const names = [span.name];
  for (let parent = parentOf(span); parent !== undefined; ) {
    const next = byId.get(parent);
    if (!next) throw new Error(`span ${span.name}: parent ${parent} is not among the exported spans`);
    names.push(next.name);
    parent = parentOf(next);
  }
  return names;
}

async function collected(name: string): Promise<Array<DataPoint<number> | DataPoint<Histogram>>> {
  const { resourceMetrics } = await metricReader.collect();
  return resourceMetrics.scopeMetrics.flatMap((scope) => scope.metrics).filter((metric) => metric.descriptor.name === name).flatMap((metric) => metric.dataPoints as Array<DataPoint<number> | DataPoint<Histogram>>);
}

describe('traces across queue hops (in-process host, in-memory exporter)', () => {
  let host: InProcessHost;
  let fake: FakeWooCommerce;
  let api: AdminClient;
  let firstRun: string;

  beforeAll(async () => {
    const tracing = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] });
    // As startTelemetry's exporters do: the AsyncLocalStorage context manager and the W3C propagator.
    tracing.register();
    metrics.setGlobalMeterProvider(new MeterProvider({ readers: [metricReader] }));
    fake = await startFakeWooCommerce({ seed: 7, counts: { customers: 30, products: 5, orders: 5 }, ...DEMO_CREDENTIALS });
    host = await startInProcessHost();
    api = apiClient(host.url, host.adminKey);
    await ensureDemoResources(api, fake.url);
    firstRun = (await api.ok('POST', `tenants/${DEMO_TENANT}/tasks/${DEMO_TASK}/executions`, {})).executionId;
    expect((await api.waitForExecution(DEMO_TENANT, firstRun)).status).toBe('success');
  }, 60_000);
  afterAll(async () => {
    await host?.stop();
    await fake?.close();
  });

  it('an admin start is one trace: the request, start, every page with its provider calls, every batch and its shard writes', () => {
    const request = spans.getFinishedSpans().filter((span) => span.name === 'POST startExecution');
    expect(request).toHaveLength(1);
    const trace = spans.getFinishedSpans().filter((span) => traceOf(span) === traceOf(request[0]!));
    const ofRun = spans.getFinishedSpans().filter((span) => span.attributes['shardsync.execution'] === firstRun);
    // Every consumer span of the run, whichever queue it came from, is in the request's trace.
    expect(ofRun.length).toBeGreaterThan(6);
    expect(ofRun.filter((span) => traceOf(span) !== traceOf(request[0]!)).map((span) => span.name)).toEqual([]);

    const names = new Set(trace.map((span) => span.name));
    for (const expected of ['process sync-start', 'process sync-page', 'process sync-batch', 'write shards', 'GET woocommerce']) expect(names).toContain(expected);
    const write = trace.find((span) => span.name === 'write shards')!;
    expect(ancestry(write, trace)).toEqual(expect.arrayContaining(['write shards', 'process sync-batch', 'process sync-page', 'process sync-start', 'POST startExecution']));
    expect(ancestry(write, trace).at(-1)).toBe('POST startExecution');

    const calls = trace.filter((span) => span.name === 'GET woocommerce');
    for (const call of calls) {
      expect(call.attributes).toMatchObject({ 'shardsync.provider': 'woocommerce', 'shardsync.connection': DEMO_CONNECTION, 'shardsync.tenant': DEMO_TENANT, 'http.response.status_code': 200 });
      expect(trace.find((span) => idOf(span) === parentOf(call))?.name).toBe('process sync-page');
      expect(call.endTime[0] * 1e9 + call.endTime[1]).toBeGreaterThan(call.startTime[0] * 1e9 + call.startTime[1]);
    }
  });

  it('no span carries a credential or a URL', () => {
    const finished = spans.getFinishedSpans();
    expect(finished.length).toBeGreaterThan(10);
    const text = JSON.stringify(finished.map((span) => ({ name: span.name, attributes: span.attributes, status: span.status, events: span.events })));
    for (const secret of [DEMO_CREDENTIALS.consumerKey, DEMO_CREDENTIALS.consumerSecret, SECRET, host.adminKey, fake.url]) expect(text).not.toContain(secret);
  });

  it('measures records, queue lag and provider calls by tenant and connection', async () => {
    const records = await collected('shardsync.records.processed');
    expect(records.map((point) => point.attributes)).toEqual([{ tenant: DEMO_TENANT, connection: DEMO_CONNECTION }]);
    // Only the first run so far: every record it fetched, counted once.
    const view = await api.ok('GET', `tenants/${DEMO_TENANT}/executions/${firstRun}`);
    expect(view.counts.fetched).toBeGreaterThan(0);
    expect(records[0]!.value).toBe(view.counts.fetched);

    const lag = (await collected('shardsync.queue.lag')).filter((point) => point.attributes.tenant === DEMO_TENANT);
    expect(lag.map((point) => point.attributes.queue)).toEqual(expect.arrayContaining(['sync-start', 'sync-page', 'sync-batch']));
    expect(lag.every((point) => (point.value as Histogram).count > 0 && (point.value as Histogram).min! >= 0)).toBe(true);

    const latency = (await collected('shardsync.provider.duration')).filter((point) => point.attributes.connection === DEMO_CONNECTION);
    expect(latency).toHaveLength(1);
    expect(latency[0]!.attributes).toEqual({ tenant: DEMO_TENANT, connection: DEMO_CONNECTION, provider: 'woocommerce' });
    expect((latency[0]!.value as Histogram).count).toBeGreaterThanOrEqual(3);
    // The fake answers every call: nothing failed.
    expect(await collected('shardsync.provider.errors')).toEqual([]);
  });

  it('one signed webhook is ONE trace: receive → flush → start → page → batch → shard write, parent-linked through traceparent', async () => {
    await api.ok('PUT', `tenants/${DEMO_TENANT}/connections/${DEMO_CONNECTION}`, { provider: 'woocommerce', settings: { baseUrl: fake.url }, webhookSecret: SECRET, webhooks: { coalesceWindowMs: 200 } });
    const before = new Set(spans.getFinishedSpans().map(idOf));
    fake.updateRecord('customers', 3, { first_name: 'Traced' });
    const response = await fake.sendWebhook(`${host.url}/api/webhooks/${DEMO_TENANT}/${DEMO_CONNECTION}`, { resource: 'customer', id: 3, secret: SECRET });
    expect(response.status).toBe(202);

    const deadline = Date.now() + 15_000;
    let run: ReadableSpan[] = [];
    for (;;) {
      const fresh = spans.getFinishedSpans().filter((span) => !before.has(idOf(span)));
      const executionId = fresh.find((span) => span.name === 'process sync-start')?.attributes['shardsync.execution'];
      if (executionId !== undefined) {
        const view = await api.ok('GET', `tenants/${DEMO_TENANT}/executions/${String(executionId)}`);
        if (view.status === 'success') {
          run = fresh;
          break;
        }
      }
      if (Date.now() > deadline) throw new Error(`the webhook's run did not finish; spans so far: ${fresh.map((span) => span.name).join(', ')}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    // The execution reads success once its last batch committed; that batch's span ends just after.
    await new Promise((resolve) => setTimeout(resolve, 200));
    run = spans.getFinishedSpans().filter((span) => !before.has(idOf(span)));

    const receive = run.filter((span) => span.name === 'POST receiveWebhook');
    expect(receive).toHaveLength(1);
    expect(parentOf(receive[0]!)).toBeUndefined();
    // Everything but the test's own polling of the execution (its own requests, its own traces).
    const engine = run.filter((span) => span.name !== 'GET getExecution');
    expect([...new Set(engine.map(traceOf))]).toEqual([traceOf(receive[0]!)]);

    const names = engine.map((span) => span.name);
    for (const hop of ['POST receiveWebhook', 'process webhooks', 'process sync-start', 'process sync-page', 'process sync-batch', 'write shards']) expect(names).toContain(hop);
    const write = engine.find((span) => span.name === 'write shards')!;
    // Each hop is the child of the one that published it: no span of the chain is a second root.
    expect(ancestry(write, engine)).toEqual(['write shards', 'process sync-batch', 'process sync-page', 'process sync-start', 'process webhooks', 'POST receiveWebhook']);
    expect(engine.find((span) => span.name === 'process webhooks')?.attributes).toMatchObject({ 'messaging.destination.name': 'webhooks', 'shardsync.tenant': DEMO_TENANT, 'shardsync.connection': DEMO_CONNECTION });
  }, 30_000);

  it("a shard edit written back is one trace: the edit's request → write-back → the provider's write", async () => {
    await api.ok('PUT', `tenants/${DEMO_TENANT}/tasks/both-ways`, { connectionId: DEMO_CONNECTION, direction: 'bidirectional', streams: [{ stream: 'customers', schemaId: 'demo-customers' }] });
    const [shard] = (await api.ok('GET', `tenants/${DEMO_TENANT}/shards?type=customer&externalId=4`)).items;
    const before = new Set(spans.getFinishedSpans().map(idOf));
    expect((await api.request('PATCH', `tenants/${DEMO_TENANT}/shards/${shard.id}`, { data: { phone: '+1 555 0199' } })).status).toBe(200);
    const deadline = Date.now() + 10_000;
    const phone = () => (fake.getRecord('customers', 4) as { billing: { phone: string } }).billing.phone;
    while (phone() !== '+1 555 0199') {
      if (Date.now() > deadline) throw new Error('the edit was not written back');
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
    const fresh = spans.getFinishedSpans().filter((span) => !before.has(idOf(span)));
    const edit = fresh.filter((span) => span.name === 'PATCH patchShard');
    expect(edit).toHaveLength(1);
    const trace = fresh.filter((span) => traceOf(span) === traceOf(edit[0]!));
    const writeBack = trace.find((span) => span.name === 'process sync-writeback');
    expect(writeBack && ancestry(writeBack, trace)).toEqual(['process sync-writeback', 'PATCH patchShard']);
    const writes = trace.filter((span) => parentOf(span) === idOf(writeBack!) && span.attributes['shardsync.provider'] === 'woocommerce');
    expect(writes.length).toBeGreaterThan(0);
    expect(writes.map((span) => span.attributes['http.request.method'])).toEqual(expect.arrayContaining(['PUT']));
  }, 30_000);
});
