import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'undici';
import { context, metrics, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, NodeTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-node';
import { AggregationTemporality, InMemoryMetricExporter, MeterProvider, PeriodicExportingMetricReader, type DataPoint, type Histogram } from '@opentelemetry/sdk-metrics';
import { loopbackOutbound } from '../sync/loopbackOutbound.js';

const labels = { tenant: 't1', provider: 'acme', connection: 'c1' };

/** A connection's agent, through the outbound guard as connectorAccess builds it, against a local server. */
describe('provider calls', () => {
  const spans = new InMemorySpanExporter();
  const reader = new PeriodicExportingMetricReader({ exporter: new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE), exportIntervalMillis: 3_600_000 });
  let server: Server;
  let base: string;

  beforeAll(async () => {
    new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] }).register();
    metrics.setGlobalMeterProvider(new MeterProvider({ readers: [reader] }));
    server = createServer((req, res) => {
      res.writeHead(req.url?.startsWith('/fail') ? 503 : 200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  const points = async (name: string) => {
    const { resourceMetrics } = await reader.collect();
    return resourceMetrics.scopeMetrics.flatMap((scope) => scope.metrics).filter((metric) => metric.descriptor.name === name).flatMap((metric) => metric.dataPoints as Array<DataPoint<number | Histogram>>);
  };

  it('each call is a client span, child of the caller, with provider, connection and status, and no URL', async () => {
    const agent = loopbackOutbound().forConnection(labels).agent();
    const parent = trace.getTracer('test').startSpan('process sync-page');
    await context.with(trace.setSpan(context.active(), parent), async () => {
      await (await request(`${base}/customers?api_key=sk_live_secret`, { dispatcher: agent })).body.text();
      await (await request(`${base}/fail`, { method: 'POST', dispatcher: agent, body: '{}' })).body.text();
    });
    parent.end();
    await agent.close();

    const calls = spans.getFinishedSpans().filter((span) => span.kind === SpanKind.CLIENT);
    expect(calls.map((span) => [span.name, span.attributes['http.response.status_code'], span.status.code])).toEqual([
      ['GET acme', 200, SpanStatusCode.UNSET],
      ['POST acme', 503, SpanStatusCode.ERROR],
    ]);
    for (const call of calls) {
      expect(call.parentSpanContext?.spanId).toBe(parent.spanContext().spanId);
      expect(call.attributes).toMatchObject({ 'shardsync.tenant': 't1', 'shardsync.provider': 'acme', 'shardsync.connection': 'c1' });
      expect(JSON.stringify(call.attributes)).not.toMatch(/sk_live_secret|127\.0\.0\.1|customers/);
    }
  });

  it('a refused connection is a failed span and counts as a provider error', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const agent = loopbackOutbound().forConnection(labels).agent();
    await expect(request(`http://127.0.0.1:${port}/x`, { dispatcher: agent })).rejects.toThrow();
    await agent.close();

    const failed = spans.getFinishedSpans().filter((span) => span.kind === SpanKind.CLIENT).at(-1)!;
    expect(failed.status.code).toBe(SpanStatusCode.ERROR);
    expect(failed.attributes['http.response.status_code']).toBeUndefined();
    expect(failed.attributes['error.type']).toEqual(expect.any(String));

    const latency = await points('shardsync.provider.duration');
    expect(latency.map((point) => [point.attributes, (point.value as Histogram).count])).toEqual([[labels, 3]]);
    const errors = await points('shardsync.provider.errors');
    expect(errors.map((point) => [point.attributes, point.value])).toEqual([[labels, 2]]);
  });

  it("a guard that is not a connection's makes plain agents: nothing traced", async () => {
    const before = spans.getFinishedSpans().length;
    const agent = loopbackOutbound().agent();
    await (await request(`${base}/plain`, { dispatcher: agent })).body.text();
    await agent.close();
    expect(spans.getFinishedSpans().length).toBe(before);
  });
});
