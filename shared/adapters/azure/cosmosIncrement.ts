import type { JSONObject, PatchOperation } from '@azure/cosmos';
import type { Increments } from '../../ports/store.js';
import { StoreError } from '../../ports/storeError.js';
import { isIndex, jsonPointer, pathSegments } from './cosmosPaths.js';

/** Cosmos accepts at most 10 operations in one patch. */
export const MAX_PATCH_OPERATIONS = 10;

export interface IncrementPlan {
  /**
   * `incr` where the field's parent exists (incr starts a missing field at the amount, i.e. from 0);
   * `set` of a whole new subtree where a parent is missing, because patch cannot create paths recursively.
   */
  operations: PatchOperation[];
  /** A `set` depends on the document as read: send the patch with its ETag. Pure `incr`s need none. */
  conditional: boolean;
  /** The document with the increments applied: what the patch leaves, for writers that cannot patch. */
  result: JSONObject;
}

type Node = Record<string, unknown> | unknown[];

/** Plans `increments` against the document as last read; a StoreError 400 for a non-numeric field or a non-object parent. */
export function planIncrement(document: JSONObject, increments: Increments): IncrementPlan {
  const result = structuredClone(document);
  const operations: PatchOperation[] = [];
  const newSubtrees = new Map<string, string[]>();
  for (const [path, amount] of Object.entries(increments)) {
    const segments = pathSegments(path);
    const missing = firstMissingParent(document, segments, path);
    addTo(result, segments, amount, path);
    if (missing === undefined) operations.push({ op: 'incr', path: jsonPointer(segments), value: amount });
    else newSubtrees.set(jsonPointer(missing), missing);
  }
  for (const [pointer, segments] of newSubtrees) operations.push({ op: 'set', path: pointer, value: valueAt(result, segments) });
  return { operations, conditional: newSubtrees.size > 0, result };
}

/** The segments up to the first missing parent object, or undefined when every parent exists. */
function firstMissingParent(document: JSONObject, segments: string[], path: string): string[] | undefined {
  let node: unknown = document;
  for (let i = 0; i < segments.length - 1; i++) {
    const child = childOf(asNode(node, path), segments[i]!);
    if (child === undefined) return segments.slice(0, i + 1);
    node = child;
  }
  return undefined;
}

function addTo(target: JSONObject, segments: string[], amount: number, path: string): void {
  let node: Node = target;
  for (const segment of segments.slice(0, -1)) {
    let child = childOf(node, segment);
    if (child === undefined) {
      if (Array.isArray(node)) throw new StoreError(`cannot increment ${path}: no array element ${segment}`, 400);
      child = {};
      node[segment] = child;
    }
    node = asNode(child, path);
  }
  const leaf = segments.at(-1)!;
  const current = childOf(node, leaf) ?? 0;
  if (typeof current !== 'number') throw new StoreError(`cannot increment ${path}: not a number`, 400);
  if (Array.isArray(node)) node[Number(leaf)] = current + amount;
  else node[leaf] = current + amount;
}

function childOf(node: Node, segment: string): unknown {
  if (Array.isArray(node)) return isIndex(segment) ? node[Number(segment)] : undefined;
  return Object.hasOwn(node, segment) ? node[segment] : undefined;
}

function asNode(value: unknown, path: string): Node {
  if (typeof value === 'object' && value !== null) return value as Node;
  throw new StoreError(`cannot increment ${path}: a parent is not an object`, 400);
}

function valueAt(document: JSONObject, segments: string[]): unknown {
  let node: unknown = document;
  for (const segment of segments) node = childOf(node as Node, segment);
  return node;
}
