import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { openApiPath } from '../../dev/openApiFile.js';
import { projectDir } from '../e2e/hostProcess.js';

type Json = Record<string, any>;

interface CurlRequest {
  line: string;
  method: string;
  path: string;
  query: URLSearchParams;
  body?: unknown;
}

/** Every `curl` command in the README's shell blocks (continuation lines joined). */
function curlRequests(readme: string): CurlRequest[] {
  const blocks = [...readme.matchAll(/```sh\n([\s\S]*?)```/g)].map(([, block]) => block!.replace(/\\\n\s*/g, ' '));
  return blocks
    .flatMap((block) => block.split('\n'))
    .filter((line) => line.startsWith('curl '))
    .map((line) => {
      const address = /\s["']?(localhost:\d+\/api\/[^\s"']+)/.exec(line);
      if (!address) throw new Error(`no localhost:<port>/api/… address in: ${line}`);
      const url = new URL(`http://${address[1]}`);
      const data = /\s-d '([^']*)'/.exec(line)?.[1];
      const method = /-X (\w+)/.exec(line)?.[1] ?? (data === undefined ? 'GET' : 'POST');
      return { line, method, path: url.pathname.replace(/^\/api\//, ''), query: url.searchParams, ...(data === undefined ? {} : { body: JSON.parse(data) }) };
    });
}

describe("the README's request examples", () => {
  const document = JSON.parse(readFileSync(openApiPath(projectDir), 'utf8')) as Json;
  const requests = curlRequests(readFileSync(join(projectDir, 'README.md'), 'utf8'));
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats.default(ajv);
  ajv.addSchema({ ...document, $id: 'openapi.json' });
  const routes = Object.entries(document.paths as Json).map(([route, item]) => ({
    route,
    item: item as Json,
    pattern: new RegExp(`^${route.slice(1).replace(/\{\w+\}/g, '[^/]+')}$`),
    literal: route.replace(/\{\w+\}/g, '').length,
  }));
  routes.sort((a, b) => b.literal - a.literal);

  it('are there to check: the README shows requests of many routes', () => {
    expect(requests.length).toBeGreaterThan(12);
    expect(new Set(requests.map((request) => request.method))).toEqual(new Set(['GET', 'POST', 'PUT', 'PATCH']));
  });

  it('each name a route and method the API has, with query parameters it takes, and a body its schema accepts', () => {
    expect(requests.length).toBeGreaterThan(0);
    for (const request of requests) {
      const route = routes.find((candidate) => candidate.pattern.test(request.path));
      expect(route, `no route for ${request.line}`).toBeDefined();
      const method = request.method.toLowerCase();
      const operation = route!.item[method] as Json | undefined;
      expect(operation, `no ${request.method} ${route!.route} for ${request.line}`).toBeDefined();
      const queryParameters = new Map(((operation!.parameters ?? []) as Json[]).filter((p) => p.in === 'query').map((p) => [p.name as string, p]));
      for (const [name, value] of request.query) {
        const parameter = queryParameters.get(name);
        expect(parameter, `${operation!.operationId} takes no query parameter "${name}" (${request.line})`).toBeDefined();
        const pointer = `#/paths/${route!.route.replace(/~/g, '~0').replace(/\//g, '~1')}/${method}/parameters/${(operation!.parameters as Json[]).indexOf(parameter!)}/schema`;
        const typed = parameter!.schema.type === 'number' || parameter!.schema.type === 'integer' ? Number(value) : value === 'true' || value === 'false' ? value === 'true' : value;
        const check = ajv.getSchema(`openapi.json${pointer}`)!;
        expect(check(typed) || check(value), `${name}=${value}: ${JSON.stringify(check.errors)} (${request.line})`).toBe(true);
      }
      if (request.body === undefined) {
        expect(operation!.requestBody, `${operation!.operationId} needs a body (${request.line})`).toBeUndefined();
        continue;
      }
      expect(operation!.requestBody, `${operation!.operationId} takes no body (${request.line})`).toBeDefined();
      const pointer = `#/paths/${route!.route.replace(/~/g, '~0').replace(/\//g, '~1')}/${method}/requestBody/content/application~1json/schema`;
      const check = ajv.getSchema(`openapi.json${pointer}`)!;
      expect(check(request.body), `${request.line}\n${JSON.stringify(check.errors, null, 1)}`).toBe(true);
    }
  });
});
