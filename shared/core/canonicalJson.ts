/**
 * JSON with object keys sorted at every level, so equal data always serialises (and hashes)
 * the same whatever order its fields were built in. It runs once per record on the hot path,
 * so it copies only objects that are out of order (or hold objects) and lets the native
 * JSON.stringify do the writing.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(withSortedKeys(value)) ?? 'null';
}

function withSortedKeys(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(withSortedKeys);
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  let sorted = true;
  let flat = true;
  for (let i = 0; i < keys.length; i++) {
    if (i > 0 && keys[i - 1]! > keys[i]!) sorted = false;
    const inner = record[keys[i]!];
    if (inner !== null && typeof inner === 'object') flat = false;
  }
  if (sorted && flat) return record;
  if (!sorted) keys.sort();
  const copy: Record<string, unknown> = {};
  for (const key of keys) {
    const inner = withSortedKeys(record[key]);
    // Assigning an own `__proto__` key would set the prototype and drop the key: define it instead.
    if (key === '__proto__') Object.defineProperty(copy, key, { value: inner, enumerable: true, writable: true, configurable: true });
    else copy[key] = inner;
  }
  return copy;
}
