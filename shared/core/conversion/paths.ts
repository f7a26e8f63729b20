/**
 * Source paths over plain JSON: `billing.email`, `line_items[0].sku`, `line_items.0.sku`,
 * `line_items[*].sku` (every element → an array), and `$`, the whole record. Target paths are dotted identifiers.
 */
export type PathStep = string | number | typeof EVERY;
export const EVERY: unique symbol = Symbol('every element');

const SEGMENT = /^([^.[\]\s]+)((?:\[(?:\d+|\*)\])*)$/u;
const BRACKET = /\[(\d+|\*)\]/g;
export const SOURCE_PATH = /^[^.[\]\s]+(?:\[(?:\d+|\*)\])*(?:\.[^.[\]\s]+(?:\[(?:\d+|\*)\])*)*$/u;
export const TARGET_PATH = /^[A-Za-z_$][A-Za-z0-9_$]*(?:\.[A-Za-z_$][A-Za-z0-9_$]*)*$/;
/** Keys that would reach Object.prototype instead of the record's own data. */
export const FORBIDDEN_KEYS = new Set(['__proto__', 'prototype', 'constructor']);

/**
 * The engine's own (internalized) copy of a key. A substring (a regex match) as a key sends each
 * lookup by a reader, shared by many paths and so generic, through the string table first.
 */
const internalized = (key: string): string => Object.keys({ [key]: 0 })[0]!;

/** The source path of the whole record (kept beside the mapped fields, e.g. as `raw`). */
export const WHOLE_RECORD = '$';

export function parseSourcePath(path: string): PathStep[] {
  if (path === WHOLE_RECORD) return [];
  const steps: PathStep[] = [];
  for (const part of path.split('.')) {
    const match = SEGMENT.exec(part);
    if (!match) throw new Error(`invalid source path "${path}"`);
    steps.push(internalized(match[1]!));
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

type Slots = Map<string, number | Slots>;

/**
 * Compiles target paths into a function building a shard's data from one value per path, by
 * index. It is an object literal generated once per schema, so that every output is created
 * whole with one hidden class: assigning keys one by one from closures (whose property caches
 * every path shares, so generic) cost more than reading them. The
 * generated source holds only slot numbers and quoted keys, and keys are identifiers (never
 * __proto__), checked here as validateSchema does; targets never repeat or nest (`a`, `a.b`).
 */
export function compileBuilder(paths: readonly string[]): (values: readonly unknown[]) => Record<string, unknown> {
  const root: Slots = new Map();
  paths.forEach((path, slot) => {
    const keys = path.split('.');
    if (!TARGET_PATH.test(path) || keys.some((key) => FORBIDDEN_KEYS.has(key))) throw new Error(`invalid target path "${path}"`);
    const last = keys.pop()!;
    let level = root;
    for (const key of keys) {
      let next = level.get(key);
      if (next === undefined) level.set(key, (next = new Map()));
      if (typeof next === 'number') throw new Error(`target "${path}" overlaps another`);
      level = next;
    }
    if (level.has(last)) throw new Error(`target "${path}" overlaps another`);
    level.set(last, slot);
  });
  const literal = (level: Slots): string =>
    `{${[...level].map(([key, slot]) => `${JSON.stringify(key)}: ${typeof slot === 'number' ? `values[${slot}]` : literal(slot)}`).join(', ')}}`;
  return new Function('values', `return ${literal(root)};`) as (values: readonly unknown[]) => Record<string, unknown>;
}
