import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { openApiPath } from '../../dev/openApiFile.js';
import { ApiConformance } from './apiConformance.js';
import { projectDir } from './hostProcess.js';

/** The check every e2e answer goes through must be able to fail: these answers are wrong on purpose. */
describe('checking answers against docs/openapi.json', () => {
  const conformance = new ApiConformance(JSON.parse(readFileSync(openApiPath(projectDir), 'utf8')));
  const failure = {
    id: 'f1',
    tenantId: 'acme',
    executionId: 'exe_1',
    stage: 'transform',
    errorClass: 'ValidationError',
    message: '"email" is required',
    attempts: 1,
    status: 'open',
    createdAt: '2026-12-07T00:00:00.000Z',
  };

  it('accepts an answer with the documented shape and status', () => {
    expect(conformance.check({ method: 'GET', path: 'tenants/acme/failures/f1', status: 200, body: failure })).toEqual({ verdict: 'conforms' });
    expect(
      conformance.check({ method: 'GET', path: 'tenants/acme/failures/f1', status: 404, body: { error: { code: 'not_found', message: 'no failure f1', resource: 'failure', id: 'f1' } } }),
    ).toEqual({ verdict: 'conforms' });
  });

  it('refuses a missing field, an undocumented field, a wrong type and an undocumented status', () => {
    const { message: _message, ...withoutMessage } = failure;
    const cases = [
      { body: withoutMessage, status: 200, problem: /must have required property 'message'/ },
      { body: { ...failure, secretRef: 'x' }, status: 200, problem: /must NOT have additional properties.*secretRef/ },
      { body: { ...failure, attempts: 'one' }, status: 200, problem: /\/attempts must be integer/ },
      { body: failure, status: 418, problem: /status 418 is not documented/ },
      { body: { error: { code: 'oops', message: 'x' } }, status: 404, problem: /\/error\/code must be equal to one of the allowed values/ },
    ];
    for (const { body, status, problem } of cases) {
      const result = conformance.check({ method: 'GET', path: 'tenants/acme/failures/f1', status, body });
      expect(result.verdict).toBe('violates');
      expect(result.verdict === 'violates' && result.problems.join('\n')).toMatch(problem);
    }
  });

  it('matches literal segments before parameters, and leaves routes the API does not have to the host', () => {
    const retried = conformance.check({ method: 'POST', path: 'tenants/acme/failures/retry', status: 202, body: failure });
    expect(retried.verdict === 'violates' && retried.operationId).toBe('retryFailures');
    expect(conformance.check({ method: 'GET', path: 'tenants/acme/nothing-here', status: 404, body: '' })).toEqual({ verdict: 'not_described' });
    expect(conformance.check({ method: 'DELETE', path: 'tenants/acme/failures/f1', status: 404, body: '' })).toEqual({ verdict: 'not_described' });
  });
});
