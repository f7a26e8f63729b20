import { context, SpanKind, SpanStatusCode, trace, type Attributes, type Context, type Span } from '@opentelemetry/api';
import { tracer } from './tracer.js';

export interface InvocationSpan {
  /** e.g. `process sync-page`, `POST receiveWebhook`. */
  name: string;
  kind: 'server' | 'consumer' | 'internal';
  /** Where the work came from: a message's carried context, a request's headers; the active context otherwise. */
  parent?: Context;
  attributes?: Attributes;
}

const kinds = { server: SpanKind.SERVER, consumer: SpanKind.CONSUMER, internal: SpanKind.INTERNAL } as const;

/**
 * Runs `work` inside a span that is the active context for everything it awaits, so what it
 * publishes and the provider calls it makes are the span's children. A thrown error marks the
 * span failed by its type only (`error.type`): a message may quote a provider's answer, and spans
 * leave the process. The error propagates unchanged. With no tracer provider registered the span
 * is the API's no-op.
 */
export async function inSpan<T>(span: InvocationSpan, work: (span: Span) => Promise<T>): Promise<T> {
  const parent = span.parent ?? context.active();
  const started = tracer().startSpan(span.name, { kind: kinds[span.kind], ...(span.attributes ? { attributes: span.attributes } : {}) }, parent);
  try {
    return await context.with(trace.setSpan(parent, started), () => work(started));
  } catch (error) {
    const type = error instanceof Error ? error.name : 'error';
    started.setStatus({ code: SpanStatusCode.ERROR, message: type });
    started.setAttribute('error.type', type);
    throw error;
  } finally {
    started.end();
  }
}
