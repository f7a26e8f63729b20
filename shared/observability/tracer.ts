import { metrics, trace, type Meter, type Tracer } from '@opentelemetry/api';

/** The instrumentation scope of every span and instrument shardsync makes. */
export const SCOPE = 'shardsync';

/**
 * Looked up per use, not cached at import: the API hands out proxies that start delegating once
 * a provider is registered, but a test may register (and later replace) its own provider.
 * Without any provider both are the API's no-ops.
 */
export function tracer(): Tracer {
  return trace.getTracer(SCOPE);
}

export function meter(): Meter {
  return metrics.getMeter(SCOPE);
}
