import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

/** One relative import of a source file: where it leads, and whether it brings types only. */
export interface ImportEdge {
  from: string;
  to: string;
  typeOnly: boolean;
}

const IMPORT = /^\s*(import|export)\s+(type\s+)?(?:[^'";]*?\sfrom\s+)?['"](\.{1,2}\/[^'"]+)['"]/gm;
const DYNAMIC_IMPORT = /import\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g;

/** Every `.ts` file below `dir` (relative to `root`), tests' `.test.ts` files included. */
export function sourceFiles(root: string, dir: string): string[] {
  const found: string[] = [];
  const walk = (relative: string) => {
    for (const name of readdirSync(path.join(root, relative))) {
      const child = path.join(relative, name);
      if (statSync(path.join(root, child)).isDirectory()) walk(child);
      else if (name.endsWith('.ts')) found.push(child);
    }
  };
  walk(dir);
  return found.sort();
}

/** The relative imports of each file (static and dynamic), resolved to the `.ts` files they name. */
export function importEdges(root: string, files: readonly string[]): ImportEdge[] {
  return files.flatMap((file) => {
    const text = readFileSync(path.join(root, file), 'utf8');
    const resolve = (spec: string) => path.normalize(path.join(path.dirname(file), spec)).replace(/\.js$/, '.ts');
    const statics = [...text.matchAll(IMPORT)].map(([whole, , type, spec]) => ({
      from: file,
      to: resolve(spec!),
      typeOnly: type !== undefined || /^\s*import\s+\{\s*type\s[^}]*\}/.test(whole) && !/,\s*(?!type\s)\w/.test(whole.slice(whole.indexOf('{'))),
    }));
    const dynamics = [...text.matchAll(DYNAMIC_IMPORT)].map(([, spec]) => ({ from: file, to: resolve(spec!), typeOnly: false }));
    return [...statics, ...dynamics];
  });
}

/** Groups of files that import each other in a circle (Tarjan's strongly connected components of two or more). */
export function importCircles(edges: readonly ImportEdge[]): string[][] {
  const next = new Map<string, string[]>();
  for (const { from, to } of edges) next.set(from, [...(next.get(from) ?? []), to]);
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const circles: string[][] = [];
  let counter = 0;
  const visit = (node: string) => {
    index.set(node, counter);
    low.set(node, counter);
    counter += 1;
    stack.push(node);
    onStack.add(node);
    for (const to of next.get(node) ?? []) {
      if (!index.has(to)) {
        visit(to);
        low.set(node, Math.min(low.get(node)!, low.get(to)!));
      } else if (onStack.has(to)) {
        low.set(node, Math.min(low.get(node)!, index.get(to)!));
      }
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1) circles.push(component.sort());
    }
  };
  for (const node of next.keys()) if (!index.has(node)) visit(node);
  return circles;
}
