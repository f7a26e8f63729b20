import { metrics } from '@opentelemetry/api';
import { NodeTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-node';
import { MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';

/**
 * OTLP over HTTP to `OTEL_EXPORTER_OTLP_ENDPOINT` (the exporters read it and the other standard
 * OTEL_* settings themselves, `OTEL_SERVICE_NAME` too). `register()` also installs the
 * AsyncLocalStorage context manager and the W3C propagator the queue hops rely on.
 * Returns a flush, for the runtime to call when it closes (the host stopping).
 */
export function exportOverOtlp(): () => Promise<void> {
  const tracing = new NodeTracerProvider({ spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter())] });
  tracing.register();
  const meters = new MeterProvider({ readers: [new PeriodicExportingMetricReader({ exporter: new OTLPMetricExporter() })] });
  metrics.setGlobalMeterProvider(meters);
  return async () => {
    // An unreachable collector must not stop the host from closing.
    await Promise.allSettled([tracing.forceFlush(), meters.forceFlush()]);
  };
}
