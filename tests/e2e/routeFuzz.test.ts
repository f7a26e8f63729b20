import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AdminClient } from '../../dev/adminClient.js';
import { apiClient } from './apiClient.js';
import { loadFunctionFiles, type LoadedFunction } from '../../dev/host/loadFunctions.js';
import { projectDir, startHostProcess, type HostProcess } from './hostProcess.js';
import { createMinimalTenant } from './minimalTenant.js';

/** Field names the API knows, so hostile values land where validation has to look at them. */
const KNOWN_FIELDS = ['name', 'settings', 'credentials', 'data', 'value', 'resolution', 'ids', 'streams', 'fields', 'role', 'cron', 'records', 'source', 'mode', 'filters'];
const QUERY_NAMES = ['since', 'until', 'limit', 'continuationToken', 'status', 'type', 'taskId', 'executionId', 'stream', 'linkedTo', 'rel', 'action', 'shardType'];

/** JSON text nested `depth` levels, objects and arrays in turn (built as text: too deep to stringify). */
const deepText = (depth: number): string => {
  let open = '';
  let close = '';
  for (let i = 0; i < depth; i++) {
    open += i % 2 === 0 ? '{"a":' : '[';
    close = (i % 2 === 0 ? '}' : ']') + close;
  }
  return `${open}1${close}`;
};

/** Bodies no route may accept: every object carries a field no schema knows, or a value over a limit. */
const hostileBody: fc.Arbitrary<string> = fc.oneof(
  fc.jsonValue().map((value) => JSON.stringify(value !== null && typeof value === 'object' && !Array.isArray(value) ? { ...value, '~fuzz': true } : value)),
  fc.tuple(fc.constantFrom(...KNOWN_FIELDS), fc.integer({ min: 65, max: 5000 })).map(([field, depth]) => `{"${field}":${deepText(depth)},"~fuzz":1}`),
  fc.integer({ min: 65, max: 20_000 }).map((depth) => `${'['.repeat(depth)}${']'.repeat(depth)}`),
  fc.tuple(fc.constantFrom(...KNOWN_FIELDS), fc.integer({ min: 200_001, max: 400_000 })).map(([field, length]) => JSON.stringify({ [field]: 'x'.repeat(length), '~fuzz': 1 })),
  fc.constantFrom('{not json', '[1,', '{"a":}', '"unterminated', 'nul', '{"a":1}{"b":2}', '\u0000'),
  fc.string({ maxLength: 50 }).map((text) => `{"${text.replace(/["\\]/g, '')}":`),
);
const hostileQuery: fc.Arbitrary<string> = fc
  .array(fc.tuple(fc.constantFrom(...QUERY_NAMES), fc.oneof(fc.string({ maxLength: 40 }), fc.constantFrom('-1', '0', '1e999', 'NaN', '2026-13-45', 'yesterday', '%00', 'x'.repeat(5000)))), { minLength: 1, maxLength: 4 })
  .map((pairs) => pairs.map(([name, value]) => `${name}=${encodeURIComponent(value)}`).join('&'));

/**
 * Every registered route, fed arbitrary JSON, deep nesting, huge strings and bad query values by an
 * admin: only ever a 4xx (a read may also answer 200), never a 500, and the database is exactly as
 * it was.
 */
describe('fuzzing every route', () => {
  let host: HostProcess;
  let api: AdminClient;
  let dataDir: string;
  let routes: LoadedFunction[];

  const databaseState = () => {
    const db = new Database(join(dataDir, 'shardsync.db'), { readonly: true });
    try {
      return {
        docs: db.prepare('SELECT container, tenant_id, id, etag FROM docs ORDER BY container, tenant_id, id').all(),
        messages: db.prepare('SELECT count(*) AS n FROM messages').get(),
      };
    } finally {
      db.close();
    }
  };

  beforeAll(async () => {
    routes = (await loadFunctionFiles(projectDir, { ...process.env })).functions.filter((fn) => fn.trigger === 'httpTrigger');
    dataDir = await mkdtemp(join(tmpdir(), 'shardsync-fuzz-'));
    host = await startHostProcess({ SHARDSYNC_DATA_DIR: dataDir });
    api = apiClient(host.url, host.adminKey);
    await createMinimalTenant(api);
  });
  afterAll(async () => {
    await host?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('only 4xx answers, and nothing is written', async () => {
    expect(routes.length).toBeGreaterThan(40);
    const before = databaseState();
    expect(before.docs.length).toBeGreaterThan(3);
    const seen = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...routes),
        fc.constantFrom('acme', 'ghost'),
        fc.constantFrom('x1', 'shop', 'sync', 'customers', 'a%2Fb', 'é'),
        hostileBody,
        hostileQuery,
        async (fn, tenantId, id, body, query) => {
          const method = fn.methods![0]!;
          const path = `${fn.route!.replace('{tenantId}', tenantId).replace(/\{(\w+)\}/g, id)}?${query}`;
          const response = await api.request(method, path, method === 'GET' ? undefined : body);
          seen.set(response.status, (seen.get(response.status) ?? 0) + 1);
          const allowed = method === 'GET' ? response.status === 200 || (response.status >= 400 && response.status < 500) : response.status >= 400 && response.status < 500;
          expect(allowed, `${method} ${path.slice(0, 200)} with ${body.slice(0, 200)} answered ${response.status}: ${JSON.stringify(response.body).slice(0, 300)}`).toBe(true);
          if (response.status >= 400) expect(response.body.error?.code, path.slice(0, 200)).toEqual(expect.any(String));
        },
      ),
      { numRuns: 600 },
    );
    expect(databaseState()).toEqual(before);
    expect([...seen.keys()].some((status) => status >= 400)).toBe(true);
  });
});
