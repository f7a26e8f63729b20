import type { Access } from '../../shared/core/access/roles.js';
import type { SyncDeps } from '../../shared/sync/syncDeps.js';
import type { Listing } from '../../shared/sync/resourceListing.js';
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
}): void {
  const { name, collection, idParam, useCases } = options;
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

  adminRoute(`create${Name}`, {
    route: collectionRoute,
    method: 'POST',
    access: saveAccess,
    body: 'json',
    handler: async ({ deps, tenantId, body, actor }) => saved(await useCases.save(deps, tenantId, body, undefined, actor), tenantId),
  });
  adminRoute(`list${Name}s`, {
    route: collectionRoute,
    method: 'GET',
    access: 'read',
    body: 'none',
    handler: async ({ deps, tenantId, query }) => json(200, await useCases.list(deps, tenantId, query)),
  });
  adminRoute(`put${Name}`, {
    route: itemRoute,
    method: 'PUT',
    access: saveAccess,
    body: 'json',
    handler: async ({ deps, tenantId, body, param, actor }) => saved(await useCases.save(deps, tenantId, body, param(idParam), actor), tenantId),
  });
  adminRoute(`get${Name}`, {
    route: itemRoute,
    method: 'GET',
    access: 'read',
    body: 'none',
    handler: async ({ deps, tenantId, param }) => json(200, await useCases.get(deps, tenantId, param(idParam))),
  });
}
