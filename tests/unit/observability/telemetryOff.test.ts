import { describe, expect, it } from 'vitest';
import { context, createContextKey, metrics, propagation, trace } from '@opentelemetry/api';
import { exportTargetOf } from '../../../shared/observability/exportTarget.js';
import { startTelemetry } from '../../../shared/observability/startTelemetry.js';
import { tracingBus } from '../../../shared/observability/tracingBus.js';
import { inSpan } from '../../../shared/observability/invocationSpan.js';
import { countRecordsProcessed } from '../../../shared/observability/syncMetrics.js';
import type { Bus, OutgoingMessage, QueueName } from '../../../shared/ports/bus.js';

describe('where telemetry goes', () => {
  it('nowhere unless a setting names a destination; Application Insights before OTLP', () => {
    expect(exportTargetOf({})).toEqual({ kind: 'none' });
    expect(exportTargetOf({ APPLICATIONINSIGHTS_CONNECTION_STRING: '  ', OTEL_EXPORTER_OTLP_ENDPOINT: '' })).toEqual({ kind: 'none' });
    expect(exportTargetOf({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' })).toEqual({ kind: 'otlp', endpoint: 'http://127.0.0.1:4318' });
    expect(exportTargetOf({ APPLICATIONINSIGHTS_CONNECTION_STRING: 'InstrumentationKey=k', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' })).toEqual({
      kind: 'azure-monitor',
      connectionString: 'InstrumentationKey=k',
    });
  });
});

describe('telemetry by default (no export setting)', () => {
  it('registers nothing: spans do not record, no propagator, no context manager, no meter provider', async () => {
    const flush = await startTelemetry({ SHARDSYNC_DATA_DIR: ':memory:' });
    await flush();
    const span = trace.getTracer('probe').startSpan('probe');
    expect(span.isRecording()).toBe(false);
    expect(propagation.fields()).toEqual([]);
    // The no-op context manager: a value set for a callback is not seen inside it.
    const key = createContextKey('probe');
    expect(context.with(context.active().setValue(key, 1), () => context.active().getValue(key))).toBeUndefined();
    const meter = metrics.getMeter('probe');
    expect(metrics.getMeterProvider().getMeter('other')).toBe(meter);
    // Instruments work (and do nothing) without a provider.
    expect(() => countRecordsProcessed({ tenant: 't1', connection: 'c1' }, 3)).not.toThrow();
  });

  it('the tracing bus hands the very same message objects on: no traceparent, no copy', async () => {
    const published: OutgoingMessage[][] = [];
    const inner: Bus = { publish: async (_queue: QueueName, messages) => void published.push(messages) };
    const messages = [{ messageId: 'm1', body: { a: 1 }, applicationProperties: { tenantId: 't1' } }, { messageId: 'm2', body: null }];
    await tracingBus(inner).publish('sync-page', messages);
    expect(published).toHaveLength(1);
    expect(published[0]![0]).toBe(messages[0]);
    expect(published[0]![1]).toBe(messages[1]);
  });

  it('an invocation span returns what the work returns and lets its error through unchanged', async () => {
    expect(await inSpan({ name: 'probe', kind: 'consumer' }, async (span) => (span.isRecording() ? 'recording' : 'no-op'))).toBe('no-op');
    const failure = new TypeError('boom');
    await expect(inSpan({ name: 'probe', kind: 'internal' }, async () => Promise.reject(failure))).rejects.toBe(failure);
  });
});
