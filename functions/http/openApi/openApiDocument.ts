import { z } from 'zod';
import type { ApiOperation, ExtraErrorStatus } from '../apiOperation.js';
import { errorBody } from '../errorBody.js';
import { resourceId } from '../../../shared/core/schemas/resourceId.js';
import { shardType } from '../../../shared/core/conversion/schema.js';
import { SchemaComponents } from './schemaComponents.js';

/** The admin API's version: it changes when a route or a shape changes incompatibly. */
export const API_VERSION = '0.2.0';

type Json = Record<string, unknown>;

/** The errors every admin route may answer: what each means here. */
const SHARED_ERRORS: Record<number, string> = {
  400: 'The body is not JSON (or not an object where one is expected).',
  401: 'No valid credentials: send `Authorization: Bearer <API key | Entra ID token | local admin key>`.',
  403: 'The credentials do not allow this route for this tenant (role or tenant).',
  404: 'The tenant, or the resource the path names, does not exist.',
  413: "The body is larger than the route's limit (`limitBytes`).",
  422: 'The request is not valid: `issues` lists every problem with its path (body fields, `query.<name>`, `path.<name>`).',
  500: 'Something unexpected failed; the body carries no detail (see the server log).',
  503: 'The app cannot reach its store or is not configured; the reason is in the server log.',
};

const EXTRA_ERRORS: Record<ExtraErrorStatus, string> = {
  409: 'The current state does not allow this (`current` says which), or the resource changed meanwhile.',
  429: 'Too many requests: try again after `Retry-After` seconds.',
  503: 'Unavailable.',
};

const ACCESS_TEXT: Record<ApiOperation['access'], string> = {
  read: 'Needs Sync.Reader (or a higher role) for the tenant.',
  operate: 'Needs Sync.Operator (or Sync.Admin) for the tenant.',
  admin: 'Needs Sync.Admin for the tenant.',
  signature: 'No credentials: the provider signature authenticates the delivery.',
  anonymous: 'No credentials.',
};

/** Path parameters that are not client-chosen resource ids. */
const PATH_PARAMETER_SCHEMAS: Record<string, z.ZodType> = { shardType };
const CATCH_ALL = z.string().describe('The rest of the path, slashes included');

/**
 * The OpenAPI 3.1 document of the routes described in `operations`, built from their zod schemas.
 * Pure: the same operations give the same document.
 */
export function buildOpenApiDocument(operations: readonly ApiOperation[]): Json {
  const components = new SchemaComponents();
  const errorRef = components.convert(errorBody, 'output');
  const paths: Record<string, Record<string, Json>> = {};
  const sorted = [...operations].sort((a, b) => a.route.localeCompare(b.route) || a.method.localeCompare(b.method));
  for (const operation of sorted) {
    // OpenAPI has no catch-all parameter: `{*path}` is written `{path}`, a value that may hold slashes.
    const path = `/${operation.route.replace(/\{\*(\w+)\}/g, '{$1}')}`;
    paths[path] ??= {};
    paths[path]![operation.method.toLowerCase()] = describe(operation, components, errorRef);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'shardsync admin API',
      version: API_VERSION,
      description:
        'Configure tenants, connections, conversion schemas and sync tasks; start, watch and steer executions; read shards, failures, conflicts and the audit log. ' +
        'Every error has one shape (`Error`). Lists page with `limit` and an opaque `continuationToken`; a query parameter a list does not take is a 422.',
    },
    servers: [{ url: '/api' }],
    security: [{ bearer: [] }],
    tags: [...new Set(sorted.map((operation) => operation.tag))].sort().map((name) => ({ name })),
    paths,
    components: {
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          description: 'A tenant API key (`ssk.…`), an Entra ID access token, or the local host\'s admin key (`ssa.…`, in `<data dir>/admin.key`).',
        },
      },
      schemas: components.schemas,
    },
  };
}

function describe(operation: ApiOperation, components: SchemaComponents, errorRef: Json): Json {
  const parameters = [...pathParameters(operation, components), ...queryParameters(operation, components)];
  const responses: Record<string, Json> = {};
  for (const [status, response] of Object.entries(operation.responses)) {
    responses[status] = {
      description: response.description,
      ...(response.headers ? { headers: Object.fromEntries(Object.entries(response.headers).map(([name, text]) => [name, { description: text, schema: { type: 'string' } }])) } : {}),
      ...(response.schema ? { content: { [response.contentType ?? 'application/json']: { schema: components.convert(response.schema, 'output') } } } : {}),
    };
  }
  const errors: Record<number, string> = isAdmin(operation) ? { ...SHARED_ERRORS } : {};
  for (const status of operation.errors ?? []) errors[status] = EXTRA_ERRORS[status];
  for (const [status, text] of Object.entries(errors)) {
    responses[status] ??= { description: text, content: { 'application/json': { schema: errorRef } } };
  }
  return {
    operationId: operation.name,
    tags: [operation.tag],
    summary: operation.summary,
    description: [operation.description, ACCESS_TEXT[operation.access], `Largest body: ${operation.maxBodyBytes} bytes.`].filter(Boolean).join('\n\n'),
    'x-shardsync-access': operation.access,
    ...(isAdmin(operation) ? {} : { security: [] }),
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(operation.body
      ? {
          requestBody: {
            required: true,
            content: {
              'application/json': {
                schema: components.convert(operation.body, 'input'),
                ...(operation.bodyExample === undefined ? {} : { example: operation.bodyExample }),
              },
            },
          },
        }
      : {}),
    responses,
  };
}

const isAdmin = (operation: ApiOperation): boolean => operation.access === 'read' || operation.access === 'operate' || operation.access === 'admin';

function pathParameters(operation: ApiOperation, components: SchemaComponents): Json[] {
  return [...operation.route.matchAll(/\{(\*?)(\w+)\}/g)].map(([, catchAll, name]) => ({
    name,
    in: 'path',
    required: true,
    schema: components.convert(catchAll ? CATCH_ALL : (PATH_PARAMETER_SCHEMAS[name!] ?? resourceId), 'input'),
  }));
}

function queryParameters(operation: ApiOperation, components: SchemaComponents): Json[] {
  if (!operation.query) return [];
  const object = components.convert(operation.query, 'input');
  const properties = (object.properties ?? {}) as Record<string, Json>;
  const required = new Set((object.required ?? []) as string[]);
  return Object.entries(properties).map(([name, schema]) => {
    const { description, ...rest } = schema;
    return {
      name,
      in: 'query',
      required: required.has(name),
      ...(typeof description === 'string' ? { description } : {}),
      schema: rest,
    };
  });
}
