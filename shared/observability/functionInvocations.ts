import type { Attributes } from '@opentelemetry/api';
import { traceContextOf } from './traceCarrier.js';
import type { InvocationSpan } from './invocationSpan.js';
import { recordQueueLag, type MetricLabels } from './syncMetrics.js';

/** The ids a message body names, for span attributes and metric labels; never its data. */
export function labelsOfBody(body: unknown): MetricLabels & { execution?: string } {
  const fields = body !== null && typeof body === 'object' ? (body as Record<string, unknown>) : {};
  const text = (value: unknown) => (typeof value === 'string' && value.length > 0 ? value : undefined);
  const tenant = text(fields.tenantId) ?? 'unknown';
  const connection = text(fields.connectionId);
  const execution = text(fields.executionId);
  return { tenant, ...(connection ? { connection } : {}), ...(execution ? { execution } : {}) };
}

function idAttributes(labels: ReturnType<typeof labelsOfBody>): Attributes {
  return {
    'shardsync.tenant': labels.tenant,
    ...(labels.connection ? { 'shardsync.connection': labels.connection } : {}),
    ...(labels.execution ? { 'shardsync.execution': labels.execution } : {}),
  };
}

/**
 * A queue-triggered invocation: a consumer span, child of the context the message carries, and
 * the message's queue lag (now − enqueued time). `metadata` is the trigger metadata the Functions
 * host passes (camel-cased: `applicationProperties`, `enqueuedTimeUtc`, `messageId`…).
 */
export function queueInvocation(queue: string, functionName: string, metadata: Record<string, unknown>, body: unknown, nowMs: number): InvocationSpan {
  const labels = labelsOfBody(body);
  const enqueued = Date.parse(String(metadata.enqueuedTimeUtc ?? ''));
  if (Number.isFinite(enqueued)) recordQueueLag(labels, queue, nowMs - enqueued);
  return {
    name: `process ${queue}`,
    kind: 'consumer',
    parent: traceContextOf(metadata.applicationProperties),
    attributes: {
      'messaging.system': 'servicebus',
      'messaging.operation.type': 'process',
      'messaging.destination.name': queue,
      'messaging.message.id': String(metadata.messageId ?? ''),
      'messaging.servicebus.message.delivery_count': Number(metadata.deliveryCount ?? 1),
      'shardsync.function': functionName,
      ...idAttributes(labels),
    },
  };
}

/**
 * An HTTP-triggered invocation: a server span, child of the caller's `traceparent` header when it
 * sends one. Named by function, not URL: paths hold ids and query strings may hold keys.
 */
export function httpInvocation(functionName: string, method: string, header: (name: string) => string | null, tenantId: string | undefined): InvocationSpan {
  const carried: Record<string, string> = {};
  for (const name of ['traceparent', 'tracestate']) {
    const value = header(name);
    if (value !== null) carried[name] = value;
  }
  return {
    name: `${method} ${functionName}`,
    kind: 'server',
    parent: traceContextOf(carried),
    attributes: { 'http.request.method': method, 'shardsync.function': functionName, ...(tenantId ? { 'shardsync.tenant': tenantId } : {}) },
  };
}

/** A timer-triggered invocation: a root span of its own (schedules fired from it join its trace). */
export function timerInvocation(functionName: string): InvocationSpan {
  return { name: `timer ${functionName}`, kind: 'internal', attributes: { 'shardsync.function': functionName } };
}
