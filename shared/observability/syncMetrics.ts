import type { Attributes, Counter, Histogram } from '@opentelemetry/api';
import { meter } from './tracer.js';

/** What every instrument is broken down by. `connection` is absent where a message does not name one. */
export interface MetricLabels {
  tenant: string;
  connection?: string;
}

interface Instruments {
  records: Counter;
  queueLag: Histogram;
  providerLatency: Histogram;
  providerErrors: Counter;
}

let instruments: Instruments | undefined;
let madeBy: unknown;

/**
 * Made once per meter: the metrics API is not a proxy, a meter belongs to the provider registered
 * when it is asked for, so a provider registered later (a test's) gets fresh instruments. Without
 * a provider the meter is the API's no-op and so are its instruments.
 */
function current(): Instruments {
  const source = meter();
  if (instruments && madeBy === source) return instruments;
  madeBy = source;
  instruments = {
    records: source.createCounter('shardsync.records.processed', { description: 'Records of batches processed (counted once per batch)', unit: '{record}' }),
    queueLag: source.createHistogram('shardsync.queue.lag', { description: 'Time from enqueue to receive of a queue message', unit: 'ms' }),
    providerLatency: source.createHistogram('shardsync.provider.duration', { description: 'Duration of provider HTTP calls', unit: 'ms' }),
    providerErrors: source.createCounter('shardsync.provider.errors', { description: 'Provider HTTP calls that failed (transport error or status >= 400)', unit: '{call}' }),
  };
  return instruments;
}

function attributesOf(labels: MetricLabels, extra: Attributes = {}): Attributes {
  return { tenant: labels.tenant, ...(labels.connection !== undefined ? { connection: labels.connection } : {}), ...extra };
}

export function countRecordsProcessed(labels: MetricLabels, count: number): void {
  if (count > 0) current().records.add(count, attributesOf(labels));
}

export function recordQueueLag(labels: MetricLabels, queue: string, lagMs: number): void {
  // A clock behind the broker's would give a negative lag; it is noise, not a measurement.
  if (lagMs >= 0) current().queueLag.record(lagMs, attributesOf(labels, { queue }));
}

export function recordProviderCall(labels: MetricLabels & { provider: string }, durationMs: number, failed: boolean): void {
  const attributes = attributesOf(labels, { provider: labels.provider });
  const { providerLatency, providerErrors } = current();
  providerLatency.record(durationMs, attributes);
  if (failed) providerErrors.add(1, attributes);
}
