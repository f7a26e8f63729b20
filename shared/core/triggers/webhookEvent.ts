import { createHash } from 'node:crypto';
import type { WebhookHmacVerifier } from '../schemas/connection.js';
import type { HeaderReader } from './webhookSignature.js';
import { readPath } from '../schemas/fieldPath.js';

/** One record a verified delivery says changed. */
export interface WebhookEvent {
  topic: string;
  stream: string;
  externalId: string;
  /** The provider says the record was deleted (its topic says so): the run it starts tombstones it once the provider confirms it is gone. */
  deleted?: boolean;
  /** The whole record as a read returns it, where the provider sends one: the run uses it without fetching (never for a delete). */
  record?: Record<string, unknown>;
  /**
   * What identifies this delivery for replay detection: the digest of exactly what its signature
   * covers (the body, and the timestamp where the scheme signs one). Never an unsigned header: a
   * provider's delivery id header is not signed, so a captured body re-sent with a new id must
   * still be recognised, as must the provider's own retry of the same delivery.
   */
  replayKey: string;
}

/** One event, several (a provider that batches them: each with a replay key of its own), or why none. */
export type WebhookEventDecision = { kind: 'event'; event: WebhookEvent } | { kind: 'events'; events: WebhookEvent[] } | { kind: 'ignored'; reason: string };

export interface WebhookEventOptions {
  /** Topic resources that name no records (a provider's hook or action topics). */
  nonRecordResources?: readonly string[];
  /** Where the body names the topic when no header does; default `topic`, then `type`. */
  topicPath?: string;
  /** Topic → stream; a topic not listed names its first word's stream. */
  streams?: Readonly<Record<string, string>>;
  /** Where the body holds the record's id; default `id`. */
  idPath?: string;
  /** Regular expression over the topic marking deletes, e.g. `\.deleted$`. */
  deletedTopics?: string;
  /** Where the body holds the whole record as a read returns it; `$`: the body is the record. */
  recordPath?: string;
}

/**
 * Pure: the stream and record a verified delivery is about, and its replay key from `signed`, the
 * bytes its signature covers (SignatureCheck's `signed`). The stream is the topic's resource in
 * the plural (`customer.updated` → `customers`, `customers/update` → `customers`); the record id
 * is the body's `id`.
 * Anything else (non-record topics, bodies without an id) is ignored, not refused: a provider that
 * sees errors retries and eventually disables the webhook.
 */
export function webhookEvent(
  config: WebhookHmacVerifier,
  headers: HeaderReader,
  body: unknown,
  signed: Uint8Array,
  options: WebhookEventOptions = {},
): WebhookEventDecision {
  const record = typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
  const topic =
    (config.topicHeader ? headers.get(config.topicHeader) : undefined) ??
    (options.topicPath !== undefined ? stringField(record, options.topicPath) : (stringField(record, 'topic') ?? stringField(record, 'type')));
  if (!topic) return { kind: 'ignored', reason: 'no topic' };
  const stream = (options.streams && Object.hasOwn(options.streams, topic) ? options.streams[topic] : undefined) ?? streamOfResource(topic.split(/[./:]/, 1)[0]!, options.nonRecordResources ?? []);
  if (!stream) return { kind: 'ignored', reason: `topic "${topic}" names no record stream` };
  const id = readPath(record, options.idPath ?? 'id');
  const externalId = typeof id === 'number' && Number.isSafeInteger(id) ? String(id) : typeof id === 'string' && /^[\w.:-]{1,200}$/.test(id) ? id : undefined;
  if (!externalId) return { kind: 'ignored', reason: 'the body has no record id' };
  const deleted = options.deletedTopics !== undefined && new RegExp(options.deletedTopics).test(topic.slice(0, 200));
  const whole = deleted || options.recordPath === undefined ? undefined : options.recordPath === '$' ? record : readPath(record, options.recordPath);
  const carried = typeof whole === 'object' && whole !== null && !Array.isArray(whole) ? { record: whole as Record<string, unknown> } : {};
  return { kind: 'event', event: { topic, stream, externalId, ...(deleted ? { deleted } : {}), ...carried, replayKey: createHash('sha256').update(signed).digest('base64url') } };
}

/** `customer` and `customers` → `customers`; a non-record resource names no stream. */
function streamOfResource(resource: string, nonRecordResources: readonly string[]): string | undefined {
  const name = resource.trim().toLowerCase();
  if (!/^[a-z][a-z0-9_]{0,62}$/.test(name) || nonRecordResources.includes(name)) return undefined;
  return name.endsWith('s') ? name : `${name}s`;
}

function stringField(record: Record<string, unknown>, path: string): string | undefined {
  const value = readPath(record, path);
  return typeof value === 'string' && value !== '' ? value : undefined;
}
