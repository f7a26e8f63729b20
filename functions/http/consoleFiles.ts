import { extname, resolve, sep } from 'node:path';

/** What the built console holds, by extension; any other file is not served. */
export const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json; charset=utf-8',
  '.woff2': 'font/woff2',
};

/**
 * Pure: the file under `root` a request path names, or undefined when it names none we serve.
 * Only plain segments of letters, digits, `-`, `_` and `.` (no `..`, no dot files, no
 * backslashes or encoded separators — the route already decoded them), and the resolved path
 * must stay inside `root`: a path can never reach outside the built console.
 */
export function consoleFile(rootDir: string, path: string | undefined): string | undefined {
  const relative = path === undefined || path === '' ? 'index.html' : path;
  const segments = relative.split('/');
  if (segments.some((s) => !/^[A-Za-z0-9_-][A-Za-z0-9_.-]*$/.test(s) || s.includes('..'))) return undefined;
  if (!Object.hasOwn(CONTENT_TYPES, extname(relative))) return undefined;
  const file = resolve(rootDir, ...segments);
  return file.startsWith(rootDir.endsWith(sep) ? rootDir : rootDir + sep) ? file : undefined;
}

