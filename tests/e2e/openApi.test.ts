import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileErrors, validate } from '@readme/openapi-parser';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { loadFunctionFiles } from '../../dev/host/loadFunctions.js';
import { openApiPath, renderOpenApi } from '../../dev/openApiFile.js';
import { apiClient } from './apiClient.js';
import { projectDir, startHostProcess, type HostProcess } from './hostProcess.js';

type Json = Record<string, any>;

describe('the API description (GET /api/openapi.json)', () => {
  let host: HostProcess;
  let document: Json;

  beforeAll(async () => {
    host = await startHostProcess({});
    const response = await apiClient(host.url).request('GET', 'openapi.json');
    expect(response.status).toBe(200);
    document = response.body;
  });
  afterAll(() => host?.stop());

  it('is served to anyone and is a valid OpenAPI 3.1 document', async () => {
    expect(document.openapi).toBe('3.1.0');
    const result = await validate(structuredClone(document) as Parameters<typeof validate>[0]);
    expect(result.valid ? '' : compileErrors(result)).toBe('');
    expect(result.warnings).toEqual([]);
  });

  it('describes every registered HTTP route with its method, and nothing else', async () => {
    const loaded = await loadFunctionFiles(projectDir, { ...process.env });
    const registered = loaded.functions
      .filter((f) => f.trigger === 'httpTrigger')
      .flatMap((f) => f.methods!.map((method) => `${method} /${f.route!.replace(/\{\*(\w+)\}/g, '{$1}')}`)) // a catch-all is `{name}` in OpenAPI
      .sort();
    expect(registered.length).toBeGreaterThan(50);
    const described = Object.entries(document.paths as Json)
      .flatMap(([path, item]) => Object.keys(item as Json).map((method) => `${method.toUpperCase()} ${path}`))
      .sort();
    expect(described).toEqual(registered);
  });

  it('gives every operation an id, a summary, its access, and its error shape', () => {
    const operations = Object.values(document.paths as Json).flatMap((item) => Object.values(item as Json)) as Json[];
    expect(operations.length).toBeGreaterThan(50);
    expect(operations.filter((operation) => ['read', 'operate', 'admin'].includes(operation['x-shardsync-access'])).length).toBeGreaterThan(40);
    for (const operation of operations) {
      expect(operation.operationId, JSON.stringify(operation).slice(0, 200)).toEqual(expect.any(String));
      expect(operation.summary.length, operation.operationId).toBeGreaterThan(10);
      expect(['read', 'operate', 'admin', 'signature', 'anonymous'], operation.operationId).toContain(operation['x-shardsync-access']);
      if (['read', 'operate', 'admin'].includes(operation['x-shardsync-access'])) {
        for (const status of ['401', '403', '404', '422']) {
          expect(operation.responses[status]?.content['application/json'].schema, `${operation.operationId} ${status}`).toEqual({ $ref: '#/components/schemas/Error' });
        }
      }
    }
  });

  it('says for every PUT whether it replaces or merges', () => {
    const puts = Object.values(document.paths as Json).flatMap((item) => ((item as Json).put ? [(item as Json).put] : [])) as Json[];
    expect(puts.length).toBeGreaterThan(5);
    for (const put of puts) expect(put.description, put.operationId).toMatch(/replace|merge/i);
  });

  it('has request examples that its own schemas accept', () => {
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats.default(ajv);
    ajv.addSchema({ ...document, $id: 'openapi.json' });
    const withBodies = Object.entries(document.paths as Json).flatMap(([path, item]) =>
      Object.entries(item as Json)
        .filter(([, operation]) => (operation as Json).requestBody)
        .map(([method, operation]) => ({ path, method, operation: operation as Json })),
    );
    expect(withBodies.length).toBeGreaterThan(15);
    for (const { path, method, operation } of withBodies) {
      const media = operation.requestBody.content['application/json'];
      expect(media.example, `${operation.operationId} has no example`).toBeDefined();
      const pointer = `#/paths/${path.replace(/~/g, '~0').replace(/\//g, '~1')}/${method}/requestBody/content/application~1json/schema`;
      const check = ajv.getSchema(`openapi.json${pointer}`)!;
      expect(check(media.example), `${operation.operationId}: ${JSON.stringify(check.errors)}`).toBe(true);
    }
  });

  it('has response examples that their own schemas accept', () => {
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats.default(ajv);
    ajv.addSchema({ ...document, $id: 'openapi.json' });
    const withExamples = Object.entries(document.components.schemas as Json).filter(([, schema]) => Array.isArray((schema as Json).examples));
    expect(withExamples.map(([name]) => name)).toEqual(expect.arrayContaining(['Error', 'Execution', 'Failure', 'Shard', 'RetryResult', 'ConnectionTestResult']));
    for (const [name, schema] of withExamples) {
      const check = ajv.getSchema(`openapi.json#/components/schemas/${name}`)!;
      for (const example of (schema as Json).examples) expect(check(example), `${name}: ${JSON.stringify(check.errors)}`).toBe(true);
    }
  });

  it('is the same as the committed docs/openapi.json (run `npm run openapi` after changing a route or schema)', async () => {
    expect(readFileSync(openApiPath(projectDir), 'utf8')).toBe(await renderOpenApi(projectDir));
    expect(JSON.parse(readFileSync(openApiPath(projectDir), 'utf8'))).toEqual(document);
  });
});
