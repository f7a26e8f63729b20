/**
 * How deeply JSON may nest. Deeper values are refused at every edge (request bodies, provider
 * records) because the recursive code behind them (hashing, merging, conversion, the stores'
 * serialisers) would overflow the stack on them.
 */
export const MAX_JSON_DEPTH = 64;

interface Visit {
  readonly value: unknown;
  readonly depth: number;
  readonly parent: Visit | undefined;
  readonly key: string | number | undefined;
}

/**
 * The path of the first object or array nested deeper than `max` levels (the top-level object
 * is level 1), e.g. `a.b[3].c`; `$` when the top level itself is too deep; undefined when the
 * value fits. Walks with an explicit stack, so any depth is measured without recursion, and
 * stops at `max + 1` levels, so it also ends on cyclic objects.
 */
export function jsonDepthExceeds(value: unknown, max: number): string | undefined {
  if (!isContainer(value)) return undefined;
  // Only objects and arrays are pushed: scalars cannot be too deep, and records are mostly scalars.
  const stack: Visit[] = [{ value, depth: 1, parent: undefined, key: undefined }];
  for (let visit = stack.pop(); visit !== undefined; visit = stack.pop()) {
    if (visit.depth > max) return pathOf(visit);
    const depth = visit.depth + 1;
    // Pushed last-first so they are visited in document order and the path named is the first one.
    if (Array.isArray(visit.value)) {
      for (let index = visit.value.length - 1; index >= 0; index--) {
        const inner: unknown = visit.value[index];
        if (isContainer(inner)) stack.push({ value: inner, depth, parent: visit, key: index });
      }
    } else {
      const record = visit.value as Record<string, unknown>;
      const keys = Object.keys(record);
      for (let index = keys.length - 1; index >= 0; index--) {
        const inner = record[keys[index]!];
        if (isContainer(inner)) stack.push({ value: inner, depth, parent: visit, key: keys[index] });
      }
    }
  }
  return undefined;
}

const isContainer = (value: unknown): value is object => value !== null && typeof value === 'object';

function pathOf(visit: Visit): string {
  const segments: string[] = [];
  for (let at: Visit | undefined = visit; at?.key !== undefined; at = at.parent) segments.push(segmentOf(at.key));
  if (segments.length === 0) return '$';
  return segments.reverse().join('').replace(/^\./, '');
}

function segmentOf(key: string | number): string {
  if (typeof key === 'number') return `[${key}]`;
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
}
