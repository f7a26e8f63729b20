import { exportTargetOf } from './exportTarget.js';

/** Exports what is buffered now (on runtime close); the providers stay registered. */
export type FlushTelemetry = () => Promise<void>;

let started: Promise<FlushTelemetry> | undefined;

/**
 * Registers the process's tracer and meter providers where the settings ask for export, once
 * per process: providers are process-global and the API refuses a second registration, while
 * a process may build several runtimes. With no export setting nothing is registered: the
 * OpenTelemetry API stays a no-op and no exporter module is loaded.
 */
export function startTelemetry(env: Record<string, string | undefined>): Promise<FlushTelemetry> {
  if (!started) {
    const starting = start(env);
    started = starting;
    // A failed start (a bad endpoint setting) may be retried by the next runtime.
    starting.catch(() => {
      if (started === starting) started = undefined;
    });
  }
  return started;
}

async function start(env: Record<string, string | undefined>): Promise<FlushTelemetry> {
  const target = exportTargetOf(env);
  switch (target.kind) {
    case 'none':
      return async () => {};
    case 'azure-monitor':
      return (await import('./azureMonitorExport.js')).exportToAzureMonitor(target.connectionString);
    case 'otlp':
      return (await import('./otlpExport.js')).exportOverOtlp();
  }
}
