/**
 * Source paths over plain JSON: `billing.email`, `line_items[0].sku`, `line_items.0.sku`,
 * `line_items[*].sku` (every element → an array). Target paths are dotted identifiers.
 */
export type PathStep = string | number | typeof EVERY;
export const EVERY: unique symbol = Symbol('every element');

const SEGMENT = /^([^.[\]\s]+)((?:\[(?:\d+|\*)\])*)$/u;
const BRACKET = /\[(\d+|\*)\]/g;
export const SOURCE_PATH = /^[^.[\]\s]+(?:\[(?:\d+|\*)\])*(?:\.[^.[\]\s]+(?:\[(?:\d+|\*)\])*)*$/u;
export const TARGET_PATH = /^[A-Za-z_$][A-Za-z0-9_$]*(?:\.[A-Za-z_$][A-Za-z0-9_$]*)*$/;
/** Keys that would reach Object.prototype instead of the record's own data. */
export const FORBIDDEN_KEYS = new Set(['__proto__', 'prototype', 'constructor']);

export function parseSourcePath(path: string): PathStep[] {
  const steps: PathStep[] = [];
  for (const part of path.split('.')) {
    const match = SEGMENT.exec(part);
    if (!match) throw new Error(`invalid source path "${path}"`);
    steps.push(match[1]!);
    for (const [, index] of match[2]!.matchAll(BRACKET)) steps.push(index === '*' ? EVERY : Number(index));
  }
  return steps;
}

export type Reader = (source: unknown) => unknown;

/** One step; functions can only come from prototypes (JSON has none), so they read as missing. */
function step(current: unknown, key: string | number): unknown {
  if (current === null || typeof current !== 'object') return undefined;
  const value = (current as Record<string | number, unknown>)[key];
  return typeof value === 'function' ? undefined : value;
}

/** Compiles a source path into a reader: parsing happens here, never per record. */
export function compileReader(path: string): Reader {
  return readerOf(parseSourcePath(path));
}

function readerOf(steps: readonly PathStep[]): Reader {
  const wildcard = steps.indexOf(EVERY);
  if (wildcard < 0) {
    const keys = steps as readonly (string | number)[];
    // Unrolled, with the steps written out, for the common short paths: reads are the hot loop.
    if (keys.length === 1) {
      const [a] = keys as [string];
      return (s) => {
        if (s === null || typeof s !== 'object') return undefined;
        const value = (s as Record<string, unknown>)[a];
        return typeof value === 'function' ? undefined : value;
      };
    }
    if (keys.length === 2) {
      const [a, b] = keys as [string, string];
      return (s) => {
        if (s === null || typeof s !== 'object') return undefined;
        const middle = (s as Record<string, unknown>)[a];
        if (middle === null || typeof middle !== 'object') return undefined;
        const value = (middle as Record<string, unknown>)[b];
        return typeof value === 'function' ? undefined : value;
      };
    }
    return (s) => {
      let current = s;
      for (const key of keys) current = step(current, key);
      return current;
    };
  }
  const prefix = readerOf(steps.slice(0, wildcard));
  const rest = readerOf(steps.slice(wildcard + 1));
  return (s) => {
    const list = prefix(s);
    if (!Array.isArray(list)) return undefined;
    const out: unknown[] = new Array(list.length);
    for (let i = 0; i < list.length; i++) out[i] = rest(list[i]) ?? null;
    return out;
  };
}

export type Writer = (target: Record<string, unknown>, value: unknown) => void;

export function compileWriter(path: string): Writer {
  const keys = path.split('.');
  const last = keys.pop()!;
  if (keys.length === 0) return (target, value) => { target[last] = value; };
  if (keys.length === 1) {
    const [first] = keys as [string];
    return (target, value) => {
      const inner = target[first];
      (inner !== null && typeof inner === 'object' ? (inner as Record<string, unknown>) : (target[first] = {}) as Record<string, unknown>)[last] = value;
    };
  }
  return (target, value) => {
    let current = target;
    for (const key of keys) {
      const next = current[key];
      if (next === null || typeof next !== 'object') current = current[key] = {};
      else current = next as Record<string, unknown>;
    }
    current[last] = value;
  };
}
