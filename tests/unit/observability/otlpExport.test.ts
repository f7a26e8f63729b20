import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { propagation } from '@opentelemetry/api';
import { startTelemetry } from '../../../shared/observability/startTelemetry.js';
import { inSpan } from '../../../shared/observability/invocationSpan.js';
import { countRecordsProcessed } from '../../../shared/observability/syncMetrics.js';

/** A stand-in OTLP/HTTP collector: records what arrives at /v1/traces and /v1/metrics. */
describe('OTLP export when OTEL_EXPORTER_OTLP_ENDPOINT is set', () => {
  const received: Array<{ path: string; body: string }> = [];
  let collector: Server;
  let endpoint: string;

  beforeAll(async () => {
    collector = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        received.push({ path: request.url ?? '', body: Buffer.concat(chunks).toString('utf8') });
        response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(collector.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => collector.close(resolve));
  });

  it('sends spans and metrics there on flush, with the W3C propagator registered', async () => {
    // The exporters read the standard setting themselves, from the process environment.
    process.env.OTEL_EXPORTER_OTLP_ENDPOINT = endpoint;
    const flush = await startTelemetry({ OTEL_EXPORTER_OTLP_ENDPOINT: endpoint });
    expect(propagation.fields()).toEqual(expect.arrayContaining(['traceparent']));
    await inSpan({ name: 'process sync-page', kind: 'consumer', attributes: { 'shardsync.tenant': 't1' } }, async () => {
      countRecordsProcessed({ tenant: 't1', connection: 'c1' }, 5);
    });
    expect(received).toEqual([]);
    await flush();
    const traces = received.filter((entry) => entry.path === '/v1/traces');
    expect(traces).toHaveLength(1);
    expect(traces[0]!.body).toContain('process sync-page');
    const exported = received.filter((entry) => entry.path === '/v1/metrics').map((entry) => entry.body).join('');
    expect(exported).toContain('shardsync.records.processed');
  });
});
