import type { HttpHandler, HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { getRuntime } from '../../shared/runtime.js';
import type { SyncDeps } from '../../shared/sync/syncDeps.js';
import { errorResponse, json } from './apiResponses.js';
import { inSpan } from '../../shared/observability/invocationSpan.js';
import { httpInvocation } from '../../shared/observability/functionInvocations.js';

/**
 * Adapts a use-case call to an HTTP function: the runtime's dependencies in, every known error
 * mapped to its 4xx, anything else a bodyless 500. If the runtime cannot be built (settings,
 * an unreachable store) the answer is a 503 and the reason goes to the log, not the client.
 * Each request is a server span; what it publishes carries the span on to the queues.
 */
export function httpEndpoint(
  run: (deps: SyncDeps, request: HttpRequest, context: InvocationContext) => Promise<HttpResponseInit>,
): HttpHandler {
  return async (request, context) => {
    let deps: SyncDeps;
    try {
      ({ deps } = await getRuntime());
    } catch (error) {
      context.error('the app could not start:', error instanceof Error ? error.message : String(error));
      return json(503, { error: { code: 'unavailable', message: 'the service is not configured correctly; see the server log' } });
    }
    const span = httpInvocation(context.functionName, request.method, (name) => request.headers.get(name), request.params.tenantId);
    return inSpan(span, async (active) => {
      let response: HttpResponseInit;
      try {
        response = await run(deps, request, context);
      } catch (error) {
        response = errorResponse(error, deps.log);
      }
      active.setAttribute('http.response.status_code', response.status ?? 200);
      return response;
    });
  };
}
