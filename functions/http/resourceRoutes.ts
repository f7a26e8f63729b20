import { z } from 'zod';
import type { Access } from '../../shared/core/access/roles.js';
import type { SyncDeps } from '../../shared/sync/syncDeps.js';
import { listParams, type Listing } from '../../shared/sync/resourceListing.js';
import type { OperatorActor } from '../../shared/sync/access/authorize.js';
import { json } from './apiResponses.js';
import { adminRoute } from './adminRoute.js';

interface ResourceUseCases<T> {
  save(deps: SyncDeps, tenantId: string, body: unknown, pathId: string | undefined, actor: OperatorActor): Promise<{ created: boolean } & Record<string, unknown>>;
  get(deps: SyncDeps, tenantId: string, id: string): Promise<T>;
  list(deps: SyncDeps, tenantId: string, params: Record<string, string | undefined>): Promise<Listing<T>>;
}

/**
 * The four admin routes of a tenant-owned resource:
 * POST .../{collection} (server-chosen or body id), GET .../{collection} (paged),
 * PUT .../{collection}/{id} (idempotent create-or-update), GET .../{collection}/{id}.
 * Reads need Sync.Reader; saves `saveAccess` (configuration is Sync.Admin's).
 */
export function registerResourceRoutes<T>(options: {
  /** Singular name used in function names and response keys, e.g. `connection`. */
  name: string;
  collection: string;
  idParam: string;
  useCases: ResourceUseCases<T>;
  saveAccess?: Access;
  /** The body both saves take (the one the save use case parses with), and an example of it. */
  input: z.ZodType;
  inputExample: unknown;
  /** The resource as reads and saves answer with it. */
  view: z.ZodType;
  /** The list's query, when it takes filters beyond paging. */
  listQuery?: z.ZodObject;
  /** How a save treats what it is sent: replace the stored resource, or merge into it (and what is write-only). */
  saveSemantics: string;
  /** Where a created resource's id comes from: the body's `idField`, or the server unless the body names one (`id`). */
  idFromBody?: string;
}): void {
  const { name, collection, idParam, useCases, input, inputExample, view, saveSemantics } = options;
  const saveAccess = options.saveAccess ?? 'admin';
  const Name = name[0]!.toUpperCase() + name.slice(1);
  const collectionRoute = `tenants/{tenantId}/${collection}`;
  const itemRoute = `${collectionRoute}/{${idParam}}`;
  const saved = (result: { created: boolean } & Record<string, unknown>, tenantId: string) => {
    const resource = result[name] as { id: string };
    return json(result.created ? 201 : 200, resource, {
      location: `/api/tenants/${tenantId}/${collection}/${resource.id}`,
    });
  };

  const savedResponses = {
    200: { description: `The ${name} was updated.`, schema: view, headers: { location: `The ${name}'s URL` } },
    201: { description: `The ${name} was created.`, schema: view, headers: { location: `The ${name}'s URL` } },
  };
  adminRoute(`create${Name}`, {
    route: collectionRoute,
    method: 'POST',
    access: saveAccess,
    summary: options.idFromBody
      ? `Create or update the ${name} the body's \`${options.idFromBody}\` names`
      : `Create a ${name} (the server picks the id unless the body names one)`,
    description: options.idFromBody
      ? `The same as PUT …/${collection}/{${options.idFromBody} from the body}. ${saveSemantics}`
      : `With an \`id\` in the body this is the same as PUT …/${collection}/{id}. ${saveSemantics}`,
    body: input,
    bodyExample: inputExample,
    responses: savedResponses,
    handler: async ({ deps, tenantId, body, actor }) => saved(await useCases.save(deps, tenantId, body, undefined, actor), tenantId),
  });
  adminRoute(`list${Name}s`, {
    route: collectionRoute,
    method: 'GET',
    access: 'read',
    summary: `List the tenant's ${collection}`,
    query: options.listQuery ?? listParams,
    responses: { 200: { description: `One page of ${collection}.`, schema: z.object({ items: z.array(view), continuationToken: z.string().optional() }) } },
    handler: async ({ deps, tenantId, query }) => json(200, await useCases.list(deps, tenantId, query)),
  });
  adminRoute(`put${Name}`, {
    route: itemRoute,
    method: 'PUT',
    access: saveAccess,
    summary: `Create or update the ${name} with this id (idempotent)`,
    description: saveSemantics,
    body: input,
    bodyExample: inputExample,
    responses: savedResponses,
    handler: async ({ deps, tenantId, body, param, actor }) => saved(await useCases.save(deps, tenantId, body, param(idParam), actor), tenantId),
  });
  adminRoute(`get${Name}`, {
    route: itemRoute,
    method: 'GET',
    access: 'read',
    summary: `Read one ${name}`,
    responses: { 200: { description: `The ${name}.`, schema: view } },
    handler: async ({ deps, tenantId, param }) => json(200, await useCases.get(deps, tenantId, param(idParam))),
  });
}
