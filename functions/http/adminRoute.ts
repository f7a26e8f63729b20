import { app, type HttpRequest, type HttpResponseInit } from '@azure/functions';
import { z } from 'zod';
import type { Access } from '../../shared/core/access/roles.js';
import type { SyncDeps } from '../../shared/sync/syncDeps.js';
import { authenticate } from '../../shared/sync/access/authenticate.js';
import { authorize, type OperatorActor } from '../../shared/sync/access/authorize.js';
import { parseInput } from '../../shared/sync/zodIssues.js';
import { httpEndpoint } from './httpEndpoint.js';
import { BODY_LIMITS } from './bodyLimits.js';
import { readJsonBody } from './requestBody.js';
import { queryParams, routeParam } from './requestInput.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** What a handler of an admin route gets once the caller is authenticated and allowed. */
export interface AdminRequest {
  deps: SyncDeps;
  request: HttpRequest;
  tenantId: string;
  /** The authenticated caller, as the audit log names it. */
  actor: OperatorActor;
  /** The JSON body (routes with `body: 'json'`), read within the route's limit. */
  body: unknown;
  param(name: string): string;
  query: Record<string, string>;
}

export interface AdminRouteOptions {
  /** Under `tenants/{tenantId}/…`. */
  route: string;
  method: HttpMethod;
  /** The least role: `read` (Sync.Reader), `operate` (Sync.Operator), `admin` (Sync.Admin). */
  access: Access;
  /** `json`: the handler gets the parsed body; `none`: a body, if sent, must be empty or `{}`. */
  body: 'json' | 'none';
  /** Defaults to BODY_LIMITS.admin for `json`, BODY_LIMITS.none for `none`. */
  maxBodyBytes?: number;
  handler(request: AdminRequest): Promise<HttpResponseInit>;
}

/** Routes that take no fields still parse what they are sent: `{not json` is a 400, `{"x":1}` a 422. */
const noFields = z.strictObject({});

/**
 * Registers one admin API route. Before the handler runs: the caller is authenticated (401), may
 * do `access` for the path's tenant (403), and the body is read within its limit (413), parsed
 * (400) and no deeper than allowed (422). The route's access and body limit are also declared on
 * the trigger binding (`shardsyncAccess`, `shardsyncMaxBodyBytes`, which the Functions host
 * ignores), so the local host enforces the limit while the body streams in and tests can walk
 * every route with its access level.
 */
export function adminRoute(name: string, options: AdminRouteOptions): void {
  const maxBodyBytes = options.maxBodyBytes ?? (options.body === 'json' ? BODY_LIMITS.admin : BODY_LIMITS.none);
  const registration = {
    route: options.route,
    methods: [options.method],
    // The platform's function keys are not the gate: every caller authenticates in code.
    authLevel: 'anonymous' as const,
    shardsyncAccess: options.access,
    shardsyncMaxBodyBytes: maxBodyBytes,
    handler: httpEndpoint(async (deps, request) => {
      const principal = await authenticate(deps, request.headers);
      const tenantId = routeParam(request, 'tenantId');
      const actor = await authorize(deps, principal, options.access, tenantId);
      const parsed = await readJsonBody(request, maxBodyBytes);
      if (options.body === 'none') parseInput(noFields, parsed);
      return options.handler({
        deps,
        request,
        tenantId,
        actor,
        body: parsed,
        param: (param) => routeParam(request, param),
        query: queryParams(request),
      });
    }),
  };
  app.http(name, registration);
}
