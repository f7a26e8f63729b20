import { z } from 'zod';

/**
 * A dotted path into a JSON value: `data`, `paging.next.after`, `items.0.id`. Segments are names
 * or array indexes; nothing is evaluated, so a tenant's spec cannot run code.
 */
export const fieldPath = z
  .string()
  .regex(/^([A-Za-z_$@][\w$@-]*|\d+)(\.([A-Za-z_$@][\w$@-]*|\d+))*$/, 'must be a dotted field path such as `data.items`, `paging.next.after` or `0.errorCode`');

/** The value at `path` in `value`; undefined when any step is missing or not an object. Own properties only, so `constructor` or `__proto__` read nothing. */
export function readPath(value: unknown, path: string): unknown {
  let current = value;
  for (const segment of path.split('.')) {
    if (current === null || typeof current !== 'object' || !Object.hasOwn(current, segment)) return undefined;
    current = (current as Record<string, unknown>)[segment];
  }
  return current;
}
