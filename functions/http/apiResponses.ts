import type { HttpResponseInit } from '@azure/functions';
import { StoreError } from '../../shared/ports/storeError.js';
import { InvalidInputError } from '../../shared/sync/invalidInputError.js';
import { MalformedRequestError } from '../../shared/sync/malformedRequestError.js';
import { StateConflictError } from '../../shared/sync/stateConflictError.js';
import { TooManyRequestsError } from '../../shared/sync/tooManyRequestsError.js';
import { UnknownResourceError } from '../../shared/sync/unknownResourceError.js';
import type { Logger } from '../../shared/sync/syncDeps.js';
import { UnauthenticatedError } from '../../shared/sync/access/unauthenticatedError.js';
import { ForbiddenError } from '../../shared/sync/access/forbiddenError.js';
import { PayloadTooLargeError } from './payloadTooLargeError.js';

/**
 * Strips store bookkeeping (`_etag`, `_ts`, `ttl`) from a document shown to API clients, or from
 * each document of a listing's `items`. Nested data is left alone: it is the tenant's.
 */
export function publicView<T>(value: T): T {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const result: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    if (key === '_etag' || key === '_ts' || key === 'ttl') continue;
    result[key] = key === 'items' && Array.isArray(inner) ? inner.map(publicView) : inner;
  }
  return result as T;
}

export const json = (status: number, body: unknown, headers: Record<string, string> = {}): HttpResponseInit => ({
  status,
  jsonBody: publicView(body),
  headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
});

/**
 * Maps an error to the API's machine-readable error body:
 * `{ error: { code, message, issues?: [{ path, message }], resource?, id? } }`.
 * Anything unexpected is a 500 whose body carries no detail (details go to the log).
 */
export function errorResponse(error: unknown, log: Logger): HttpResponseInit {
  if (error instanceof UnauthenticatedError) {
    return json(401, { error: { code: 'unauthenticated', message: error.message } }, { 'www-authenticate': 'Bearer' });
  }
  if (error instanceof ForbiddenError) return json(403, { error: { code: 'forbidden', message: error.message } });
  if (error instanceof PayloadTooLargeError) {
    return json(413, { error: { code: 'payload_too_large', message: error.message, limitBytes: error.limitBytes } });
  }
  if (error instanceof InvalidInputError) {
    return json(422, { error: { code: 'validation_failed', message: error.message, issues: error.issues } });
  }
  if (error instanceof MalformedRequestError) {
    return json(400, { error: { code: 'bad_request', message: error.message, issues: [{ path: error.path, message: error.message }] } });
  }
  if (error instanceof UnknownResourceError) {
    return json(404, { error: { code: 'not_found', message: error.message, resource: error.resource, id: error.resourceId } });
  }
  if (error instanceof TooManyRequestsError) {
    return json(429, { error: { code: 'rate_limited', message: error.message, retryAfterSeconds: error.retryAfterSeconds } }, {
      'retry-after': String(error.retryAfterSeconds),
    });
  }
  if (error instanceof StateConflictError) {
    return json(409, { error: { code: 'invalid_state', message: error.message, current: error.currentState } });
  }
  if (error instanceof StoreError && error.statusCode < 500) {
    return json(error.statusCode, { error: { code: error.statusCode === 409 ? 'conflict' : 'request_failed', message: error.message } });
  }
  log.error('unhandled error in an HTTP function', { error: error instanceof Error ? error.message : String(error) });
  return json(500, { error: { code: 'internal', message: 'internal error; see the server log' } });
}
