import { readFileSync } from 'node:fs';
import { AdminClient, type ApiExchange } from '../../dev/adminClient.js';
import { openApiPath } from '../../dev/openApiFile.js';
import { ApiConformance } from './apiConformance.js';
import { projectDir } from './hostProcess.js';

let conformance: ApiConformance | undefined;

/** Fails the request (and so the test) when an answer is not what docs/openapi.json says it is. */
function checkAgainstDocument(exchange: ApiExchange): void {
  conformance ??= new ApiConformance(JSON.parse(readFileSync(openApiPath(projectDir), 'utf8')));
  const result = conformance.check(exchange);
  if (result.verdict === 'violates') {
    throw new Error(
      `${exchange.method} ${exchange.path} → ${exchange.status} does not conform to ${result.operationId} in docs/openapi.json:\n  ${result.problems.join('\n  ')}\nbody: ${JSON.stringify(exchange.body).slice(0, 2000)}`,
    );
  }
}

/** The admin client of the e2e suite: every answer it gets is checked against the API description. */
export const apiClient = (baseUrl: string, key?: string): AdminClient => new AdminClient(baseUrl, key, checkAgainstDocument);
