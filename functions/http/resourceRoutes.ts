import { app, type HttpRequest } from '@azure/functions';
import type { SyncDeps } from '../../shared/sync/syncDeps.js';
import type { Listing } from '../../shared/sync/resourceListing.js';
import { json } from './apiResponses.js';
import { httpEndpoint } from './httpEndpoint.js';
import { queryParams, readJsonBody, routeParam } from './requestInput.js';

interface ResourceUseCases<T> {
  save(deps: SyncDeps, tenantId: string, body: unknown, pathId?: string): Promise<{ created: boolean } & Record<string, unknown>>;
  get(deps: SyncDeps, tenantId: string, id: string): Promise<T>;
  list(deps: SyncDeps, tenantId: string, params: Record<string, string | undefined>): Promise<Listing<T>>;
}

/**
 * The four admin routes of a tenant-owned resource:
 * POST .../{collection} (server-chosen or body id), GET .../{collection} (paged),
 * PUT .../{collection}/{id} (idempotent create-or-update), GET .../{collection}/{id}.
 */
export function registerResourceRoutes<T>(options: {
  /** Singular name used in function names and response keys, e.g. `connection`. */
  name: string;
  collection: string;
  idParam: string;
  useCases: ResourceUseCases<T>;
}): void {
  const { name, collection, idParam, useCases } = options;
  const Name = name[0]!.toUpperCase() + name.slice(1);
  const collectionRoute = `tenants/{tenantId}/${collection}`;
  const itemRoute = `${collectionRoute}/{${idParam}}`;
  const saved = (result: { created: boolean } & Record<string, unknown>, tenantId: string) => {
    const resource = result[name] as { id: string };
    return json(result.created ? 201 : 200, resource, {
      location: `/api/tenants/${tenantId}/${collection}/${resource.id}`,
    });
  };

  app.http(`create${Name}`, {
    route: collectionRoute,
    methods: ['POST'],
    authLevel: 'function',
    handler: httpEndpoint(async (deps, request: HttpRequest) => {
      const tenantId = routeParam(request, 'tenantId');
      return saved(await useCases.save(deps, tenantId, await readJsonBody(request)), tenantId);
    }),
  });
  app.http(`list${Name}s`, {
    route: collectionRoute,
    methods: ['GET'],
    authLevel: 'function',
    handler: httpEndpoint(async (deps, request) =>
      json(200, await useCases.list(deps, routeParam(request, 'tenantId'), queryParams(request))),
    ),
  });
  app.http(`put${Name}`, {
    route: itemRoute,
    methods: ['PUT'],
    authLevel: 'function',
    handler: httpEndpoint(async (deps, request) => {
      const tenantId = routeParam(request, 'tenantId');
      return saved(await useCases.save(deps, tenantId, await readJsonBody(request), routeParam(request, idParam)), tenantId);
    }),
  });
  app.http(`get${Name}`, {
    route: itemRoute,
    methods: ['GET'],
    authLevel: 'function',
    handler: httpEndpoint(async (deps, request) =>
      json(200, await useCases.get(deps, routeParam(request, 'tenantId'), routeParam(request, idParam))),
    ),
  });
}
