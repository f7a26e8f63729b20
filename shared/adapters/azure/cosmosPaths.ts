import { StoreError } from '../../ports/storeError.js';

/** Identifiers or array indexes only: paths are spliced into SQL and JSON pointers, so nothing else may pass. */
const SEGMENT = /^(?:[A-Za-z_$][A-Za-z0-9_$]*|\d+)$/;
/** Keys that would reach Object.prototype when an increment is applied to a plain object. */
const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);

/** The segments of a dotted path (`a.0.b`); a StoreError 400 for anything but identifiers and indexes. */
export function pathSegments(dotted: string): string[] {
  const segments = dotted.split('.');
  for (const segment of segments) {
    if (!SEGMENT.test(segment) || FORBIDDEN.has(segment)) throw new StoreError(`invalid document path "${dotted}"`, 400);
  }
  return segments;
}

export const isIndex = (segment: string): boolean => /^\d+$/.test(segment);

/** `a.0.b` → `c["a"][0]["b"]`: bracket notation, so reserved words (value, order…) are fine as property names. */
export function sqlPath(root: string, dotted: string): string {
  return root + pathSegments(dotted).map((segment) => (isIndex(segment) ? `[${segment}]` : `["${segment}"]`)).join('');
}

/** Segments → JSON pointer for patch operations (validated segments need no ~ escaping). */
export function jsonPointer(segments: readonly string[]): string {
  return '/' + segments.join('/');
}
