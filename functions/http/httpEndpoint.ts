import type { HttpHandler, HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { getRuntime } from '../../shared/runtime.js';
import type { SyncDeps } from '../../shared/sync/syncDeps.js';
import { errorResponse } from './apiResponses.js';

/**
 * Adapts a use-case call to an HTTP function: the runtime's dependencies in, every known error
 * mapped to its 4xx, anything else a bodyless 500.
 */
export function httpEndpoint(
  run: (deps: SyncDeps, request: HttpRequest, context: InvocationContext) => Promise<HttpResponseInit>,
): HttpHandler {
  return async (request, context) => {
    const { deps } = getRuntime();
    try {
      return await run(deps, request, context);
    } catch (error) {
      return errorResponse(error, deps.log);
    }
  };
}
