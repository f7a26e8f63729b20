import { app, type HttpRequest, type HttpResponseInit } from '@azure/functions';
import { z } from 'zod';
import type { Access } from '../../shared/core/access/roles.js';
import type { SyncDeps } from '../../shared/sync/syncDeps.js';
import { authenticate } from '../../shared/sync/access/authenticate.js';
import { authorize, type OperatorActor } from '../../shared/sync/access/authorize.js';
import { parseInput } from '../../shared/sync/parseInput.js';
import { httpEndpoint } from './httpEndpoint.js';
import { BODY_LIMITS } from './bodyLimits.js';
import { readJsonBody } from './requestBody.js';
import { queryParams, routeParam } from './requestInput.js';
import type { ApiResponseDescription, ExtraErrorStatus, HttpMethod } from './apiOperation.js';
import { describeOperation } from './apiCatalog.js';

/** What a handler of an admin route gets once the caller is authenticated and allowed. */
export interface AdminRequest {
  deps: SyncDeps;
  request: HttpRequest;
  tenantId: string;
  /** The authenticated caller, as the audit log names it. */
  actor: OperatorActor;
  /** The JSON body (routes with a `body` schema), read within the route's limit. */
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
  /** One line for the API description. */
  summary: string;
  /** What else a caller must know: whether a PUT replaces or merges, what makes a repeat harmless. */
  description?: string;
  /**
   * The body's schema (the one the use case parses with): the handler gets the parsed JSON. Without
   * one, a body, if sent, must be empty or `{}`.
   */
  body?: z.ZodType;
  bodyExample?: unknown;
  /** The query's schema, for routes that take parameters (the use case parses with it). */
  query?: z.ZodObject;
  /** Success answers by status. */
  responses: Record<number, ApiResponseDescription>;
  /** Errors beyond those every admin route may answer. */
  errors?: ExtraErrorStatus[];
  /** Defaults to BODY_LIMITS.admin with a body, BODY_LIMITS.none without. */
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
  const maxBodyBytes = options.maxBodyBytes ?? (options.body ? BODY_LIMITS.admin : BODY_LIMITS.none);
  describeOperation({
    name,
    method: options.method,
    route: options.route,
    access: options.access,
    tag: tagOf(options.route),
    summary: options.summary,
    maxBodyBytes,
    responses: options.responses,
    ...(options.description === undefined ? {} : { description: options.description }),
    ...(options.body === undefined ? {} : { body: options.body }),
    ...(options.bodyExample === undefined ? {} : { bodyExample: options.bodyExample }),
    ...(options.query === undefined ? {} : { query: options.query }),
    ...(options.errors === undefined ? {} : { errors: options.errors }),
  });
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
      if (!options.body) parseInput(noFields, parsed);
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

/** The resource a route is about: `tenants/{tenantId}/shards/{shardId}` → `shards`. */
const tagOf = (route: string): string => route.split('/')[2] ?? 'tenants';
