import { z } from 'zod';
import { authSpec } from './authSpec.js';
import { errorSpec } from './errorSpec.js';
import { streamSpec } from './streamSpec.js';
import { pagingOf } from './paginatorSpec.js';
import { webhookSpec } from './webhookSpec.js';
import { templateNames } from './urlTemplate.js';

const headerName = z.string().regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,100}$/, 'must be an HTTP header name');
/** Headers the engine sets itself or that would change how the request is framed. */
const reservedHeaders = new Set(['authorization', 'host', 'content-length', 'transfer-encoding', 'connection', 'content-type', 'cookie']);

/**
 * The parts the checks across streams read. They run whenever these are well formed, so a save
 * with a bad paginator also hears about a bad `dependsOn`: every problem is listed at once.
 */
const crossChecked = z.object({
  streams: z.array(
    z.object({
      name: z.string(),
      path: z.string(),
      dependsOn: z.array(z.string()),
      writes: z.object({ create: z.object({ path: z.string() }).optional(), update: z.object({ path: z.string(), idInBody: z.string().optional() }).optional() }).optional(),
    }),
  ),
  connectionTest: z.object({ stream: z.string() }).optional(),
});

/**
 * A connector as data: where the API is, how it authenticates, how each stream is listed, paged,
 * filtered by modified time and written, what its errors mean and how its webhooks are signed.
 * Built-in providers are such a spec plus code hooks where one is needed; a `generic-rest`
 * connection carries one defined by the tenant.
 */
export const connectorSpec = z
  .strictObject({
    title: z.string().min(1).max(100).describe('How messages name the provider, e.g. `Acme CRM`.'),
    baseUrl: z
      .string()
      .max(2000)
      .describe('Root the stream paths are relative to; `{name}` is filled from the connection\'s settings, e.g. `{baseUrl}/wp-json/wc/v3/`.'),
    auth: authSpec,
    headers: z
      .record(headerName, z.string().max(1000))
      .refine((headers) => Object.keys(headers).every((name) => !reservedHeaders.has(name.toLowerCase())), 'must not set Authorization, Host, Cookie or framing headers')
      .optional()
      .describe('Sent with every request, e.g. `{"Accept": "application/vnd.acme+json"}`.'),
    query: z
      .record(z.string().regex(/^[\w.[\]-]{1,100}$/, 'must be a query parameter name'), z.string().max(500))
      .optional()
      .describe('Sent with every request, e.g. `{"minorversion": "75"}` (a request\'s own parameters win).'),
    maxPageSize: z.number().int().min(1).max(10_000).describe('The most records the API serves per page.'),
    maxConcurrentCalls: z
      .number()
      .int()
      .min(1)
      .max(1000)
      .optional()
      .describe('Calls one process sends at once (QuickBooks: 10 per company); the rest wait for a free connection.'),
    rateLimitHeaders: z
      .boolean()
      .default(true)
      .describe('Read RateLimit-*, X-RateLimit-* and similar headers, so every worker slows down before the provider answers 429.'),
    errors: errorSpec.default({ rules: [] }),
    connectionTest: z
      .strictObject({ stream: z.string(), hint: z.string().max(200).optional().describe('Said when the answer is not a list, e.g. "is baseUrl the store\'s root?".') })
      .optional()
      .describe('The stream whose first record a connection test reads; default the first stream.'),
    streams: z.array(streamSpec).min(1).max(50),
    webhooks: webhookSpec.optional(),
  })
  .superRefine((spec, context) => {
    const names = spec.streams.map((stream) => stream.name);
    spec.streams.forEach((stream, index) => {
      if (names.indexOf(stream.name) !== index) context.addIssue({ code: 'custom', path: ['streams', index, 'name'], message: `"${stream.name}" is named twice` });
      stream.dependsOn.forEach((other, at) => {
        if (!names.includes(other) || other === stream.name) {
          context.addIssue({ code: 'custom', path: ['streams', index, 'dependsOn', at], message: `must name another stream of this spec, not "${other}"` });
        }
      });
      if ('resultCeiling' in stream.paginator && stream.paginator.resultCeiling !== undefined && !stream.incremental) {
        context.addIssue({ code: 'custom', path: ['streams', index, 'incremental'], message: 'is required with paginator.resultCeiling: each window is a query from the last modified time seen' });
      }
      if (stream.changeFeed && !stream.incremental) {
        context.addIssue({ code: 'custom', path: ['streams', index, 'incremental'], message: 'is required with changeFeed: it names the feed\'s since parameter and its format' });
      }
      if (stream.changeFeed && pagingOf(stream.paginator) !== 'chained') {
        context.addIssue({ code: 'custom', path: ['streams', index, 'changeFeed'], message: 'needs a chained paginator: a full answer of the feed is followed by another' });
      }
      if (stream.syncToken && pagingOf(stream.paginator) !== 'chained') {
        context.addIssue({ code: 'custom', path: ['streams', index, 'syncToken'], message: 'needs a chained paginator (a cursor, next URL or Link header): the token comes with the last page' });
      }
      const writes = stream.writes;
      if (writes?.update && !templateNames(writes.update.path).includes('id') && writes.update.idInBody === undefined) {
        context.addIssue({ code: 'custom', path: ['streams', index, 'writes', 'update', 'path'], message: 'must contain `{id}` (or name the body field in `idInBody`)' });
      }
      for (const [key, template] of [['path', stream.path], ['writes.create.path', writes?.create?.path]] as const) {
        if (template && templateNames(template).length > 0) {
          context.addIssue({ code: 'custom', path: ['streams', index, ...key.split('.')], message: 'must not contain placeholders' });
        }
      }
    });
    const cycle = dependencyCycle(spec.streams.map((stream) => [stream.name, stream.dependsOn] as const));
    if (cycle) context.addIssue({ code: 'custom', path: ['streams'], message: `dependsOn goes round in a circle: ${cycle.join(' → ')}` });
    if (spec.connectionTest && !names.includes(spec.connectionTest.stream)) {
      context.addIssue({ code: 'custom', path: ['connectionTest', 'stream'], message: `must name a stream of this spec, not "${spec.connectionTest.stream}"` });
    }
  }, { when: (payload) => crossChecked.safeParse(payload.value).success })
  .meta({ id: 'ConnectorSpec' });
export type ConnectorSpec = z.output<typeof connectorSpec>;
export type ConnectorSpecInput = z.input<typeof connectorSpec>;

function dependencyCycle(edges: ReadonlyArray<readonly [string, readonly string[]]>): string[] | undefined {
  const next = new Map(edges);
  const done = new Set<string>();
  const visit = (name: string, path: string[]): string[] | undefined => {
    if (path.includes(name)) return [...path.slice(path.indexOf(name)), name];
    if (done.has(name)) return undefined;
    for (const other of next.get(name) ?? []) {
      const found = visit(other, [...path, name]);
      if (found) return found;
    }
    done.add(name);
    return undefined;
  };
  for (const [name] of edges) {
    const found = visit(name, []);
    if (found) return found;
  }
  return undefined;
}
