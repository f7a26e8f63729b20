/** Dotted paths over plain JSON: `billing.email`, `line_items.0.sku`. */
export type PathSegments = readonly string[];

export const parsePath = (path: string): PathSegments => path.split('.');

export function readPath(source: unknown, segments: PathSegments): unknown {
  let current = source;
  for (const segment of segments) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[segment];
  }
  return current;
}

export function writePath(target: Record<string, unknown>, segments: PathSegments, value: unknown): void {
  let current = target;
  for (let i = 0; i < segments.length - 1; i++) {
    const segment = segments[i]!;
    const next = current[segment];
    if (next === null || typeof next !== 'object') {
      const created: Record<string, unknown> = {};
      current[segment] = created;
      current = created;
    } else {
      current = next as Record<string, unknown>;
    }
  }
  current[segments[segments.length - 1]!] = value;
}
