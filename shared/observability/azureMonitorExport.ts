import { useAzureMonitor } from '@azure/monitor-opentelemetry';

/**
 * Application Insights through the Azure Monitor distro: it registers the tracer and meter
 * providers, the context manager and the W3C propagator, so spans and metrics made through the
 * OpenTelemetry API land in the app's Application Insights resource. The distro batches and
 * exports on its own schedule; under the Functions host the runtime is not closed, so the
 * returned flush has nothing to add.
 */
export function exportToAzureMonitor(connectionString: string): () => Promise<void> {
  useAzureMonitor({ azureMonitorExporterOptions: { connectionString } });
  return async () => {};
}
