import type { z } from 'zod';
import type { Access } from '../../shared/core/access/roles.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** A success answer of a route: what it means, and the body's schema (none for an empty body). */
export interface ApiResponseDescription {
  description: string;
  schema?: z.ZodType;
  /** The body's media type when it is not JSON (e.g. `text/event-stream`). */
  contentType?: string;
  /** Response headers worth naming (e.g. `location`). */
  headers?: Record<string, string>;
}

/** Error statuses a route may answer beyond those every admin route shares (400, 401, 403, 404, 413, 422, 500). */
export type ExtraErrorStatus = 409 | 429 | 503;

/**
 * What the API description says about one route. Every HTTP function declares one, so the
 * OpenAPI document is built from the same zod schemas the use cases parse with.
 */
export interface ApiOperation {
  /** The function name, used as the operation id. */
  name: string;
  method: HttpMethod;
  /** Route template below `/api`, e.g. `tenants/{tenantId}/shards/{shardId}`. */
  route: string;
  /** Who may call it: a role, `signature` (webhooks) or `anonymous`. */
  access: Access | 'signature' | 'anonymous';
  /** Groups operations in the document (the first segment after the tenant). */
  tag: string;
  summary: string;
  /** Longer prose: what the route does, whether a PUT replaces or merges, what it is idempotent under. */
  description?: string;
  query?: z.ZodObject;
  /** The request body's schema; absent when the route takes none. */
  body?: z.ZodType;
  /** A request body that is valid against `body`, shown in the document. */
  bodyExample?: unknown;
  maxBodyBytes: number;
  responses: Record<number, ApiResponseDescription>;
  /** Errors beyond the shared ones. */
  errors?: ExtraErrorStatus[];
}
