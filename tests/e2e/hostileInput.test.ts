import { request as httpRequest } from 'node:http';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AdminClient } from '../../dev/adminClient.js';
import { apiClient } from './apiClient.js';
import { loadFunctionFiles, type LoadedFunction } from '../../dev/host/loadFunctions.js';
import { projectDir, startHostProcess, type HostProcess } from './hostProcess.js';
import { createMinimalTenant } from './minimalTenant.js';

const MiB = 1024 * 1024;

/** JSON nested `depth` levels: `{"a":{"a":…{}…}}`. */
const nested = (depth: number): string => `${'{"a":'.repeat(depth - 1)}{}${'}'.repeat(depth - 1)}`;

interface Upload {
  status: number;
  body: string;
  /** Bytes the client had written when the answer came. */
  written: number;
}

/**
 * Streams a body of `declared` bytes (or chunked, without a length) in 1 MiB chunks until the
 * server answers; stops writing at the answer, as a client would.
 */
function upload(url: string, path: string, options: { declared?: number; total: number; key?: string }): Promise<Upload> {
  return new Promise((resolve, reject) => {
    const target = new URL(`/api/${path}`, url);
    const req = httpRequest(target, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(options.declared !== undefined ? { 'content-length': String(options.declared) } : {}),
        ...(options.key ? { authorization: `Bearer ${options.key}` } : {}),
      },
    });
    let written = 0;
    let answered = false;
    const chunk = Buffer.alloc(MiB, 0x20);
    const pump = () => {
      while (!answered && written < options.total) {
        written += chunk.length;
        if (!req.write(chunk)) {
          req.once('drain', pump);
          return;
        }
      }
      if (!answered) req.end();
    };
    req.on('response', (res) => {
      answered = true;
      res.on('end', () => req.destroy());
      let body = '';
      res.on('data', (data: Buffer) => (body += data.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, written }));
      res.on('error', reject);
    });
    // The server closes the connection after a 413; writes after that fail, which is expected.
    req.on('error', (error) => (answered ? undefined : reject(error)));
    pump();
  });
}

async function rssMiB(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) / 1024;
}

