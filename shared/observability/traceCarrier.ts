import { context, propagation, type Context } from '@opentelemetry/api';
import type { ApplicationProperties } from '../ports/bus.js';

/**
 * W3C trace context rides in a message's application properties (`traceparent`, `tracestate`),
 * the way Service Bus carries user properties and the embedded queue keeps them. Only string
 * values are read back: a property is whatever the sender put there.
 */
const getter = {
  keys: (carrier: ApplicationProperties) => Object.keys(carrier),
  get: (carrier: ApplicationProperties, key: string) => {
    const value = carrier[key];
    return typeof value === 'string' ? value : undefined;
  },
};

/** The properties plus the active context's `traceparent`; the same object back when there is nothing to add (no propagator registered). */
export function withTraceContext(properties: ApplicationProperties | undefined, active: Context = context.active()): ApplicationProperties | undefined {
  const carrier: Record<string, string> = {};
  propagation.inject(active, carrier);
  if (Object.keys(carrier).length === 0) return properties;
  return { ...properties, ...carrier };
}

/** The context a message was sent from, to parent the consumer's span; the active context when it carries none. */
export function traceContextOf(properties: unknown): Context {
  if (properties === null || typeof properties !== 'object') return context.active();
  return propagation.extract(context.active(), properties as ApplicationProperties, getter);
}
