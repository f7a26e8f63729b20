import type { ShardLink } from '../schemas/shard.js';
import type { OutboundReference } from '../schemas/syncTask.js';

/** One step of a reference path: a key, and whether `[*]` follows it. */
interface PathStep {
  key: string;
  each: boolean;
}

const stepsOf = (path: string): PathStep[] =>
  path.split('.').map((part) => (part.endsWith('[*]') ? { key: part.slice(0, -3), each: true } : { key: part, each: false }));

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** An id as links keep it: scalars only; a missing or empty value names no record. */
function idOf(value: unknown): string | undefined {
  if (typeof value !== 'string' && typeof value !== 'number') return undefined;
  const id = String(value).trim();
  return id === '' ? undefined : id;
}

/** Calls `visit` with every value at `steps` under `node` and a way to replace it. */
function walk(node: unknown, steps: readonly PathStep[], visit: (value: unknown) => unknown): unknown {
  const [step, ...rest] = steps;
  if (!step || !isRecord(node) || !(step.key in node)) return node;
  const inner = node[step.key];
  const next = (value: unknown) => (rest.length === 0 ? visit(value) : walk(value, rest, visit));
  if (step.each) return Array.isArray(inner) ? { ...node, [step.key]: inner.map(next) } : node;
  return { ...node, [step.key]: next(inner) };
}

/** A record a shard names through a reference: which reference, and its id at the shard's own connection. */
export interface ReferencedRecord {
  reference: OutboundReference;
  sourceId: string;
}

/** Equal for every mention of one record through one reference's rel and stream. */
export const referenceKey = ({ reference, sourceId }: ReferencedRecord): string => JSON.stringify([reference.rel, reference.stream, sourceId]);

/** The id a value names through a reference: none for its `none` values (compared as text, as ids are). */
function referencedId(reference: OutboundReference, value: unknown): string | undefined {
  const id = idOf(value);
  return id === undefined || reference.none?.some((none) => String(none) === id) ? undefined : id;
}

/** Every distinct record the shard's data names through the references (one entry however often it is named). */
export function referencedRecords(data: Record<string, unknown>, references: readonly OutboundReference[]): ReferencedRecord[] {
  const found = new Map<string, ReferencedRecord>();
  for (const reference of references) {
    walk(data, stepsOf(reference.path), (value) => {
      const sourceId = referencedId(reference, value);
      if (sourceId !== undefined) found.set(referenceKey({ reference, sourceId }), { reference, sourceId });
      return value;
    });
  }
  return [...found.values()];
}

/**
 * The shard's data with each referenced id replaced by `targetIdOf` (the record's id at the target).
 * A copy: the shard keeps its own ids. Values that name no record become null (missing ones stay missing).
 */
export function substituteReferences(
  data: Record<string, unknown>,
  references: readonly OutboundReference[],
  targetIdOf: (record: ReferencedRecord) => string,
): Record<string, unknown> {
  let out: unknown = data;
  for (const reference of references) {
    out = walk(out, stepsOf(reference.path), (value) => {
      const sourceId = referencedId(reference, value);
      return sourceId === undefined ? (value === undefined ? value : null) : targetIdOf({ reference, sourceId });
    });
  }
  return out as Record<string, unknown>;
}

/** The shard's link to the record named `sourceId` under `rel`, if the conversion made one. */
export function linkOf(links: readonly ShardLink[], rel: string, sourceId: string): ShardLink | undefined {
  return links.find((link) => link.rel === rel && link.externalId === sourceId);
}