describe('hostile input to the HTTP API', () => {
  let host: HostProcess;
  let api: AdminClient;
  let routes: LoadedFunction[];

  beforeAll(async () => {
    routes = (await loadFunctionFiles(projectDir, { ...process.env })).functions.filter((fn) => fn.trigger === 'httpTrigger' && fn.access !== 'anonymous' && fn.access !== 'signature');
    host = await startHostProcess({});
    api = apiClient(host.url, host.adminKey);
    await createMinimalTenant(api);
  });
  afterAll(async () => {
    await host?.stop();
  });

  it('a 600 MB body is refused with 413 by its Content-Length, before it is read', async () => {
    const answer = await upload(host.url, 'tenants/acme/schemas', { declared: 600 * MiB, total: 600 * MiB, key: host.adminKey });
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body)).toMatchObject({ error: { code: 'payload_too_large' } });
    expect(answer.written).toBeLessThan(64 * MiB);
  });

  it('a streamed body without a length is refused once it passes the route\'s limit', async () => {
    const answer = await upload(host.url, 'tenants/acme/schemas', { total: 100 * MiB, key: host.adminKey });
    expect(answer.status).toBe(413);
    expect(answer.written).toBeLessThan(64 * MiB);
  });

  it('six anonymous 256 MB webhooks at once neither get through nor grow the host\'s memory', async () => {
    const before = await rssMiB(host.child.pid!);
    const answers = await Promise.all(
      Array.from({ length: 6 }, () => upload(host.url, 'webhooks/acme/shop', { declared: 256 * MiB, total: 256 * MiB })),
    );
    expect(answers.map((answer) => answer.status)).toEqual([413, 413, 413, 413, 413, 413]);
    expect(await rssMiB(host.child.pid!)).toBeLessThan(before + 100);
  });

  it('a body nested deeper than 64 levels is refused (422 naming where) and nothing is stored', async () => {
    for (const depth of [1000, 3000, 5000]) {
      const response = await api.request('PATCH', 'tenants/acme/shards/shd_any', `{"data":${nested(depth)}}`);
      expect(response.status, `depth ${depth}`).toBe(422);
      expect(response.body.error.issues[0].message).toMatch(/nested deeper than 64 levels/);
      expect(response.body.error.issues[0].path).toMatch(/^data(\.a)+$/);
    }
    const custom = await api.request('POST', 'tenants/acme/conflicts/cfl_unknown/resolve', `{"resolution":"custom","value":${nested(2000)}}`);
    expect(custom.status).toBe(422);
    expect((await api.request('GET', 'tenants/acme/shards')).status).toBe(200);
    expect((await api.request('PUT', 'tenants/acme/schemas/deep', `{"shardType":"customer","fields":[{"from":"a","to":"b","transforms":[${nested(100)}]}]}`)).status).toBe(422);
    expect((await api.request('GET', 'tenants/acme/schemas/deep')).status).toBe(404);
  });

  it('every route that takes a body answers malformed JSON with 400 and fields it does not know with 422', async () => {
    const withBody = routes.filter((fn) => fn.methods![0] !== 'GET');
    expect(withBody.length).toBeGreaterThan(20);
    for (const fn of withBody) {
      const path = fn.route!.replace('{tenantId}', 'acme').replace(/\{(\w+)\}/g, 'x1');
      const malformed = await api.request(fn.methods![0]!, path, '{not json');
      expect(malformed.status, `${fn.name}`).toBe(400);
      expect(malformed.body.error.code).toBe('bad_request');
      const notUtf8 = await api.request(fn.methods![0]!, path, Buffer.from([0x7b, 0xff, 0xfe, 0x7d]));
      expect(notUtf8.status, `${fn.name}`).toBe(400);
    }
  });

  it('`{not json` does not pause a run', async () => {
    const { executionId } = await api.ok('POST', 'tenants/acme/tasks/sync/executions', {});
    const before = (await api.ok('GET', `tenants/acme/executions/${executionId}`)).status;
    const paused = await api.request('POST', `tenants/acme/executions/${executionId}/pause`, '{not json');
    expect(paused.status).toBe(400);
    const unknownField = await api.request('POST', `tenants/acme/executions/${executionId}/pause`, { reason: 'x' });
    expect(unknownField.status).toBe(422);
    expect(unknownField.body.error.issues).toEqual([{ path: 'reason', message: expect.any(String) }]);
    const after = await api.ok('GET', `tenants/acme/executions/${executionId}`);
    expect(after.status === 'paused').toBe(false);
    expect([before, 'failed', 'partial', 'success', 'running', 'queued']).toContain(after.status);
  });

  it('a connection base URL that does not parse is a 422 naming settings.baseUrl', async () => {
    for (const baseUrl of ['not a url', '', 'http:']) {
      const response = await api.request('PUT', 'tenants/acme/connections/odd', {
        provider: 'woocommerce',
        settings: { baseUrl },
        credentials: { consumerKey: 'ck_odd_key', consumerSecret: 'cs_odd_secret' },
      });
      expect(response.status, JSON.stringify(baseUrl)).toBe(422);
      expect(response.body.error.issues.map((issue: { path: string }) => issue.path)).toContain('settings.baseUrl');
    }
    expect((await api.request('GET', 'tenants/acme/connections/odd')).status).toBe(404);
  });

  it('a date query parameter that is not a date is a 422 on every list route that filters by time', async () => {
    // The list routes: the GETs whose API description takes query parameters (a single resource's GET takes none).
    const description = JSON.parse(await readFile(`${projectDir}/docs/openapi.json`, 'utf8')) as { paths: Record<string, { get?: { parameters?: Array<{ in: string }> } }> };
    const queried = (route: string) => description.paths[`/${route}`]?.get?.parameters?.some((parameter) => parameter.in === 'query') === true;
    const lists = routes.filter((fn) => fn.methods![0] === 'GET' && queried(fn.route!));
    expect(lists.length).toBeGreaterThan(8);
    for (const fn of lists) {
      const path = fn.route!.replace('{tenantId}', 'acme');
      for (const query of ['since=yesterday', 'until=2026-13-45', 'since=1e999']) {
        const response = await api.request('GET', `${path}?${query}`);
        expect(response.status, `${fn.name}?${query}`).toBe(422);
      }
    }
  });
});
