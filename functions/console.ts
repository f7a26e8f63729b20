import { readFile } from 'node:fs/promises';
import { extname, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, type HttpRequest } from '@azure/functions';
import { json } from './http/apiResponses.js';
import { BODY_LIMITS } from './http/bodyLimits.js';
import { errorBody } from './http/errorBody.js';
import { CONTENT_TYPES, consoleFile } from './http/consoleFiles.js';
import { describeOperation } from './http/apiCatalog.js';

const route = 'console/{*path}';

/** The built console (`npm run build:console` writes it next to the compiled functions: dist/console). */
const root = fileURLToPath(new URL('../console/', import.meta.url));

/**
 * Security headers for every answer. The console only talks to its own origin's API, so the
 * policy allows nothing else; `frame-ancestors` keeps it out of other sites' frames.
 */
const HEADERS = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'content-security-policy': "default-src 'self'; img-src 'self' data:; style-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
};

/** The API's error shape, so a client of any route reads a 404 the same way. */
const notFound = () => json(404, { error: { code: 'not_found', message: 'No such file in the console.' } }, HEADERS);

/**
 * The web console: static files, anonymous because they hold no tenant data — every API call the
 * console makes carries the operator's own credentials and is checked by that route.
 */
const consoleRoute = {
  route,
  methods: ['GET' as const],
  authLevel: 'anonymous' as const,
  shardsyncAccess: 'anonymous',
  shardsyncMaxBodyBytes: BODY_LIMITS.none,
  handler: async (request: HttpRequest) => {
    // The page's asset links are relative (`./assets/…`): `/api/console` must become `/api/console/`.
    const pathname = new URL(request.url).pathname;
    if (request.params.path === undefined && !pathname.endsWith('/')) {
      return { status: 308, headers: { ...HEADERS, location: `${pathname}/` } };
    }
    const file = consoleFile(root, request.params.path);
    if (!file) return notFound();
    let body: Buffer;
    try {
      body = await readFile(file);
    } catch {
      return notFound();
    }
    // Vite names built assets by content hash (assets/index-3f9a.js): those never change. The page
    // itself must be fetched again so a new build's asset names are picked up.
    const immutable = file.includes(`${sep}assets${sep}`);
    return {
      status: 200,
      headers: {
        ...HEADERS,
        'content-type': CONTENT_TYPES[extname(file)]!,
        'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
      },
      body,
    };
  },
};
app.http('console', consoleRoute);

describeOperation({
  name: 'console',
  method: 'GET',
  route,
  access: 'anonymous',
  tag: 'console',
  summary: 'The web console: its page and built assets (static, no tenant data)',
  description: 'Open `/api/console/` in a browser. The console asks for an API key and calls this API with it; the files themselves are public.',
  maxBodyBytes: BODY_LIMITS.none,
  responses: { 200: { description: 'The file, with its content type; hashed assets are cached for a year.' }, 404: { description: 'No such file.', schema: errorBody } },
});
