/** Where telemetry goes, as the process settings say. Nothing is exported unless a setting asks for it. */
export type ExportTarget = { kind: 'none' } | { kind: 'azure-monitor'; connectionString: string } | { kind: 'otlp'; endpoint: string };

/**
 * Pure: Application Insights wins when both are set (that is the deployed case; an OTLP endpoint
 * left in a copied settings file should not divert production telemetry).
 */
export function exportTargetOf(env: Record<string, string | undefined>): ExportTarget {
  const connectionString = env.APPLICATIONINSIGHTS_CONNECTION_STRING?.trim();
  if (connectionString) return { kind: 'azure-monitor', connectionString };
  const endpoint = env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim();
  if (endpoint) return { kind: 'otlp', endpoint };
  return { kind: 'none' };
}
