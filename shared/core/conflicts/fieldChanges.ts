/**
 * Fields of shard data, addressed by the path of keys down to them. Objects are walked into;
 * everything else — arrays included — is one value, compared whole. JSON has no `undefined`, so
 * `undefined` stands for a missing field throughout, and `null` is a value like any other.
 */

/** One field whose value a side should now hold; `value: undefined` removes the field. */
export interface FieldChange {
  /** Dotted, for people and per-field configuration. */
  path: string;
  /** The exact keys: a provider's key may itself contain a dot. */
  keys: readonly string[];
  value: unknown;
}

export const isRecord = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/**
 * A record's own field. Inherited members (`toString`, `__proto__`) are not data: a prototype
 * only holds functions, except `__proto__` itself, which therefore needs the own-property check.
 */
export function fieldOf(record: Record<string, unknown>, key: string): unknown {
  if (key === '__proto__') return Object.hasOwn(record, key) ? record[key] : undefined;
  const value = record[key];
  return typeof value === 'function' ? undefined : value;
}

/** Sets a key as data: assigning `__proto__` would replace the object's prototype instead. */
export function putField(record: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(record, key, { value, enumerable: true, writable: true, configurable: true });
  else record[key] = value;
}

/** Deep equality of JSON values; a field set to `undefined` equals a missing one, as their hashes do. */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameValue(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const left = a as Record<string, unknown>;
  const right = b as Record<string, unknown>;
  let present = 0;
  for (const key of Object.keys(left)) {
    const value = left[key];
    if (value === undefined) continue;
    if (!sameValue(value, fieldOf(right, key))) return false;
    present++;
  }
  // Every present field of `left` is in `right`: equal counts leave no room for an extra one.
  for (const key of Object.keys(right)) if (right[key] !== undefined) present--;
  return present === 0;
}

/**
 * Appends the fields that turn `before` into `after` (known to differ): the deepest paths where
 * they differ, walking into keys both hold as objects. `keys` is the path so far, used as a stack.
 */
export function collectChanges(before: unknown, after: unknown, keys: string[], out: FieldChange[]): void {
  if (!isRecord(before) || !isRecord(after)) {
    out.push(changeAt(keys, after));
    return;
  }
  for (const key of Object.keys(after)) {
    const next = after[key];
    if (next === undefined) continue;
    const previous = fieldOf(before, key);
    if (sameValue(previous, next)) continue;
    keys.push(key);
    collectChanges(previous, next, keys, out);
    keys.pop();
  }
  for (const key of Object.keys(before)) {
    if (before[key] === undefined || fieldOf(after, key) !== undefined) continue;
    keys.push(key);
    out.push(changeAt(keys, undefined));
    keys.pop();
  }
}

function changeAt(keys: readonly string[], value: unknown): FieldChange {
  return { path: keys.join('.'), keys: keys.slice(), value };
}

/** The changes as a new object; the input is not touched and untouched branches are shared. */
export function withChanges(data: Record<string, unknown>, changes: readonly FieldChange[]): Record<string, unknown> {
  let result = data;
  for (const change of changes) result = setAt(result, change.keys, 0, change.value) as Record<string, unknown>;
  return result;
}

function setAt(node: unknown, keys: readonly string[], index: number, value: unknown): unknown {
  if (index === keys.length) return value;
  // Removing below a missing or plain value removes nothing: no empty objects appear.
  if (value === undefined && !isRecord(node)) return node;
  const record = isRecord(node) ? node : {};
  const key = keys[index]!;
  const next = setAt(fieldOf(record, key), keys, index + 1, value);
  const copy = { ...record };
  if (next === undefined) delete copy[key];
  else putField(copy, key, next);
  return copy;
}

/** Orders fields by their keys: exact where dotted paths could tie (`{"a.b"}` and `{a: {b}}`). */
export function byKeys(a: { keys: readonly string[] }, b: { keys: readonly string[] }): number {
  const length = Math.min(a.keys.length, b.keys.length);
  for (let i = 0; i < length; i++) {
    const left = a.keys[i]!;
    const right = b.keys[i]!;
    if (left !== right) return left < right ? -1 : 1;
  }
  return a.keys.length - b.keys.length;
}
